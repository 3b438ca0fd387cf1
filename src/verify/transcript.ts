import { commandContinues } from './grammar.ts';

/**
 * Console transcripts: a code block of prompt lines (`$ `, `dev $ `, `user@host:~$ `, `# `) each
 * followed by what the command printed. Pure: the block's text in, commands and output ranges out.
 */

/** Info strings of blocks that are transcripts by name; `sh` ones are when they start with a prompt. */
const TRANSCRIPT_LANGS = new Set(['console', 'shell-session']);

// A prompt: optional `user@host:dir`, `[user@host dir]` or one word followed by a space (`dev `, `/ `), then `$` or `#`.
const PROMPT = /^(?:[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+(?::\S*?)?|\[[^\]\n]+\]|[A-Za-z0-9_.~/:-]+ )?([$#])(?: (.*)|\s*)$/;

export interface TranscriptCommand {
  /** What is typed: the text after the prompt, continuation lines (`> `) joined. */
  command: string;
  /** Line of the command in the block (0-based). */
  line: number;
  /** The expected output: lines [start, end) of the block; trailing blank lines are layout, not output. */
  output: { start: number; end: number; text: string };
}

export interface Transcript {
  commands: TranscriptCommand[];
  /** Text before the first prompt of a block that has one: shown, never checked. */
  preamble: boolean;
}

/**
 * Whether a fence is a console transcript: `console` and `shell-session` blocks, and `sh` blocks
 * whose first line is a `$` prompt (or `user@host:dir#`); a bare `# ` there is a shell comment.
 */
export function isTranscriptBlock(info: string, value: string): boolean {
  const lang = info.trim().toLowerCase();
  if (TRANSCRIPT_LANGS.has(lang)) return true;
  if (lang !== 'sh') return false;
  const line = firstLine(value);
  const p = promptOf(line);
  return p !== undefined && p.command !== '' && (p.sigil === '$' || /^\S+@\S+#/.test(line));
}

function firstLine(value: string): string {
  return value.split('\n').find((l) => l.trim() !== '') ?? '';
}

function promptOf(line: string): { sigil: string; command: string } | undefined {
  const m = PROMPT.exec(line.replace(/`/g, ''));
  return m ? { sigil: m[1]!, command: (m[2] ?? '').trim() } : undefined;
}

/**
 * Splits a transcript into commands. A line is a prompt when it has the sigil (`$` or `#`) of the
 * block's first prompt, so `# HELP` lines in the output of a `$` transcript stay output. A bare
 * prompt (`$`, `dev $`) ends the transcript. Remark highlight spans (backticks) are not typed.
 */
export function parseTranscript(value: string): Transcript {
  const lines = value.split('\n');
  const commands: TranscriptCommand[] = [];
  const first = lines.findIndex((l) => promptOf(l) !== undefined);
  if (first === -1) return { commands, preamble: false };
  const sigil = promptOf(lines[first]!)!.sigil;
  const prompt = (l: string) => {
    const p = promptOf(l);
    return p && p.sigil === sigil ? p : undefined;
  };
  let i = first;
  while (i < lines.length) {
    const p = prompt(lines[i]!)!;
    if (!p.command) break;
    const line = i;
    const typed = [p.command];
    i++;
    // Continuation lines (open quote, heredoc, trailing `\`): the shell's `> ` prompt is not typed.
    while (i < lines.length && commandContinues(typed.join('\n'))) typed.push(lines[i++]!.replace(/^> ?/, '').replace(/`/g, ''));
    const start = i;
    while (i < lines.length && !prompt(lines[i]!)) i++;
    let end = i;
    while (end > start && lines[end - 1]!.trim() === '') end--;
    commands.push({ command: typed.join('\n'), line, output: { start, end, text: lines.slice(start, end).join('\n') } });
  }
  return { commands, preamble: lines.slice(0, first).some((l) => l.trim() !== '') };
}

/** `[...]`, `[..]` and `…` lines stand for any lines, as `...` does in `output` directives. */
export function expectedOutput(text: string): string {
  return text
    .replace(/`/g, '')
    .split('\n')
    .map((l) => (/^\s*(?:\[\.{2,3}\]|…|\.\.\.)\s*$/.test(l) ? '...' : l))
    .join('\n');
}
