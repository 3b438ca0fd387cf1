import type { DeckAnnotations } from '../model/annotation.ts';
import type { Deck } from '../model/deck.ts';
import { presentStrings } from '../shared/locale.ts';
import { deckPacing, formatMinutes, type DeckPacing } from '../shared/pacing.ts';

/**
 * What the presenting controllers of a deck page need, computed from the model at build time
 * (the page never re-derives slide kinds from its HTML).
 */
export interface PresentClientConfig {
  /** Estimated minutes of each slide as presented (stand-ins included), by `data-slide-id`. */
  minutes: Record<string, number>;
  /** By index in the deck's chapters (`data-chapter`). */
  chapters: { title: string; anchor: string; minutes: number; minutesCore: number; label: string }[];
  parts: { anchor: string; minutes: number; label: string }[];
  total: string;
  totalCore: string;
  strings: Record<string, string>;
}

export function presentClientConfig(deck: Deck, annotations?: DeckAnnotations, pacing: DeckPacing = deckPacing(deck, annotations?.insertions)): PresentClientConfig {
  const round = (m: number) => Math.round(m * 100) / 100;
  return {
    minutes: Object.fromEntries(pacing.slides.map((s) => [s.id, round(s.minutes)])),
    chapters: pacing.chapters.map((c) => ({
      title: c.title,
      anchor: c.anchor,
      minutes: round(c.minutes),
      minutesCore: round(c.minutesCore),
      label: formatMinutes(c.minutes),
    })),
    parts: pacing.parts.map((p) => ({ anchor: deck.parts[p.index]!.anchor, minutes: round(p.minutes), label: formatMinutes(p.minutes) })),
    total: formatMinutes(pacing.minutes),
    totalCore: formatMinutes(pacing.minutesCore),
    strings: presentStrings(deck.lang),
  };
}
