import { createRequire } from 'node:module';
import type { AssetCopy } from './assets.ts';

/**
 * Emoji on slides, drawn the same on every screen and in the PDF: a presenter's laptop may have
 * no colour emoji font (a Debian or a minimal Linux install shows 🤔 as an empty box), so a page
 * that shows emoji ships one, Twemoji as a COLR font (twemoji-colr-font, OFL: Chromium, Firefox
 * and Safari all draw COLR), copied into the output and the offline pack. Its `@font-face` covers
 * only the emoji the page shows, so no letter, digit or © of the text ever comes from it.
 */
const require = createRequire(import.meta.url);

export const EMOJI_FONT: AssetCopy = { from: require.resolve('twemoji-colr-font/twemoji.woff2'), to: 'assets/fonts/twemoji.woff2' };

/** The family the theme puts first in its font stacks (themes/default/theme.css). */
export const EMOJI_FAMILY = 'labdeck emoji';

/**
 * Emoji shown as pictures: characters drawn as emoji by default, others asked for with U+FE0F,
 * and what joins them into one picture (ZWJ, the selector, skin tones and flags are covered by
 * the first class, tag sequences).
 */
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}(?=\uFE0F)|[\uFE0F\u200D\u{E0020}-\u{E007F}]/gu;

/** Every character EMOJI matches, and the U+FE0F its lookahead needs, is outside ASCII. */
const NOT_ASCII = /[^\0-\x7F]+/g;

/** Code points of the emoji a page's text shows, sorted; none when it shows no pictographic emoji. */
export function emojiCodePoints(text: string): number[] {
  const found = new Set<number>();
  // The property classes are slow to try at each of a page's millions of ASCII characters
  // (≈0.15 s over a container.training build): only the runs of other characters are searched.
  for (const run of text.matchAll(NOT_ASCII)) for (const m of run[0].matchAll(EMOJI)) found.add(m[0].codePointAt(0)!);
  const joiners = [0xfe0f, 0x200d];
  if ([...found].every((c) => joiners.includes(c) || (c >= 0xe0020 && c <= 0xe007f))) return [];
  return [...found].sort((a, b) => a - b);
}

/** `<style>` declaring the emoji font for these code points, its file under `assetsBase`. */
export function emojiFontFace(codePoints: readonly number[], assetsBase: string): string {
  if (codePoints.length === 0) return '';
  const range = codePoints.map((c) => `U+${c.toString(16).toUpperCase()}`).join(',');
  const url = `${assetsBase}${EMOJI_FONT.to.slice('assets/'.length)}`;
  return `<style>@font-face{font-family:"${EMOJI_FAMILY}";src:url(${url}) format("woff2");font-display:block;unicode-range:${range}}</style>`;
}
