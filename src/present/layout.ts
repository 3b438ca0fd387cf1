import type { Deck, DeckSlide } from '../model/deck.ts';
import { error, diagnostic, warning, type Diagnostic } from '../model/diagnostic.ts';

/** What the browser measured on one slide, at Reveal's 1600×900 canvas (unscaled CSS pixels). */
export interface SlideMeasure {
  id: string;
  /** Content height and width of the slide; the frame is `frame.height` × `frame.width`. */
  height: number;
  width: number;
  /** Number of lines the slide's title takes (0 when it has none). */
  titleLines: number;
  /** Code blocks whose longest line is cut off, by their index among the slide's `<pre>`s. */
  wideCode: number[];
  /** Code blocks with lines too long even at the smallest code size, which wrap (marked on screen). */
  wrappedCode: { block: number; lines: number }[];
  /** What the page draws over the slide's content: a mark, a button, the slide number, an arrow. */
  covered: { by: string; text: string }[];
}

/** Pixels of slack: a line box whose descent touches the frame's edge is still readable. */
const SLACK = 4;

export interface Frame {
  width: number;
  height: number;
}

/**
 * The audience's name for each slide: its number, or for a slide standing in from another deck
 * (no number of its own) the number before it with a letter, as the page shows it (12a, 12b…).
 */
export function audienceNumbers(slides: readonly DeckSlide[], inserted: ReadonlySet<DeckSlide>): Map<DeckSlide, string> {
  const out = new Map<DeckSlide, string>();
  let last = '0';
  let letters = 0;
  for (const slide of slides) {
    if (inserted.has(slide)) out.set(slide, `${last}${String.fromCharCode(97 + Math.min(letters++, 25))}`);
    else {
      last = String(slide.number);
      letters = 0;
      out.set(slide, last);
    }
  }
  return out;
}

/**
 * Layout problems, each at its source line: content taller or wider than the 16:9 frame is an
 * error (the audience does not see it), a title on several lines or content under the page's
 * own marks and controls a warning, code lines that wrap a note. Pure: measures come from the
 * browser adapter (layout-check.ts), positions from the model. `slides`: the deck as presented,
 * English stand-ins included (default: the deck's own slides).
 */
export function layoutDiagnostics(deck: Deck, measures: readonly SlideMeasure[], frame: Frame, slides: readonly DeckSlide[] = deck.slides): Diagnostic[] {
  const own = new Set(deck.slides);
  const numbers = audienceNumbers(slides, new Set(slides.filter((s) => !own.has(s))));
  const byId = new Map(slides.map((s) => [s.id, s]));
  const out: Diagnostic[] = [];
  for (const m of measures) {
    const slide = byId.get(m.id);
    if (!slide || (slide.kind !== 'author' && slide.kind !== 'invalid')) continue;
    const where = `slide ${numbers.get(slide)}`;
    if (m.height > frame.height + SLACK)
      out.push(
        error(
          'layout/overflow',
          slide.position,
          `${where} is ${Math.round(m.height)} px tall: ${Math.round(m.height - frame.height)} px below the ${frame.height} px frame are cut off`,
          'split the slide (`---`), shorten it, or move details to the notes (`???`)',
        ),
      );
    if (m.width > frame.width + SLACK)
      out.push(
        error('layout/overflow-x', slide.position, `${where} is ${Math.round(m.width)} px wide, wider than the ${frame.width} px frame`, 'narrow the widest element (table, image, long word)'),
      );
    for (const i of m.wideCode) {
      out.push(
        warning(
          'layout/code-too-wide',
          slide.code[i]?.position ?? slide.position,
          `${where}: a line of this code block is wider than the slide and is cut off`,
          'break the command with `\\` or shorten the output shown',
        ),
      );
    }
    for (const { block, lines } of m.wrappedCode) {
      out.push(
        diagnostic(
          'info',
          'layout/code-wraps',
          slide.code[block]?.position ?? slide.position,
          `${where}: ${lines} line${lines === 1 ? '' : 's'} of this code block ${lines === 1 ? 'is' : 'are'} too long even at the smallest code size and wrap${lines === 1 ? 's' : ''} (marked on the slide)`,
          'break the command with `\\` or shorten the output shown, if the wrap gets in the way',
        ),
      );
    }
    for (const c of m.covered) {
      out.push(
        warning('layout/covered', slide.position, `${where}: ${c.by} covers “${c.text}”`, 'shorten the slide so its text ends higher, or move what is at that corner'),
      );
    }
    if (m.titleLines > 1)
      out.push(
        warning('layout/title-wraps', slide.title?.position ?? slide.position, `${where}: the title takes ${m.titleLines} lines`, 'shorten the title so it fits on one line'),
      );
  }
  return out;
}
