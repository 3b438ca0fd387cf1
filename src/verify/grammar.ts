import type { ExitExpectation, Matcher } from './step.ts';

/** `90`, `90s`, `500ms`, `2m`, `1h` (a bare number is seconds) → ms, or undefined. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

/** `/re/flags` is a regular expression; anything else is literal text (surrounding spaces dropped). */
export function parseMatcher(text: string): Matcher | { error: string } {
  const re = /^\/(.+)\/([imsu]*)$/s.exec(text.trim());
  if (re) {
    try {
      new RegExp(re[1]!, re[2]);
    } catch (e) {
      return { error: `invalid regular expression: ${(e as Error).message}` };
    }
    return { kind: 'regex', source: re[1]!, flags: re[2]! };
  }
  const t = text.trim();
  return t ? { kind: 'text', text: t } : { error: 'nothing to look for' };
}

export function parseExit(text: string): ExitExpectation | undefined {
  const t = text.trim();
  if (t === '' || t === '0') return { kind: 'zero' };
  if (t === 'nonzero' || t === 'fail') return { kind: 'nonzero' };
  if (t === 'any') return { kind: 'any' };
  if (/^\d{1,3}$/.test(t) && Number(t) < 256) return { kind: 'code', code: Number(t) };
  return undefined;
}

export function exitMatches(e: ExitExpectation, status: number): boolean {
  switch (e.kind) {
    case 'zero':
      return status === 0;
    case 'code':
      return status === e.code;
    case 'nonzero':
      return status !== 0;
    case 'any':
      return true;
  }
}

export function describeExit(e: ExitExpectation): string {
  return e.kind === 'zero' ? 'exit status 0' : e.kind === 'code' ? `exit status ${e.code}` : e.kind === 'nonzero' ? 'a non-zero exit status' : 'any exit status';
}

const NAMED_KEYS = new Set([
  'Enter', 'Escape', 'Space', 'Tab', 'BTab', 'BSpace', 'Up', 'Down', 'Left', 'Right', 'Home', 'End',
  'PageUp', 'PageDown', 'PgUp', 'PgDn', 'IC', 'DC', 'Insert', 'Delete',
  ...Array.from({ length: 12 }, (_, i) => `F${i + 1}`),
]);

/**
 * A tmux key name as the old runner's `key` accepted them (`^C`, `C-c`, `M-x`, `Escape`, `$`),
 * normalised; undefined when it is not one. `^[` is Escape (the seeds write it `^[` with a stray `]`).
 */
export function keyName(word: string): string | undefined {
  if (word === '^[') return 'Escape';
  if (/^\^[A-Za-z@\\\]^_?]$/.test(word)) return `C-${word[1]!.toLowerCase()}`;
  if (/^(?:[CMS]-)+(?:.|[A-Za-z][A-Za-z0-9]*)$/.test(word)) {
    const base = word.replace(/^(?:[CMS]-)+/, '');
    if (base.length === 1 || NAMED_KEYS.has(base)) return word;
    return undefined;
  }
  if (NAMED_KEYS.has(word)) return word;
  if ([...word].length === 1) return word;
  return undefined;
}

/** tmux commands a deck may run in its own server, with their short names. */
export const TMUX_COMMANDS: ReadonlyMap<string, string> = new Map([
  ['split-pane', 'split-window'],
  ['split-window', 'split-window'],
  ['splitw', 'split-window'],
  ['select-pane', 'select-pane'],
  ['selectp', 'select-pane'],
  ['last-pane', 'last-pane'],
  ['lastp', 'last-pane'],
  ['select-layout', 'select-layout'],
  ['selectl', 'select-layout'],
  ['next-layout', 'next-layout'],
  ['resize-pane', 'resize-pane'],
  ['resizep', 'resize-pane'],
  ['kill-pane', 'kill-pane'],
  ['killp', 'kill-pane'],
  ['swap-pane', 'swap-pane'],
  ['swapp', 'swap-pane'],
]);

/**
 * Splits a shell block into the commands a person would type one by one: a command goes on while
 * a quote is open, a heredoc has not reached its delimiter, or the line ends with `\`, `|`, `&&`, `||`.
 * Blank lines and comment-only lines between commands are dropped. Returns each command with its
 * first line's index in the block.
 */
export function splitCommands(block: string): { command: string; line: number }[] {
  const out: { command: string; line: number }[] = [];
  const lines = block.split('\n');
  let current: string[] = [];
  let start = 0;
  let quote: "'" | '"' | undefined;
  const heredocs: { word: string; strip: boolean }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (current.length === 0) {
      if (line.trim() === '' || /^\s*#/.test(line)) continue;
      start = i;
    }
    current.push(line);
    if (heredocs.length > 0 && !quote) {
      const h = heredocs[0]!;
      if ((h.strip ? line.replace(/^\t+/, '') : line) === h.word) heredocs.shift();
    } else {
      quote = scanLine(line, quote, heredocs);
    }
    const trimmed = line.trimEnd();
    const continued = quote !== undefined || heredocs.length > 0 || /(?:\\|\||&&|\|\|)$/.test(trimmed);
    if (!continued || i === lines.length - 1) {
      out.push({ command: current.join('\n'), line: start });
      current = [];
      quote = undefined;
      heredocs.length = 0;
    }
  }
  return out;
}

/** Whether the shell would ask for more (PS2) after these lines: an open quote or heredoc, or a trailing `\`, `|`, `&&`, `||`. */
export function commandContinues(text: string): boolean {
  const lines = text.split('\n');
  let quote: "'" | '"' | undefined;
  const heredocs: { word: string; strip: boolean }[] = [];
  for (const line of lines) {
    if (heredocs.length > 0 && !quote) {
      const h = heredocs[0]!;
      if ((h.strip ? line.replace(/^\t+/, '') : line) === h.word) heredocs.shift();
    } else quote = scanLine(line, quote, heredocs);
  }
  return quote !== undefined || heredocs.length > 0 || /(?:\\|\||&&|\|\|)$/.test(lines[lines.length - 1]!.trimEnd());
}

/** Follows quotes on one line; records heredoc delimiters opened outside quotes. Returns the open quote, if any. */
function scanLine(line: string, quote: "'" | '"' | undefined, heredocs: { word: string; strip: boolean }[]): "'" | '"' | undefined {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
    } else if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    else if (c === '<' && line[i + 1] === '<' && line[i + 2] !== '<') {
      const m = /^<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line.slice(i));
      if (m) {
        heredocs.push({ word: m[3]!, strip: m[1] === '-' });
        i += m[0].length - 1;
      }
    }
  }
  return quote;
}
