import type { Nodes, Root } from 'mdast';
import type { LineIndex } from './line-index.ts';

/** Reference links point here; the renderer resolves them against the deck's definitions. */
export const REFERENCE_SCHEME = 'labdeck-ref:';

/** A range of a file handed to a Markdown parser (fast or remark). */
export interface MarkdownSource {
  /** The whole file, for positions. */
  text: string;
  lines: LineIndex;
  /** Offset in the file where `source` starts; `source` has the same length as the file range. */
  start: number;
  source: string;
  /** Labels (normalised) that resolve as references. */
  labels: readonly string[];
}

/** A Markdown parser of the dialect: source range → mdast positioned in the file. */
export type MarkdownParser = (input: MarkdownSource) => Root;

/**
 * Parsers position nodes by offset in `source`; this makes every point a file point
 * (offset, line, column), in place.
 */
export function placeNodes(tree: Root, input: MarkdownSource): Root {
  const walk = (node: Nodes) => {
    const p = node.position;
    if (p) {
      input.lines.place(p.start, input.start + (p.start.offset ?? 0));
      input.lines.place(p.end, input.start + (p.end.offset ?? 0));
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  for (const child of tree.children) walk(child);
  return tree;
}
