import type { Root, RootContent, PhrasingContent, Paragraph, Text, Parent } from 'mdast';
import type { MacroBlock, MacroInline } from '../model/slide.ts';
import type { LineIndex } from './line-index.ts';
import type { MacroToken, Token } from './lexer.ts';
import type { MarkdownParser } from './markdown-source.ts';

/**
 * Turns a run of lexer tokens into mdast, in file coordinates.
 *
 * The text handed to micromark has the same length as the source range: macros become
 * private-use placeholders of equal length and removed ranges (properties, definitions)
 * become spaces, so every offset micromark reports is the file offset minus the range start.
 * Each macro's content is parsed the same way and grafted in place of its placeholder.
 */
export interface MarkdownContext {
  text: string;
  lines: LineIndex;
  /** Labels defined anywhere the deck can see: references to them become linkReference nodes. */
  labels: ReadonlySet<string>;
  /** The Markdown parser of the deck: fast (markdown-it) or remark-parse. */
  parse: MarkdownParser;
}

const OPEN = '\uE000';
const FILL = '\uE002';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000([0-9a-z]+)\uE002*\uE001/g;

export function parseTokens(
  ctx: MarkdownContext,
  start: number,
  end: number,
  tokens: readonly Token[],
  blank: readonly [number, number][] = [],
): Root {
  // Edits are (from, to, replacement) with replacement.length === to - from, applied in order.
  const edits: [number, number, string][] = [];
  const macros: MacroToken[] = [];
  const blankOut = (a: number, b: number) => {
    const from = Math.max(a, start);
    const to = Math.min(b, end);
    if (to > from) edits.push([from, to, ctx.text.slice(from, to).replace(/[^\n]/g, ' ')]);
  };
  for (const [a, b] of blank) blankOut(a, b);
  for (const token of tokens) {
    if (token.type === 'def') blankOut(token.start, token.end);
    else if (token.type === 'macro') {
      const id = (macros.push(token) - 1).toString(36);
      const width = token.block ? lineEndOf(ctx.text, token.start, token.end) - token.start : token.end - token.start;
      const mark = OPEN + id + FILL.repeat(Math.max(0, width - id.length - 2)) + CLOSE;
      const rest = ctx.text.slice(token.start + mark.length, Math.min(token.end, end)).replace(/[^\n]/g, ' ');
      edits.push([token.start, Math.min(token.end, end), (mark + rest).slice(0, Math.min(token.end, end) - token.start)]);
    }
  }
  edits.sort((x, y) => x[0] - y[0]);
  let source = '';
  let cursor = start;
  for (const [from, to, replacement] of edits) {
    if (from < cursor) continue;
    source += ctx.text.slice(cursor, from) + replacement;
    cursor = to;
  }
  source += ctx.text.slice(cursor, end);
  const tree = ctx.parse({ text: ctx.text, lines: ctx.lines, start, source, labels: referencedLabels(source, ctx.labels) });
  if (macros.length > 0) graftMacros(tree, macros, ctx);
  return tree;
}

function lineEndOf(text: string, from: number, limit: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 || nl > limit ? limit : nl;
}

const LABEL_CANDIDATE = /\[([^[\]\n]+)\]/g;

/** The defined labels this text may reference: only those are handed to the Markdown parser. */
function referencedLabels(source: string, labels: ReadonlySet<string>): string[] {
  if (labels.size === 0 || !source.includes('[')) return [];
  const found = new Set<string>();
  for (const m of source.matchAll(LABEL_CANDIDATE)) {
    const label = normalizeLabel(m[1]!);
    if (labels.has(label)) found.add(label);
  }
  return [...found];
}

/** CommonMark label matching: case-insensitive, inner white space collapsed. */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}


function graftMacros(tree: Root, macros: MacroToken[], ctx: MarkdownContext): void {
  const point = (offset: number) => ({ ...ctx.lines.lineColumn(offset), offset });
  const build = (index: number): MacroBlock | MacroInline => {
    const token = macros[index]!;
    const inner = parseTokens(ctx, token.innerStart, token.innerEnd, token.children);
    const position = { start: point(token.start), end: point(token.end) };
    if (token.block) return { type: 'macroBlock', classes: token.classes, children: inner.children, position };
    return { type: 'macroInline', classes: token.classes, children: phrasingOf(inner.children, point), position };
  };
  replaceInParent(tree as Parent, { build, point, macros });
}

interface Graft {
  build: (index: number) => MacroBlock | MacroInline;
  point: (offset: number) => { line: number; column: number; offset: number };
  macros: MacroToken[];
}

/** Replace placeholders found in text nodes; a paragraph that holds only a block macro becomes that block. */
function replaceInParent(parent: Parent, graft: Graft): void {
  const out: unknown[] = [];
  for (const child of parent.children) {
    if (child.type === 'paragraph') {
      const only = soleMacro(child);
      if (only !== undefined) {
        const node = graft.build(only);
        out.push(node.type === 'macroBlock' ? node : { ...child, children: [node] });
        continue;
      }
    }
    if (child.type === 'text' && child.value.includes(OPEN)) {
      out.push(...splitText(child, graft));
      continue;
    }
    if ('children' in child) replaceInParent(child as Parent, graft);
    out.push(child);
  }
  parent.children = out as Parent['children'];
}

function soleMacro(p: Paragraph): number | undefined {
  if (p.children.length !== 1) return undefined;
  const only = p.children[0]!;
  if (only.type !== 'text') return undefined;
  const m = /^\uE000([0-9a-z]+)\uE002*\uE001$/.exec(only.value.trim());
  return m ? parseInt(m[1]!, 36) : undefined;
}

/** Text around placeholders keeps its place in the file: a placeholder is as long as what it stands for. */
function splitText(node: Text, graft: Graft): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let last = 0;
  let from = node.position?.start.offset ?? 0;
  const piece = (value: string, start: number, end: number) => {
    if (value !== '') out.push({ type: 'text', value, position: { start: graft.point(start), end: graft.point(end) } });
  };
  for (const m of node.value.matchAll(PLACEHOLDER)) {
    const index = parseInt(m[1]!, 36);
    const token = graft.macros[index]!;
    piece(node.value.slice(last, m.index), from, token.start);
    const macro = graft.build(index);
    // A multi-line macro inside running text cannot be a block there: keep its phrasing.
    out.push(macro.type === 'macroInline' ? macro : { type: 'macroInline', classes: macro.classes, children: phrasingOf(macro.children, graft.point), ...(macro.position ? { position: macro.position } : {}) });
    last = m.index + m[0].length;
    from = token.start + m[0].length;
  }
  piece(node.value.slice(last), from, Math.max(from, node.position?.end.offset ?? from));
  return out;
}

function phrasingOf(children: RootContent[], point: Graft['point']): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let previous: RootContent | undefined;
  for (const child of children) {
    if (child.type === 'paragraph') {
      if (out.length > 0) {
        const start = previous?.position?.end.offset ?? child.position?.start.offset ?? 0;
        out.push({ type: 'break', position: { start: point(start), end: point(child.position?.start.offset ?? start) } });
      }
      out.push(...child.children);
    } else if (isPhrasing(child)) out.push(child as PhrasingContent);
    previous = child;
  }
  return out;
}

const PHRASING = new Set(['text', 'emphasis', 'strong', 'delete', 'inlineCode', 'break', 'link', 'linkReference', 'image', 'imageReference', 'html', 'footnoteReference', 'macroInline', 'deckVariable', 'deckLink', 'inlineMath']);
function isPhrasing(node: RootContent): boolean {
  return PHRASING.has(node.type);
}
