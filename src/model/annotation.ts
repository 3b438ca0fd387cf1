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
  }[];
}
