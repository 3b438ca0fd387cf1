import type { DeckAnnotations } from '../model/annotation.ts';
import type { Deck, DeckSlide } from '../model/deck.ts';
import { warning, type Diagnostic } from '../model/diagnostic.ts';
import { fill, presentStrings } from './locale.ts';

/**
 * What a slide costs in class time depends on what it asks of the room: reading a plain slide,
 * walking through code, doing a lab, or an optional extra-details detour. Each kind has a rate
 * in minutes, overridable per deck with the manifest's `pacing:` key.
 */
export type PaceKind = 'generated' | 'slide' | 'code' | 'lab' | 'extra-details';

export interface PacingRates {
  /** Title, table of contents and chapter title slides. */
  generated: number;
  slide: number;
  /** A slide showing code outside a lab box. */
  code: number;
  /** A slide with a `.lab[`/`.exercise[` box: the room types along. */
  lab: number;
  'extra-details': number;
  /** Added for each `--` step after the first. */
  step: number;
}

export const DEFAULT_RATES: PacingRates = {
  generated: 0.25,
  slide: 1.5,
  code: 2.5,
  lab: 5,
  'extra-details': 2,
  step: 0.25,
};

export interface ChapterPace {
  title: string;
  anchor: string;
  part: number;
  /** Minutes with extra-details slides, and without them. */
  minutes: number;
  minutesCore: number;
  slides: number;
}

export interface PartPace {
  index: number;
  minutes: number;
  minutesCore: number;
}

/** Slides another stage shows in the deck (English stand-ins for missing translations). */
export type Insertions = NonNullable<DeckAnnotations['insertions']>;

export interface DeckPacing {
  rates: PacingRates;
  /**
   * Per slide as presented: `deck.slides` with the inserted slides in their place (the page's
   * sections, in order). `chapter`: index in `deck.chapters` (an inserted slide belongs to the
   * chapter of the slide it follows); `inserted` marks the stand-ins.
   */
  slides: { id: string; kind: PaceKind; minutes: number; chapter?: number; inserted?: true }[];
  chapters: ChapterPace[];
  parts: PartPace[];
  minutes: number;
  minutesCore: number;
  diagnostics: Diagnostic[];
}

export function paceKind(slide: DeckSlide): PaceKind {
  if (slide.kind !== 'author' && slide.kind !== 'invalid') return 'generated';
  if (slide.classes.includes('extra-details')) return 'extra-details';
  if (slide.labs.length > 0) return 'lab';
  if (slide.code.length > 0) return 'code';
  return 'slide';
}

/** The deck's rates: defaults, with the manifest's `pacing:` values on top; unknown keys are warned about. */
export function deckRates(deck: Deck): { rates: PacingRates; diagnostics: Diagnostic[] } {
  const rates = { ...DEFAULT_RATES };
  const diagnostics: Diagnostic[] = [];
  for (const [key, minutes] of Object.entries(deck.meta.pacing ?? {})) {
    if (key in rates) rates[key as keyof PacingRates] = minutes;
    else
      diagnostics.push(
        warning(
          'manifest/pacing-key',
          { file: deck.manifestPath, line: 1, column: 1 },
          `unknown pacing key \`${key}\``,
          `use one of ${Object.keys(DEFAULT_RATES).join(', ')} (minutes)`,
        ),
      );
  }
  return { rates, diagnostics };
}

export function slideMinutes(slide: DeckSlide, rates: PacingRates): number {
  return rates[paceKind(slide)] + Math.max(0, slide.fragments.length - 1) * rates.step;
}

/**
 * Estimated minutes per slide, chapter, part and deck; `…Core` leaves extra-details slides out.
 * The one duration model: the site index, the table of contents, the syllabus, the speaker
 * view's notes and its pacing timer all read it, for the deck as presented (stand-ins included).
 */
export function deckPacing(deck: Deck, insertions: Insertions = []): DeckPacing {
  const { rates, diagnostics } = deckRates(deck);
  const after = new Map<string | null, Insertions>();
  for (const insertion of insertions) after.set(insertion.after, [...(after.get(insertion.after) ?? []), insertion]);
  const slides: DeckPacing['slides'] = [];
  const place = (list: Insertions = [], chapter?: number) => {
    for (const { slide } of list) slides.push({ id: slide.id, kind: paceKind(slide), minutes: slideMinutes(slide, rates), chapter, inserted: true });
  };
  place(after.get(null));
  for (const s of deck.slides) {
    slides.push({ id: s.id, kind: paceKind(s), minutes: slideMinutes(s, rates), chapter: s.chapter });
    place(after.get(s.id), s.chapter);
  }
  const sum = (list: DeckPacing['slides'], core: boolean) => list.reduce((n, s) => n + (core && s.kind === 'extra-details' ? 0 : s.minutes), 0);
  const chapters = deck.chapters.map((c, i) => {
    const own = slides.filter((s) => s.chapter === i);
    return { title: c.title, anchor: c.anchor, part: c.part, minutes: sum(own, false), minutesCore: sum(own, true), slides: own.length };
  });
  const parts = deck.parts.map((p) => ({
    index: p.index,
    minutes: p.chapters.reduce((n, c) => n + (chapters[c]?.minutes ?? 0), 0),
    minutesCore: p.chapters.reduce((n, c) => n + (chapters[c]?.minutesCore ?? 0), 0),
  }));
  return { rates, slides, chapters, parts, minutes: sum(slides, false), minutesCore: sum(slides, true), diagnostics };
}

/** `45 min`, `1 h 05` — rounded to 5 minutes above an hour, where more precision is noise. */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${Math.max(1, m)} min`;
  const rounded = Math.round(m / 5) * 5;
  return `${Math.floor(rounded / 60)} h ${String(rounded % 60).padStart(2, '0')}`;
}

/** `about 1 h 15` / `environ 1 h 15`: the estimate for a whole deck, in a language. */
export function durationLabel(minutes: number, lang: Deck['lang']): string {
  return fill(presentStrings(lang).duration, { planned: formatMinutes(minutes) });
}
