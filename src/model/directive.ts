import type { Position } from './position.ts';

/**
 * Verbs of the hidden automation language (```` <!-- ```verb argument``` --> ````).
 * The first eleven come from container.training's autopilot; the rest are labdeck's additions
 * so authors can say what the old runner could not (see docs/DIALECT.md).
 */
export const LEGACY_VERBS = ['bash', 'hide', 'wait', 'longwait', 'key', 'keys', 'tmux', 'copy', 'paste', 'check', 'open'] as const;
export const LABDECK_VERBS = [
  'expect-exit', // expect-exit 1 — the previous command must exit with this status
  'expect-fail', // expect-fail [text] — the previous command must fail (non-zero), optionally printing text
  'expect', // expect <text> — the output of the previous command must contain text (tolerant match)
  'output', // multi-line: the expected output of the previous command, compared tolerantly
  'until', // until <command> — retry a hidden command until it succeeds (timeout applies)
  'setup', // hidden command run before the chapter's first step
  'cleanup', // hidden command run after the chapter, always, even on failure
  'timeout', // timeout 120 — timeout in seconds for the next step
  'skip', // skip <reason> — do not run the steps of this slide, and say why
  'pane', // pane <n> — run the next steps in pane n (alias of tmux select-pane -t n)
] as const;
export const KNOWN_VERBS: ReadonlySet<string> = new Set<string>([...LEGACY_VERBS, ...LABDECK_VERBS]);

export type DirectiveVerb = (typeof LEGACY_VERBS)[number] | (typeof LABDECK_VERBS)[number];

/** One hidden automation snippet, typed and positioned. */
export interface Directive {
  verb: DirectiveVerb;
  /**
   * Everything after the verb. Single-line form: the rest of the line, trailing spaces kept
   * (`keys kubectl delete pod ` types the space). Multi-line form: the body lines joined by `\n`.
   */
  argument: string;
  multiline: boolean;
  position: Position;
  /** Index of the lab box (in `Slide.labs`) that contains it, if any. */
  lab?: number;
  /** Index of the `--` fragment of the slide it sits in. */
  fragment: number;
}
