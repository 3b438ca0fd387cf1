import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import remarkGfm from 'remark-gfm';
import { unified, type Processor } from 'unified';
import { placeNodes, REFERENCE_SCHEME, type MarkdownParser } from './markdown-source.ts';

type FromMarkdownOptions = NonNullable<Parameters<typeof fromMarkdown>[1]>;

/** CommonMark + GFM, as remark-parse with remark-gfm reads it. */
const gfmProcessor = unified().use(remarkGfm).freeze();

/**
 * remark-parse's reading of the dialect's Markdown (micromark, the reference), with the syntax
 * extensions the processor's plugins registered (remark-gfm always; remark-math and the like when
 * a deck lists them), as remark-parse itself reads them from `processor.data()`. Labels defined
 * elsewhere in the deck are handed to micromark as definitions placed before the text, so
 * references to them stay references.
 */
export function remarkMarkdown(processor: Pick<Processor, 'data'> = gfmProcessor): MarkdownParser {
  return (input) => {
    const prefix = input.labels.length === 0 ? '' : `${input.labels.map((label, i) => `[${label}]: ${REFERENCE_SCHEME}${i}`).join('\n')}\n\n`;
    const data = processor.data() as Record<string, unknown>;
    const options: FromMarkdownOptions = {
      extensions: (data.micromarkExtensions ?? []) as FromMarkdownOptions['extensions'],
      mdastExtensions: (data.fromMarkdownExtensions ?? []) as FromMarkdownOptions['mdastExtensions'],
    };
    const tree: Root = fromMarkdown(prefix + input.source, options);
    if (prefix) {
      tree.children = tree.children.filter((n) => (n.position?.start.offset ?? 0) >= prefix.length);
      shift(tree, -prefix.length);
    }
    return placeNodes(tree, input);
  };
}

function shift(node: { position?: Root['position']; children?: unknown[] }, by: number): void {
  if (node.position) {
    node.position.start.offset = (node.position.start.offset ?? 0) + by;
    node.position.end.offset = (node.position.end.offset ?? 0) + by;
  }
  for (const child of node.children ?? []) shift(child as typeof node, by);
}
