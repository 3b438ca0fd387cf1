import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type { Parent, PhrasingContent, Root, RootContent, AlignType, Table, List, ListItem } from 'mdast';
import type { LineIndex } from './line-index.ts';

/**
 * CommonMark + GFM tables, strikethrough and bare-URL links (what remark.js's marked rendered),
 * parsed by markdown-it and converted to mdast. markdown-it is ~25× faster than micromark on
 * this corpus, which is what keeps a 8,000-slide build within seconds.
 */
const md = new MarkdownIt({ html: true, linkify: true, typographer: false });

/** Reference links point here; the renderer resolves them against the deck's definitions. */
export const REFERENCE_SCHEME = 'labdeck-ref:';

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

export function markdownToMdast(input: MarkdownSource): Root {
  const references: Record<string, { href: string; title: string }> = {};
  input.labels.forEach((label, i) => {
    references[md.utils.normalizeReference(label)] = { href: `${REFERENCE_SCHEME}${i}`, title: '' };
  });
  const tokens = md.parse(input.source, { references });
  const lineStarts = lineStartsOf(input.source);
  const root: Root = { type: 'root', children: [] };
  const stack: Parent[] = [root];
  const top = () => stack[stack.length - 1]!;
  const at = (line: number, column: number, endLine: number) => position(input, lineStarts, line, column, endLine);

  for (const token of tokens) {
    const map = token.map;
    switch (token.type) {
      case 'paragraph_open':
        open({ type: 'paragraph', children: [] }, map, 0);
        break;
      case 'heading_open':
        open({ type: 'heading', depth: Number(token.tag.slice(1)), children: [] } as unknown as Parent, map, indentOf(input.source, lineStarts, map?.[0]));
        break;
      case 'blockquote_open':
        open({ type: 'blockquote', children: [] }, map, 0);
        break;
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const list: List = { type: 'list', ordered: token.type === 'ordered_list_open', spread: false, children: [] };
        if (list.ordered) list.start = Number(token.attrGet('start') ?? 1);
        open(list as unknown as Parent, map, 0);
        break;
      }
      case 'list_item_open':
        open({ type: 'listItem', spread: false, children: [] } as unknown as Parent, map, 0);
        break;
      case 'table_open':
        open({ type: 'table', align: [], children: [] } as unknown as Parent, map, 0);
        break;
      case 'tr_open':
        open({ type: 'tableRow', children: [] } as unknown as Parent, map, 0);
        break;
      case 'th_open':
      case 'td_open': {
        const table = stack.find((n): n is Table => n.type === 'table');
        if (table && table.children.length === 1 && token.type === 'th_open') table.align!.push(alignOf(token));
        open({ type: 'tableCell', children: [] } as unknown as Parent, map, 0);
        break;
      }
      case 'paragraph_close':
        close();
        // markdown-it hides the paragraphs of tight lists; mdast says it with `spread`.
        if (!token.hidden) markLoose();
        break;
      case 'heading_close':
      case 'blockquote_close':
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'list_item_close':
      case 'table_close':
      case 'tr_close':
      case 'th_close':
      case 'td_close':
        close();
        break;
      case 'inline':
        (top() as Parent).children.push(...(inlineToMdast(token, input, lineStarts) as never[]));
        break;
      case 'fence': {
        const info = token.info.trim();
        const space = info.search(/\s/);
        const line = map?.[0] ?? 0;
        top().children.push({
          type: 'code',
          lang: info ? (space === -1 ? info : info.slice(0, space)) : null,
          meta: space === -1 ? null : info.slice(space + 1).trim() || null,
          value: token.content.replace(/\n$/, ''),
          position: at(line, indentOf(input.source, lineStarts, line), map?.[1] ?? line + 1),
        } as RootContent);
        break;
      }
      case 'code_block': {
        const line = map?.[0] ?? 0;
        top().children.push({ type: 'code', lang: null, meta: null, value: token.content.replace(/\n$/, ''), position: at(line, indentOf(input.source, lineStarts, line), map?.[1] ?? line + 1) } as RootContent);
        break;
      }
      case 'html_block': {
        const line = map?.[0] ?? 0;
        top().children.push({ type: 'html', value: token.content.replace(/\n$/, ''), position: at(line, indentOf(input.source, lineStarts, line), map?.[1] ?? line + 1) } as RootContent);
        break;
      }
      case 'hr': {
        const line = map?.[0] ?? 0;
        top().children.push({ type: 'thematicBreak', position: at(line, indentOf(input.source, lineStarts, line), line + 1) } as RootContent);
        break;
      }
      default:
        break;
    }
  }
  return root;

  function open(node: Parent, map: [number, number] | null | undefined, column: number): void {
    if (map) node.position = at(map[0], column, map[1]);
    top().children.push(node as never);
    stack.push(node);
  }
  function close(): void {
    if (stack.length > 1) stack.pop();
  }
  function markLoose(): void {
    for (let i = stack.length - 1; i >= 0; i--) {
      const n = stack[i]!;
      if (n.type === 'listItem') (n as ListItem).spread = true;
      if (n.type === 'list') {
        (n as List).spread = true;
        return;
      }
    }
  }
}

