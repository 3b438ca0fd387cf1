import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { placeNodes, REFERENCE_SCHEME, type MarkdownParser } from './markdown-source.ts';

export { remarkGfm };

/** CommonMark + GFM, as remark-parse with remark-gfm reads it. */
const gfmProcessor = unified().use(remarkGfm).freeze();

/**
 * remark-parse's reading of the dialect's Markdown (micromark, the reference), with the syntax
 * extensions the processor's plugins registered (remark-gfm always; remark-math and the like when
 * a deck lists them): the dialect processor has the dialect's parser, so a remark-parse processor
 * reads each piece with the same extensions. Labels defined elsewhere in the deck are handed to it
 * as definitions placed before the text, so references to them stay references.
 */
export function remarkMarkdown(processor: Pick<Processor, 'data'> = gfmProcessor): MarkdownParser {
  let reader: ReturnType<typeof readerFor> | undefined;
  let extensions: unknown;
  return (input) => {
    const prefix = input.labels.length === 0 ? '' : `${input.labels.map((label, i) => `[${label}]: ${REFERENCE_SCHEME}${i}`).join('\n')}\n\n`;
    const data = processor.data() as Record<string, unknown[] | undefined>;
    if (!reader || extensions !== data.micromarkExtensions) {
      extensions = data.micromarkExtensions;
      reader = readerFor(data);
    }
    const tree = reader.parse(prefix + input.source) as Root;
    if (prefix) {
      tree.children = tree.children.filter((n) => (n.position?.start.offset ?? 0) >= prefix.length);
      shift(tree, -prefix.length);
    }
    return placeNodes(tree, input);
  };
}

function readerFor(data: Record<string, unknown[] | undefined>) {
  return unified()
    .use(remarkParse)
    .data('micromarkExtensions', (data.micromarkExtensions ?? []) as never)
    .data('fromMarkdownExtensions', (data.fromMarkdownExtensions ?? []) as never)
    .freeze();
}

function shift(node: { position?: Root['position']; children?: unknown[] }, by: number): void {
  if (node.position) {
    node.position.start.offset = (node.position.start.offset ?? 0) + by;
    node.position.end.offset = (node.position.end.offset ?? 0) + by;
  }
  for (const child of node.children ?? []) shift(child as typeof node, by);
}
