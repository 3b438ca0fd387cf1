import type { Deck } from '../model/deck.ts';
import { presentStrings } from '../shared/locale.ts';
import { deckPacing, formatMinutes, type DeckPacing } from '../shared/pacing.ts';

/**
 * What the presenting controllers of a deck page need, computed from the model at build time
 * (the page never re-derives slide kinds from its HTML).
 */
export interface PresentClientConfig {
  /** Estimated minutes of each deck slide, indexed by its audience number − 1 (`data-number`). */
  minutes: number[];
  chapters: { title: string; anchor: string; minutes: number; minutesCore: number; label: string; first: number; last: number }[];
  parts: { anchor: string; minutes: number; label: string }[];
  total: string;
  totalCore: string;
  strings: Record<string, string>;
}

export function presentClientConfig(deck: Deck, pacing: DeckPacing = deckPacing(deck)): PresentClientConfig {
  const round = (m: number) => Math.round(m * 100) / 100;
  return {
    minutes: pacing.slides.map((s) => round(s.minutes)),
    chapters: pacing.chapters.map((c, i) => ({
      title: c.title,
      anchor: c.anchor,
      minutes: round(c.minutes),
      minutesCore: round(c.minutesCore),
      label: formatMinutes(c.minutes),
      first: deck.slides[deck.chapters[i]!.start]!.number,
      last: deck.slides[deck.chapters[i]!.end - 1]!.number,
    })),
    parts: pacing.parts.map((p) => ({ anchor: deck.parts[p.index]!.anchor, minutes: round(p.minutes), label: formatMinutes(p.minutes) })),
    total: formatMinutes(pacing.minutes),
    totalCore: formatMinutes(pacing.minutesCore),
    strings: presentStrings(deck.lang),
  };
}
