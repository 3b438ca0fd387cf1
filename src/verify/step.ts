import { createHash } from 'node:crypto';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';

/** Text to find in output: a plain string (tolerant match) or a regular expression. */
export type Matcher = { kind: 'text'; text: string } | { kind: 'regex'; source: string; flags: string };

/** What the exit status of a command must be. */
export type ExitExpectation = { kind: 'zero' } | { kind: 'code'; code: number } | { kind: 'nonzero' } | { kind: 'any' };

/** Where a step comes from: the slide the audience sees and the source line the author edits. */
export interface SlideRef {
  /** Index in the unit's slide list. */
  index: number;
  /** Number the audience sees (deck numbering, or position in the file for a lone chapter). */
  number: number;
  id: string;
  file: string;
  line: number;
  title: string;
  /**
   * What the slide runs, hashed (`planHash`): steps, their modifiers and `skip`, not their lines.
   * A report whose hash differs from the deck's is stale for that slide.
   */
  hash: string;
}

interface StepBase {
  position: Position;
  /** Explicit `timeout` given by the author, in ms (before --timeout-scale). */
  timeoutMs?: number;
}

/** A command typed at the prompt: a line of a ```bash fence in a lab box, or a `bash`/`hide` directive. */
export interface CommandStep extends StepBase {
  kind: 'command';
  command: string;
  /** `bash`/`hide` directives: typed like the others, but not on the slide. */
  hidden: boolean;
  exit: ExitExpectation;
  /** True when the author gave the exit expectation (a `wait` then checks it only when the command has ended). */
  exitExplicit: boolean;
  expects: Matcher[];
  output?: { text: string; position: Position };
  /** `wait`/`longwait` right after the command: done when this appears, the command may keep running. */
  wait?: { matcher: Matcher; long: boolean; position: Position };
  /** `nowait`: done as soon as the shell has started it. */
  nowait: boolean;
  /** A command of a console transcript: `output` is the block's lines after it, which `--update` rewrites. */
  transcript?: TranscriptOutput;
}

/** Where a transcript command's expected output sits in its file (1-based lines). */
export interface TranscriptOutput {
  /** Line of the block's opening fence. */
  fence: number;
  /** First line of the expected output and one past its last (start === end: the command printed nothing). */
  start: number;
  end: number;
  /** Those lines as the block holds them (fence indentation removed). */
  lines: string[];
}

export type ActionStep =
  /** `key ^C`: tmux key names, sent as keys. */
  | (StepBase & { kind: 'key'; keys: string[] })
  /** `keys text`: literal text, no Enter (or a key name, as the old runner's send-keys allowed). */
  | (StepBase & { kind: 'type'; text: string })
  /** Standalone `wait`/`longwait`: text in the active pane's output since the last input. */
  | (StepBase & { kind: 'wait'; matcher: Matcher; long: boolean })
  /** `wait until <command>`: poll a hidden command (outside the terminal) until it exits 0. */
  | (StepBase & { kind: 'until'; command: string })
  | (StepBase & { kind: 'tmux'; args: string[] })
  | (StepBase & { kind: 'copy'; regex: string })
  | (StepBase & { kind: 'paste' })
  /** `check`: the command typed with keys/key ^J must end with the expected status. */
  | (StepBase & { kind: 'check'; exit: ExitExpectation; expects: Matcher[]; output?: { text: string; position: Position } })
  /** `open URL`: recorded; opened only with --open. */
  | (StepBase & { kind: 'open'; url: string });

export type Step = CommandStep | ActionStep;

export interface SlidePlan {
  slide: SlideRef;
  steps: Step[];
  /** `skip reason`: steps listed but not run. */
  skip?: string;
  /** Index of the `FilePlan` the slide belongs to. */
  file: number;
  /** Title of the chapter it belongs to. */
  chapter?: string;
}

/** Hidden commands run outside the terminal, in the same environment. */
export interface HiddenCommand {
  command: string;
  position: Position;
  timeoutMs?: number;
}

export interface FilePlan {
  file: string;
  setup: HiddenCommand[];
  cleanup: HiddenCommand[];
}

/** What one runner (one tmux server, one namespace) replays: a deck, or a chapter file on its own. */
export interface Unit {
  id: string;
  kind: 'deck' | 'chapter';
  title: string;
  /** Manifest or chapter path as given. */
  source: string;
  /** Absolute content root: `file` paths are relative to it. */
  root: string;
  slides: SlidePlan[];
  files: FilePlan[];
  /** Total number of slides of the deck or file, for "slide n/N". */
  slideCount: number;
  /** Console transcripts are part of the plan (`transcripts: true` or `--transcripts`). */
  transcripts: boolean;
  diagnostics: Diagnostic[];
}

/**
 * Hash of what a slide runs: its steps as planned (commands, directives, modifiers, timeouts) and
 * its `skip`, without source positions, so moving a slide or editing its prose keeps the hash and
 * editing a command changes it. 16 hex digits of SHA-256.
 */
export function planHash(steps: readonly Step[], skip?: string): string {
  const canonical = JSON.stringify({ steps, skip: skip ?? null }, (key, value: unknown) =>
    key === 'position' ? undefined : key === 'transcript' ? { lines: (value as TranscriptOutput).lines } : value,
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** Hash of a whole unit's plan: its slides' hashes in order, with their ids. */
export function unitHash(unit: Pick<Unit, 'slides'>): string {
  return createHash('sha256')
    .update(unit.slides.map((s) => `${s.slide.id}=${s.slide.hash}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
}

/** One line for plans, progress and reports. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'command':
      return `${step.hidden ? '(hidden) ' : ''}$ ${step.command}`;
    case 'key':
      return `key ${step.keys.join(' ')}`;
    case 'type':
      return `keys ${JSON.stringify(step.text)}`;
    case 'wait':
      return `${step.long ? 'longwait' : 'wait'} ${describeMatcher(step.matcher)}`;
    case 'until':
      return `wait until ${step.command}`;
    case 'tmux':
      return `tmux ${step.args.join(' ')}`;
    case 'copy':
      return `copy /${step.regex}/`;
    case 'paste':
      return 'paste';
    case 'check':
      return 'check';
    case 'open':
      return `open ${step.url}`;
  }
}

export function describeMatcher(m: Matcher): string {
  return m.kind === 'text' ? JSON.stringify(m.text) : `/${m.source}/${m.flags}`;
}
