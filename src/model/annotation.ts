/**
 * What other stages (parity, verification) ask the renderer to show on a built deck,
 * keyed by `DeckSlide.id`. The renderer draws these; it never computes them.
 */
export interface SlideBadge {
  /** e.g. `stale`, `untracked`, `untranslated`, `verify-failed`. Becomes a CSS class `badge-<kind>`. */
  kind: string;
  /** Text shown, already in the deck's language ("traduction à revoir"). */
  label: string;
  href?: string;
  title?: string;
}

export interface DeckBanner {
  kind: string;
  /** HTML-free text in the deck's language. */
  text: string;
  href?: string;
}

/** Where `L` goes from each slide: the aligned slide of the other language's deck. */
export interface LanguageSwitch {
  /** Relative URL of the other deck's HTML, from this deck's HTML. */
  targetDeck: string;
  targetLang: string;
  /** slide id → { index: 0-based Reveal index in the target deck, exact: false when it is the nearest aligned slide } */
  map: Record<string, { index: number; exact: boolean }>;
}

export interface DeckAnnotations {
  badges: Map<string, SlideBadge[]>;
  /** Verdicts of the deck's labs from a verification report (`labdeck build --verify-report`). */
  verification?: DeckVerification;
  banner?: DeckBanner;
  languageSwitch?: LanguageSwitch;
  /**
   * Slides to show that are not in the deck's own files (a French deck showing the English slide
   * where no translation exists): inserted after the slide id given, or at the start for null.
   */
  insertions?: {
    after: string | null;
    slide: import('./deck.ts').DeckSlide;
    /** Language of the inserted slide when it differs from the deck's (an English slide in a French deck): `lang` attribute. */
    lang?: import('./deck.ts').Lang;
    /** Reference definitions of the deck the slide comes from: `[text][label]` resolves as it does there. */
    definitions?: import('./deck.ts').Deck['definitions'];
  }[];
}

/** What the nodes of the cluster a lab ran on were: kwok's simulated nodes (no container runs), real ones, or both. */
export type NodeKind = 'kwok' | 'real' | 'mixed';

/**
 * A lab slide's verdict, from the last verification report that covers its deck:
 * `pass`, `fail`, `stale` (its commands changed since that run, by hash) or `none` (not verified).
 */
export type VerifiedState = 'pass' | 'fail' | 'stale' | 'none';

/** The run a verdict comes from. */
export interface VerificationRun {
  run: string;
  /** When the deck's verification started (ISO 8601). */
  time: string;
  /** API server version, `v1.33.13`; absent when the labs used no cluster. */
  kubernetes?: string;
  nodes?: NodeKind;
}

export interface SlideVerification {
  state: VerifiedState;
  /** Absent when no report verified the deck. */
  run?: VerificationRun;
  /** `fail`: the first failing step, the first line of its error and the pane's screen at that moment. */
  failure?: { step: string; file: string; line: number; error: string; screen?: string };
  /** `stale`: what that run said before the commands changed. */
  was?: 'pass' | 'fail' | 'none';
  /** `none`: why the run did not verify it. */
  notRun?: 'no-report' | 'not-in-run' | 'after-failure' | 'interrupted' | 'skip';
  /** `notRun: 'skip'`: the author's reason (`skip …` directive). */
  skip?: string;
}

/** A deck's verification: a verdict per lab slide (keyed by `DeckSlide.id`) and the deck's as a whole. */
export interface DeckVerification {
  /** `fail` if a lab fails, else `stale` if one changed, else `pass` if one passed, else `none`. */
  state: VerifiedState;
  run?: VerificationRun;
  counts: Record<VerifiedState, number>;
  slides: Map<string, SlideVerification>;
}