function alignOf(token: Token): AlignType {
  const style = token.attrGet('style') ?? '';
  const m = /text-align:(left|right|center)/.exec(style);
  return (m?.[1] as AlignType) ?? null;
}

function inlineToMdast(inline: Token, input: MarkdownSource, lineStarts: number[]): PhrasingContent[] {
  const root: { children: PhrasingContent[] } = { children: [] };
  const stack: { children: PhrasingContent[] }[] = [root];
  const top = () => stack[stack.length - 1]!;
  const pushText = (value: string) => {
    if (value === '') return;
    const kids = top().children;
    const last = kids[kids.length - 1];
    if (last?.type === 'text') last.value += value;
    else kids.push({ type: 'text', value });
  };
  // Where this inline run sits in the file, to place raw HTML (directive comments) exactly.
  const from = lineStarts[inline.map?.[0] ?? 0] ?? 0;
  const to = lineStarts[inline.map?.[1] ?? lineStarts.length] ?? input.source.length;
  let cursor = from;
  for (const t of inline.children ?? []) {
    switch (t.type) {
      case 'text':
        pushText(t.content);
        break;
      case 'softbreak':
        pushText('\n');
        break;
      case 'hardbreak':
        top().children.push({ type: 'break' });
        break;
      case 'code_inline':
        top().children.push({ type: 'inlineCode', value: t.content });
        break;
      case 'html_inline': {
        const found = input.source.indexOf(t.content.split('\n')[0]!, cursor);
        const offset = found !== -1 && found < to ? found : from;
        cursor = offset + 1;
        const abs = input.start + offset;
        const lc = input.lines.lineColumn(abs);
        const endAbs = abs + t.content.length;
        const ec = input.lines.lineColumn(endAbs);
        top().children.push({ type: 'html', value: t.content, position: { start: { ...lc, offset: abs }, end: { ...ec, offset: endAbs } } });
        break;
      }
      case 'em_open':
      case 'strong_open':
      case 's_open': {
        const node = { type: t.type === 'em_open' ? 'emphasis' : t.type === 'strong_open' ? 'strong' : 'delete', children: [] } as PhrasingContent & { children: PhrasingContent[] };
        top().children.push(node);
        stack.push(node);
        break;
      }
      case 'link_open': {
        const href = t.attrGet('href') ?? '';
        const title = t.attrGet('title');
        const node = href.startsWith(REFERENCE_SCHEME)
          ? ({ type: 'linkReference', identifier: input.labels[Number(href.slice(REFERENCE_SCHEME.length))] ?? '', label: input.labels[Number(href.slice(REFERENCE_SCHEME.length))] ?? '', referenceType: 'full', children: [] } as PhrasingContent & { children: PhrasingContent[] })
          : ({ type: 'link', url: href, title: title || null, children: [] } as PhrasingContent & { children: PhrasingContent[] });
        top().children.push(node);
        stack.push(node);
        break;
      }
      case 'em_close':
      case 'strong_close':
      case 's_close':
      case 'link_close':
        if (stack.length > 1) stack.pop();
        break;
      case 'image': {
        const src = t.attrGet('src') ?? '';
        const alt = t.content;
        const title = t.attrGet('title');
        if (src.startsWith(REFERENCE_SCHEME)) {
          const label = input.labels[Number(src.slice(REFERENCE_SCHEME.length))] ?? '';
          top().children.push({ type: 'imageReference', identifier: label, label, referenceType: 'full', alt });
        } else top().children.push({ type: 'image', url: src, alt, title: title || null });
        break;
      }
      default:
        if (t.content) pushText(t.content);
    }
  }
  return root.children;
}

function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function indentOf(source: string, lineStarts: number[], line: number | undefined): number {
  const start = lineStarts[line ?? 0] ?? 0;
  let i = start;
  while (source[i] === ' ' || source[i] === '\t' || source[i] === '>') i++;
  // Inside a list item the first line also carries the bullet: skip "- " / "1. ".
  const bullet = /^(?:[-*+]|\d+[.)])[ \t]+/.exec(source.slice(i, i + 12));
  return i - start + (bullet && source[i + bullet[0].length] !== undefined && /[`~#<]/.test(source[i + bullet[0].length]!) ? bullet[0].length : 0);
}

function position(input: MarkdownSource, lineStarts: number[], line: number, column: number, endLine: number) {
  const startOffset = input.start + (lineStarts[line] ?? input.source.length) + column;
  const endRel = Math.max(0, (lineStarts[endLine] ?? input.source.length + 1) - 1);
  const endOffset = input.start + Math.max(endRel, (lineStarts[line] ?? 0) + column);
  return {
    start: { ...input.lines.lineColumn(startOffset), offset: startOffset },
    end: { ...input.lines.lineColumn(endOffset), offset: endOffset },
  };
}

