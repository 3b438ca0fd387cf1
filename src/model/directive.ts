import type { Position } from './position.ts';

/**
 * Verbs of the hidden automation language (```` <!-- ```verb argument``` --> ````).
 * The first eleven come from container.training's autopilot; the rest are labdeck's additions
 * so authors can say what the old runner could not (see docs/VERIFY.md).
 */
export const LEGACY_VERBS = ['bash', 'hide', 'wait', 'longwait', 'key', 'keys', 'tmux', 'copy', 'paste', 'check', 'open'] as const;
export const LABDECK_VERBS = [
  'expect-exit', // expect-exit 2 | nonzero | any — exit status the previous command must have (default: 0)
  'expect-fail', // expect-fail [text] — the previous command must fail (non-zero), printing text if given
  'expect', // expect <text> | expect /regex/ — the previous command's output must contain it (tolerant match)
  'output', // multi-line body: the previous command's whole output, compared tolerantly (masks, `...` lines)
  'nowait', // the previous command keeps running (cat, a REPL): go on without waiting for its prompt
  'setup', // hidden command(s) run outside the terminal before the file's first step
  'cleanup', // hidden command(s) run outside the terminal after the file's last step, always
  'timeout', // timeout 90s | 2m | 500ms — timeout of the next step
  'skip', // skip <reason> — do not run this slide's steps, and say why in the report
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

/**
 * A snippet whose verb is not in the language and that the course did not declare as a note to
 * the presenter (`directives: { notes: [...] }`): `build` and `lint` warn, `verify` refuses it.
 */
export type UnknownDirective = Omit<Directive, 'verb'> & { verb: string };
