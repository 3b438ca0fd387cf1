import type { Nodes } from 'mdast';
import type { SourceFile } from '../../src/model/chapter.ts';
import { parseSource, type ParseOptions } from '../../src/parse/index.ts';

/** What two parsers must agree on for a node: its kind, its values, where it is. */
const FIELDS = ['type', 'value', 'depth', 'ordered', 'start', 'lang', 'meta', 'url', 'title', 'alt', 'identifier', 'referenceType', 'align', 'classes', 'name', 'path'] as const;

export interface Difference {
  path: string;
  fast: unknown;
  remark: unknown;
}

const where = (n: Nodes) => (n.position ? `${n.position.start.line}:${n.position.start.column}-${n.position.end.line}:${n.position.end.column}` : 'none');

/**
 * Differences kept on purpose (docs/DIALECT.md):
 * - remark-gfm finds some literal autolinks after parsing and gives them no position; the fast
 *   parser positions them (a node with a position where remark has none is not a difference);
 * - a list (and the quotes around it) inside a block quote, followed by an empty quoted line
 *   (`>`), ends in remark-parse after that line's `>`; the fast parser ends it with its last item.
 */
function knownDifference(a: Nodes, b: Nodes, text: string): boolean {
  if (!b.position) return true;
  if ((a.type === 'list' || a.type === 'blockquote') && a.position && b.position.end.offset! > a.position.end.offset!) {
    return /^[\s>]*$/.test(text.slice(a.position.end.offset, b.position.end.offset)) && text.slice(a.position.end.offset, b.position.end.offset).includes('>');
  }
  return false;
}

/** The first differences between two trees, depth first. */
export function diffTrees(a: Nodes, b: Nodes, text: string, path = 'root', out: Difference[] = [], limit = 5): Difference[] {
  if (out.length >= limit) return out;
  for (const f of FIELDS) {
    const x = (a as unknown as Record<string, unknown>)[f];
    const y = (b as unknown as Record<string, unknown>)[f];
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ path: `${path}.${f}`, fast: x, remark: y });
  }
  if (a.type !== 'root' && !a.position) out.push({ path: `${path}@${a.type}`, fast: 'no position', remark: where(b) });
  else if (a.type !== 'root' && where(a) !== where(b) && !knownDifference(a, b, text)) out.push({ path: `${path}@${a.type}`, fast: where(a), remark: where(b) });
  const ak = 'children' in a ? (a.children as Nodes[]) : [];
  const bk = 'children' in b ? (b.children as Nodes[]) : [];
  if (ak.length !== bk.length) {
    out.push({ path: `${path}.children`, fast: ak.map((n) => `${n.type}@${where(n)}`), remark: bk.map((n) => `${n.type}@${where(n)}`) });
    return out;
  }
  ak.forEach((child, i) => diffTrees(child, bk[i]!, text, `${path}/${i}:${child.type}`, out, limit));
  return out;
}

/** The same file through both parsers. */
export function bothParsers(text: string, options: ParseOptions): { fast: SourceFile; remark: SourceFile } {
  return {
    fast: parseSource(text, { ...options, settings: { markdown: 'fast', remarkPlugins: [] } }),
    remark: parseSource(text, { ...options, settings: { markdown: 'remark', remarkPlugins: [] } }),
  };
}

/** Every slide tree (fragments and notes) of a file, labelled with where it starts. */
export function treesOf(file: SourceFile): { label: string; tree: Nodes }[] {
  return file.slides.flatMap((s, i) => [
    ...s.fragments.map((f, j) => ({ label: `slide ${i} (${s.position.file}:${s.position.line}) fragment ${j}`, tree: f.tree as Nodes })),
    ...(s.notes ? [{ label: `slide ${i} notes`, tree: s.notes.tree as Nodes }] : []),
  ]);
}

/** Differences between the two parsers over a whole file. */
export function fileDifferences(input: string, options: ParseOptions, limit = 5): { label: string; differences: Difference[] }[] {
  const { fast, remark } = bothParsers(input, options);
  const text = input.replace(/\r\n?/g, '\n');
  const a = treesOf(fast);
  const b = treesOf(remark);
  const out: { label: string; differences: Difference[] }[] = [];
  if (a.length !== b.length) out.push({ label: 'slide trees', differences: [{ path: 'count', fast: a.length, remark: b.length }] });
  a.forEach((t, i) => {
    const other = b[i];
    if (!other) return;
    const differences = diffTrees(t.tree, other.tree, text, 'root', [], limit);
    if (differences.length > 0) out.push({ label: t.label, differences });
  });
  return out;
}
