import type { Deck } from '../model/deck.ts';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';

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
}

/** Pixels of slack: a line box whose descent touches the frame's edge is still readable. */
const SLACK = 4;

export interface Frame {
  width: number;
  height: number;
}

/**
 * Layout problems, each at its source line: content taller or wider than the 16:9 frame is an
 * error (the audience does not see it), a title on several lines a warning. Pure: measures
 * come from the browser adapter (layout-check.ts), positions from the model.
 */
export function layoutDiagnostics(deck: Deck, measures: readonly SlideMeasure[], frame: Frame): Diagnostic[] {
  const slides = new Map(deck.slides.map((s) => [s.id, s]));
  const out: Diagnostic[] = [];
  for (const m of measures) {
    const slide = slides.get(m.id);
    if (!slide || (slide.kind !== 'author' && slide.kind !== 'invalid')) continue;
    const where = `slide ${slide.number}`;
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
      const code = slide.code[i];
      out.push(
        warning(
          'layout/code-too-wide',
          code?.position ?? slide.position,
          `${where}: a line of this code block is wider than the slide and is cut off`,
          'break the command with `\\` or shorten the output shown',
        ),
      );
    }
    if (m.titleLines > 1)
      out.push(
        warning('layout/title-wraps', slide.title?.position ?? slide.position, `${where}: the title takes ${m.titleLines} lines`, 'shorten the title so it fits on one line'),
      );
  }
  return out;
}
