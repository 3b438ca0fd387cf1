import { parseSource, type ParseOptions } from '../../src/parse/index.ts';
import type { SourceFile } from '../../src/model/chapter.ts';

export function parse(text: string, options: Partial<ParseOptions> = {}): SourceFile {
  return parseSource(text, { path: 'test.md', ...options });
}

/** Compact view of a tree: node types, nested, with values for leaves. */
export function shape(node: { type: string; value?: string; classes?: string[]; children?: unknown[] }): unknown {
  if (node.children) {
    const kids = (node.children as (typeof node)[]).map(shape);
    return node.classes ? { [`${node.type}.${node.classes.join('.')}`]: kids } : { [node.type]: kids };
  }
  return node.value !== undefined ? `${node.type}:${node.value}` : node.type;
}
