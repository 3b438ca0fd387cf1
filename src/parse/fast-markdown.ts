import MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import type { AlignType, List, ListItem, Parent, PhrasingContent, Root, RootContent, Table, Text } from 'mdast';
import { autolinkLiterals, CANDIDATE, cutFrom, protocolUrlEnd } from './autolink-literal.ts';
import { REFERENCE_SCHEME, type MarkdownSource, placeNodes } from './markdown-source.ts';

/**
 * The fast Markdown parser: CommonMark + GFM tables, strikethrough and bare-URL links (what
 * remark.js's marked rendered), parsed by markdown-it and converted to mdast with a position on
 * every node, inline ones included. markdown-it is ~25× faster than micromark on this corpus,
 * which is what keeps an 8,000-slide build within seconds; remark-parse stays the reference
 * (tests/parse/differential.test.ts) and the parser of decks that need syntax plugins.
 *
 * markdown-it gives lines for blocks and nothing for inline tokens. Offsets come from two places:
 * every inline rule is wrapped to record where it started and ended in the inline text
 * (`state.pos`), and each inline text is mapped back to the file line by line (its lines are
 * suffixes of the file's lines: container prefixes, indentation and edge white space removed).
 */

/** Where a token sits in its inline text. Open/close tokens also say where their content starts/ends. */
interface Span {
  start: number;
  end: number;
  /** For link_open: where the label starts; for link_close: where it ends. */
  inner?: number;
  /** Text whose characters are not one-to-one with the source (escapes, entities, joined runs). */
  pieces?: Piece[];
}
/** A run of a text token's content: `literal` runs map character for character onto the source. */
interface Piece {
  at: number;
  length: number;
  start: number;
  end: number;
  literal: boolean;
}

/**
 * What this module notes on markdown-it's tokens, in their `meta` field (markdown-it's place for
 * plugins: a field every token has, so tokens keep one shape, and far cheaper than WeakMaps on a
 * 2 MB corpus): an inline token's span, a plain-text (pending) token's mark, a block token's start
 * (`>`, bullet, text) and where its line starts inside its container.
 */
interface BlockMark {
  start: number;
  container: number;
}
const PENDING = { start: -1, end: -1 } as Span;
const spanOf = (t: Token): Span | undefined => (t.meta === null || t.meta === PENDING ? undefined : (t.meta as Span));
const setSpan = (t: Token, span: Span): void => void (t.meta = span);
const isPending = (t: Token): boolean => t.meta === PENDING;
const blockMark = (t: Token): BlockMark | undefined => (t.meta as BlockMark | null) ?? undefined;

// Bare URLs are found afterwards with GFM's rules (autolink-literal.ts), as remark-gfm finds them.
const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
// URLs as written (escapes and entities resolved), as mdast has them; HTML output encodes them.
md.normalizeLink = (url) => url;
md.normalizeLinkText = (text) => text;
md.core.ruler.disable('linkify');
md.inline.ruler.disable('linkify');
md.inline.ruler.before('emphasis', 'gfm_autolink', protocolAutolink);
installPositions(md);

/** Markdown → mdast, every node positioned in file coordinates. */
export function fastMarkdown(input: MarkdownSource): Root {
  const references: Record<string, { href: string; title: string }> = {};
  input.labels.forEach((label, i) => {
    references[md.utils.normalizeReference(label)] = { href: `${REFERENCE_SCHEME}${i}`, title: '' };
  });
  const tokens = md.parse(input.source, { references });
  segments = new Map();
  const converter = new Converter(input);
  const tree = converter.convert(tokens);
  autolinkLiterals(converter.linkCandidates, offsetAt);
  segments = new Map();
  return placeNodes(tree, input);
}

/* ---------------------------------------------------------------- inline positions */

type RuleList<F> = { __rules__: { name: string; fn: F; alt: string[] }[] };

function installPositions(parser: MarkdownIt): void {
  // A block rule runs with the line's marks set for its container (after `>`, inside the list
  // item): the first non-space character of its first line is where the block starts.
  type BlockRule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;
  for (const rule of [...(parser.block.ruler as unknown as RuleList<BlockRule>).__rules__]) {
    const original = rule.fn;
    parser.block.ruler.at(
      rule.name,
      (state: StateBlock, startLine: number, endLine: number, silent: boolean) => {
        const first = state.tokens.length;
        const ok = original(state, startLine, endLine, silent);
        if (ok && !silent) {
          for (let i = first; i < state.tokens.length; i++) {
            const t = state.tokens[i]!;
            if (t.map && t.meta === null) {
              const line = t.map[0];
              t.meta = { start: state.bMarks[line]! + state.tShift[line]!, container: state.bMarks[line]! + Math.min(state.blkIndent, state.tShift[line]!) } satisfies BlockMark;
            }
          }
        }
        return ok;
      },
      { alt: rule.alt },
    );
  }

  // Plain text flushed from `pending` is marked so that `stamp` leaves it to `placePending`. A
  // prototype subclass, not `class … extends`: markdown-it's StateInline is a plain function, and
  // V8 runs the whole inline parser more than twice as slow with a class deriving from it.
  const Base = parser.inline.State;
  const pushPending = Base.prototype.pushPending;
  function PositionedState(this: StateInline, src: string, md: MarkdownIt, env: unknown, outTokens: Token[]): void {
    Base.call(this, src, md, env, outTokens);
  }
  PositionedState.prototype = Object.create(Base.prototype) as StateInline;
  PositionedState.prototype.pushPending = function (this: StateInline): Token {
    const token = pushPending.call(this);
    token.meta = PENDING;
    return token;
  };
  parser.inline.State = PositionedState as unknown as typeof Base;

  for (const name of ['gfm_autolink', 'newline', 'escape', 'backticks', 'strikethrough', 'emphasis', 'link', 'image', 'autolink', 'html_inline', 'entity']) {
    const rules = (parser.inline.ruler as unknown as RuleList<(s: StateInline, silent: boolean) => boolean>).__rules__;
    const original = rules.find((r) => r.name === name)!.fn;
    parser.inline.ruler.at(name, (state: StateInline, silent: boolean) => {
      if (silent) return original(state, silent);
      const start = state.pos;
      const first = state.tokens.length;
      const ok = original(state, false);
      if (ok) stamp(name, state, first, start, state.pos);
      return ok;
    });
  }
  parser.inline.ruler2.before('balance_pairs', 'ld_pending_spans', placePending);
  parser.inline.ruler2.at('fragments_join', joinFragments);
  // Escapes and entities stay `text_special` (with their own spans); the converter joins text.
  parser.core.ruler.disable('text_join');
}

/** Spans of the tokens one rule pushed (tokens pushed by nested rules are already stamped). */
function stamp(rule: string, state: StateInline, first: number, start: number, end: number): void {
  const own: Token[] = [];
  for (let i = first; i < state.tokens.length; i++) {
    const t = state.tokens[i]!;
    if (t.meta === null) own.push(t);
  }
  const src = state.src;
  switch (rule) {
    case 'emphasis':
    case 'strikethrough': {
      // One text token per delimiter (two characters each for `~~`): consecutive from the start.
      let at = start;
      for (const t of own) {
        setSpan(t, { start: at, end: at + t.content.length });
        at += t.content.length;
      }
      return;
    }
    case 'newline': {
      // Trailing spaces before the line ending belong to the break (markdown-it drops them from the text).
      let from = start;
      while (from > 0 && src[from - 1] === ' ') from--;
      for (const t of own) setSpan(t, { start: from, end });
      return;
    }
    case 'gfm_autolink': {
      // The rule fires at the `:` of `http://`: the link starts at the scheme, already read as text.
      let from = start;
      while (from > 0 && /[A-Za-z]/.test(src[from - 1]!)) from--;
      const [open, text, close] = own;
      if (open) setSpan(open, { start: from, end, inner: from });
      if (text) setSpan(text, { start: from, end });
      if (close) setSpan(close, { start: from, end, inner: end });
      return;
    }
    case 'autolink': {
      const [open, text, close] = own;
      if (open) setSpan(open, { start, end, inner: start + 1 });
      if (text) setSpan(text, { start: start + 1, end: end - 1 });
      if (close) setSpan(close, { start, end, inner: end - 1 });
      return;
    }
    case 'link': {
      const open = own.find((t) => t.type === 'link_open');
      const close = own.find((t) => t.type === 'link_close');
      const labelEnd = closingBracket(src, start);
      if (open) setSpan(open, { start, end, inner: start + 1 });
      if (close) setSpan(close, { start, end, inner: labelEnd });
      return;
    }
    case 'escape':
    case 'entity': {
      for (const t of own) {
        const literal = t.type === 'text_special' && t.content === src.slice(start, end);
        setSpan(t, { start, end, pieces: [{ at: 0, length: t.content.length, start, end, literal }] });
      }
      return;
    }
    default:
      for (const t of own) setSpan(t, { start, end });
  }
}

/**
 * GFM's `http(s)://` literal autolinks, read while tokenizing as micromark does, so that the
 * `_` and `*` of a URL are not emphasis; `www.` links and e-mail addresses are found after
 * parsing (autolink-literal.ts).
 */
function protocolAutolink(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const pos = state.pos;
  if (src.charCodeAt(pos) !== 0x3a || src.charCodeAt(pos + 1) !== 0x2f || src.charCodeAt(pos + 2) !== 0x2f || (state as StateInline & { linkLevel: number }).linkLevel > 0) return false;
  let from = pos;
  while (from > 0 && /[A-Za-z]/.test(src[from - 1]!)) from--;
  const scheme = src.slice(from, pos);
  if (!/^https?$/i.test(scheme) || !state.pending.endsWith(scheme)) return false;
  // Inside a `[` not closed yet (a possible link text) micromark links nothing.
  let open = 0;
  for (let i = 0; i < from; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '[') open++;
    else if (src[i] === ']' && open > 0) open--;
  }
  if (open > 0) return false;
  const end = protocolUrlEnd(src, pos + 3);
  if (end === undefined) return false;
  if (!silent) {
    state.pending = state.pending.slice(0, -scheme.length);
    const url = src.slice(from, end);
    const open = state.push('link_open', 'a', 1);
    open.attrs = [['href', url]];
    open.markup = 'autolink-literal';
    const text = state.push('text', '', 0);
    text.content = url;
    state.push('link_close', 'a', -1);
  }
  state.pos = end;
  return true;
}

/** The `]` closing the link label opened at `open` (the link rule has checked it exists). */
function closingBracket(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '`') {
      const run = /^`+/.exec(src.slice(i))![0];
      const close = src.indexOf(run, i + run.length);
      if (close !== -1) i = close + run.length - 1;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return src.length;
}

/** Plain text (pending) tokens sit right after the token before them: their characters are the source's. */
function placePending(state: StateInline): boolean {
  let cursor = 0;
  for (const t of state.tokens) {
    // Plain source text: no pieces (literal, one run).
    if (isPending(t)) setSpan(t, { start: cursor, end: cursor + t.content.length });
    const s = spanOf(t);
    if (s) cursor = t.nesting === 1 && s.inner !== undefined ? s.inner : s.end;
  }
  return true;
}

/** markdown-it's fragments_join (adjacent text tokens merged, levels recomputed), keeping spans. */
function joinFragments(state: StateInline): boolean {
  const tokens = state.tokens;
  let level = 0;
  let last = 0;
  let curr = 0;
  for (; curr < tokens.length; curr++) {
    const t = tokens[curr]!;
    if (t.nesting < 0) level--;
    t.level = level;
    if (t.nesting > 0) level++;
    const next = tokens[curr + 1];
    if (t.type === 'text' && next?.type === 'text') {
      const joined = next.content === '' ? spanOf(t) : joinSpans(spanOf(t), spanOf(next), t.content.length, next.content.length);
      next.content = t.content + next.content;
      if (joined) setSpan(next, joined);
    } else {
      if (curr !== last) tokens[last] = t;
      last++;
    }
  }
  if (curr !== last) tokens.length = last;
  return true;
}

function joinSpans(a: Span | undefined, b: Span | undefined, aLength: number, bLength: number): Span {
  // Emphasis leaves the outer delimiter of `**` as an empty text token: it adds nothing.
  if (!a || aLength === 0) return b ?? { start: 0, end: 0 };
  if (!b) return a;
  const shifted = piecesOf(b, bLength).map((p) => ({ ...p, at: p.at + aLength }));
  return { start: a.start, end: b.end, pieces: [...piecesOf(a, aLength), ...shifted] };
}

function piecesOf(s: Span, length: number): Piece[] {
  return s.pieces ?? [{ at: 0, length, start: s.start, end: s.end, literal: s.end - s.start === length }];
}

/* ---------------------------------------------------------------- tokens → mdast */

/** Where each run of a text node's value comes from in the source (see `offsetAt`); per parse. */
let segments = new Map<Text, Piece[]>();

/**
 * Source offset of character `index` of a text node's value; with `end`, the offset just after
 * character `index - 1` (where a piece of text ending there ends).
 */
function offsetAt(node: Text, index: number, end = false): number {
  const cut = cutFrom(node);
  if (cut) return offsetAt(cut.node, cut.from + index, end);
  const list = segments.get(node);
  const start = node.position?.start.offset ?? 0;
  if (!list || list.length === 0) return start + index;
  if (end && index > 0) {
    for (const p of list) {
      if (index - 1 < p.at + p.length) return p.literal ? p.start + (index - p.at) : p.end;
    }
  }
  for (const p of list) {
    if (index < p.at + p.length) return p.literal ? p.start + (index - p.at) : index === p.at ? p.start : p.end;
  }
  return node.position?.end.offset ?? start + index;
}

/** Inline text → source offsets: each line of the inline text sits at a known offset of the source. */
type LineMap = { at: number; start: number }[];

type Draft = Parent & { position?: Root['position'] };

class Converter {
  readonly #input: MarkdownSource;
  readonly #lineStarts: number[];
  readonly #stack: Draft[];
  readonly #root: Root = { type: 'root', children: [] };
  /** Blocks whose text may hold a literal autolink (`:`, `@`, `www.`): the only ones searched. */
  readonly linkCandidates: Parent[] = [];
  /** Where each table cell's text is in the source. */
  readonly #cells = new Map<Draft, Cell>();
  /** Where each list item's bullet ends: an empty item ends there. */
  readonly #markerEnds = new Map<Draft, number>();
  /** Cells of the row being read, as remark places them, and how many were used. */
  #row: { cells: Cell[]; next: number } | undefined;

  constructor(input: MarkdownSource) {
    this.#input = input;
    this.#lineStarts = lineStartsOf(input.source);
    this.#stack = [this.#root as Draft];
  }

  convert(tokens: Token[]): Root {
    for (const token of tokens) this.#token(token);
    finishContainers(this.#root as Draft, this.#markerEnds);
    return this.#root;
  }

  #top(): Draft {
    return this.#stack[this.#stack.length - 1]!;
  }

  #leaf(node: RootContent, start: number, end: number): void {
    setOffsets(node, start, end);
    this.#top().children.push(node as never);
  }

  #open(node: Draft, start: number, end = start): void {
    setOffsets(node, start, end);
    this.#top().children.push(node as never);
    this.#stack.push(node);
  }

  #token(token: Token): void {
    const [first = 0, last = first + 1] = token.map ?? [];
    const start = blockMark(token)?.start ?? this.#lineStarts[first] ?? 0;
    switch (token.type) {
      case 'paragraph_open':
        this.#open({ type: 'paragraph', children: [] }, start);
        break;
      case 'heading_open':
        this.#open({ type: 'heading', depth: Number(token.tag.slice(1)), children: [] } as unknown as Draft, start, this.#lineEnd(last - 1));
        break;
      case 'blockquote_open':
        this.#open({ type: 'blockquote', children: [] }, start);
        break;
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const list: List = { type: 'list', ordered: token.type === 'ordered_list_open', start: null, spread: false, children: [] };
        if (list.ordered) list.start = Number(token.attrGet('start') ?? 1);
        this.#open(list as unknown as Draft, start);
        break;
      }
      case 'list_item_open': {
        const item = { type: 'listItem', spread: false, children: [] } as unknown as Draft;
        // An ordered item's token says its number (`info`) and delimiter (`markup`).
        const markerEnd = start + (token.info ? token.info.length : 0) + token.markup.length;
        this.#markerEnds.set(item, markerEnd);
        this.#open(item, start, markerEnd);
        break;
      }
      case 'table_open':
        this.#open({ type: 'table', align: [], children: [] } as unknown as Draft, start);
        break;
      case 'tr_open': {
        const from = this.#firstNonSpace(first);
        const to = this.#lineEnd(first);
        this.#row = { cells: cellsOf(this.#input.source, from, to), next: 0 };
        this.#open({ type: 'tableRow', children: [] } as unknown as Draft, from, to);
        break;
      }
      case 'th_open':
      case 'td_open': {
        const table = this.#stack.find((n): n is Draft & Table => n.type === 'table');
        if (table && table.children.length === 1 && token.type === 'th_open') table.align!.push(alignOf(token));
        const row = this.#row;
        const cell = row?.cells[row.next++];
        // markdown-it pads short rows with empty cells: at the end of the row.
        const end = this.#stack[this.#stack.length - 1]?.position?.end.offset ?? 0;
        this.#open({ type: 'tableCell', children: [] } as unknown as Draft, cell?.start ?? end, cell?.end ?? end);
        this.#cells.set(this.#top(), cell ?? { start: end, end, content: end, pieces: [] });
        break;
      }
      case 'paragraph_close':
        this.#stack.pop();
        // markdown-it hides the paragraphs of tight lists; mdast says it with `spread`.
        if (!token.hidden) this.#markLoose();
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
        if (this.#stack.length > 1) this.#stack.pop();
        break;
      case 'inline':
        this.#inline(token);
        break;
      case 'fence': {
        const info = token.info.trim();
        const space = info.search(/\s/);
        const lang = info ? (space === -1 ? info : info.slice(0, space)) : null;
        const meta = space === -1 ? null : info.slice(space + 1).trim() || null;
        // A fence never closed runs to the end of the text, blank lines included.
        const closing = this.#input.source.slice(this.#lineStarts[last - 1] ?? 0, this.#lineEndRaw(last - 1)).trim();
        const closed = last - first > 1 && closing.length >= token.markup.length && [...closing].every((c) => c === token.markup[0]);
        this.#leaf({ type: 'code', lang, meta, value: token.content.replace(/\n$/, '') } as RootContent, start, closed || last < this.#lineStarts.length - (this.#input.source.endsWith('\n') ? 1 : 0) ? this.#lineEnd(last - 1) : this.#input.source.length);
        break;
      }
      case 'code_block':
        // Indented code starts at its line, indentation included.
        this.#leaf({ type: 'code', lang: null, meta: null, value: token.content.replace(/\n$/, '') } as RootContent, blockMark(token)?.container ?? start, this.#lastContentEnd(first, last));
        break;
      case 'html_block':
        this.#leaf({ type: 'html', value: token.content.replace(/\n$/, '') } as RootContent, start, this.#lastContentEnd(first, last));
        break;
      case 'hr':
        this.#leaf({ type: 'thematicBreak' } as RootContent, start, this.#lineEnd(first));
        break;
      default:
        break;
    }
  }

  #firstNonSpace(line: number): number {
    const src = this.#input.source;
    let i = this.#lineStarts[line] ?? src.length;
    while (src[i] === ' ' || src[i] === '\t') i++;
    return i;
  }

  #lineEndRaw(line: number): number {
    const next = this.#lineStarts[line + 1];
    return next === undefined ? this.#input.source.length : next - 1;
  }

  /** End of a line, trailing white space included (remark's blocks end there). */
  #lineEnd(line: number): number {
    return this.#lineEndRaw(line);
  }

  /** End of the last line of [first, last) that is not blank. */
  #lastContentEnd(first: number, last: number): number {
    for (let line = last - 1; line > first; line--) {
      const start = this.#lineStarts[line] ?? this.#input.source.length;
      const end = this.#lineEnd(line);
      if (this.#input.source.slice(start, end).trim() !== '') return end;
    }
    return this.#lineEnd(first);
  }

  #markLoose(): void {
    for (let i = this.#stack.length - 1; i >= 0; i--) {
      const n = this.#stack[i]!;
      if (n.type === 'listItem') (n as unknown as ListItem).spread = true;
      if (n.type === 'list') {
        (n as unknown as List).spread = true;
        return;
      }
    }
  }

  /** The lines of an inline token located in the source. */
  #lineMap(token: Token, parent: Draft): LineMap {
    const content = token.content;
    const src = this.#input.source;
    if (parent.type === 'tableCell') {
      const cell = this.#cells.get(parent);
      return cell && cell.pieces.length > 0 ? cell.pieces : [{ at: 0, start: cell?.content ?? 0 }];
    }
    const [first = 0] = token.map ?? [];
    if (parent.type === 'heading' && token.map && token.map[1] - token.map[0] === 1 && src[parentStart(parent)] === '#') {
      // ATX: the text after the opening #s, before any closing sequence.
      const open = parentStart(parent);
      let at = open;
      while (src[at] === '#') at++;
      while (src[at] === ' ' || src[at] === '\t') at++;
      return [{ at: 0, start: at }];
    }
    const map: LineMap = [];
    // Line by line, without cutting the text: each line of it is a suffix of its source line.
    for (let k = 0, at = 0; at <= content.length; k++) {
      const nl = content.indexOf('\n', at);
      const lineEnd = nl === -1 ? content.length : nl;
      const length = lineEnd - at;
      const lineStart = this.#lineStarts[first + k] ?? src.length;
      let end = this.#lineEndRaw(first + k);
      // The inline text is trimmed at its end: so is its last line.
      if (nl === -1) while (end > lineStart && (src[end - 1] === ' ' || src[end - 1] === '\t')) end--;
      let offset = end - length;
      if (offset < lineStart || !sameText(src, offset, content, at, lineEnd)) {
        // A tab of the indentation was partly expanded to spaces: the rest is a suffix still.
        let bare = at;
        while (bare < lineEnd && content[bare] === ' ') bare++;
        offset = sameText(src, end - (lineEnd - bare), content, bare, lineEnd) ? end - length : lineStart;
      }
      map.push({ at, start: offset });
      if (nl === -1) break;
      at = nl + 1;
    }
    return map;
  }

  #inline(token: Token): void {
    const parent = this.#top();
    if (CANDIDATE.test(token.content)) this.linkCandidates.push(parent);
    const toSource = sourceMapper(this.#lineMap(token, parent));
    parent.children.push(...(new InlineConverter(token, toSource, this.#input).convert() as never[]));
    const position = parent.position!;
    if (parent.type === 'paragraph') {
      position.start.offset = toSource(0);
      const [first = 0, last = first + 1] = token.map ?? [];
      position.end.offset = Math.max(toSource(token.content.length), this.#lineEndRaw(last - 1));
    }
  }
}

/** A table cell as remark places it: from its pipe (or the row's first character) to the next pipe; the last one takes the closing pipe. */
interface Cell {
  start: number;
  end: number;
  /** Where its trimmed text starts, and how that text maps onto the source (`\\|` is `|` in it). */
  content: number;
  pieces: LineMap;
}

function cellsOf(src: string, from: number, to: number): Cell[] {
  const pipes: number[] = [];
  for (let i = from; i < to; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '|') pipes.push(i);
  }
  const bounds = pipes[0] === from ? pipes : [from, ...pipes];
  const trailing = pipes.at(-1) === to - 1 && pipes.length > 0;
  const cells: Cell[] = [];
  for (let k = 0; k < bounds.length; k++) {
    const start = bounds[k]!;
    const next = bounds[k + 1];
    if (next === undefined && trailing) break;
    const isLast = next === undefined || (trailing && k === bounds.length - 2);
    const end = isLast ? to : next!;
    let a = src[start] === '|' ? start + 1 : start;
    let b = next ?? to;
    while (a < b && /[ \t]/.test(src[a]!)) a++;
    while (b > a && /[ \t]/.test(src[b - 1]!)) b--;
    const pieces: LineMap = [{ at: 0, start: a }];
    for (let i = a, at = 0; i < b; i++, at++) {
      // `\|` is one `|` of the cell's text: the text after the backslash continues there.
      if (src[i] === '\\' && src[i + 1] === '|') pieces.push({ at, start: ++i });
    }
    cells.push({ start, end, content: a, pieces });
  }
  return cells;
}

/** Whether `a` holds `b`'s characters [from, to) at `offset`. */
function sameText(a: string, offset: number, b: string, from: number, to: number): boolean {
  if (offset < 0 || offset + (to - from) > a.length) return false;
  for (let i = from; i < to; i++) if (a.charCodeAt(offset + i - from) !== b.charCodeAt(i)) return false;
  return true;
}

/** Inline text offset → source offset, through the line map. */
function sourceMapper(map: LineMap): (i: number) => number {
  if (map.length === 1) {
    const only = map[0]!;
    return (i) => only.start + (i - only.at);
  }
  return (i) => {
    let entry = map[0]!;
    for (let k = 1; k < map.length && map[k]!.at <= i; k++) entry = map[k]!;
    return entry.start + (i - entry.at);
  };
}

const parentStart = (node: Draft): number => node.position?.start.offset ?? 0;

/** Containers end where their last child ends (remark's rule); an empty item at its bullet. */
function finishContainers(node: Draft, markerEnds: Map<Draft, number>): void {
  const kids = node.children as Draft[];
  for (let i = 0; i < kids.length; i++) if (CONTAINERS.has(kids[i]!.type)) finishContainers(kids[i]!, markerEnds);
  if (node.type !== 'root') {
    const last = kids[kids.length - 1]?.position?.end.offset;
    node.position!.end.offset = last ?? markerEnds.get(node) ?? node.position!.end.offset;
  }
}

/** Nodes that end where their last child ends. */
const CONTAINERS = new Set(['list', 'listItem', 'blockquote', 'table']);

class InlineConverter {
  readonly #token: Token;
  readonly #toSource: (i: number) => number;
  readonly #input: MarkdownSource;
  /** Open phrasing containers (emphasis, links), innermost last. */
  readonly #stack: { children: PhrasingContent[]; node?: PhrasingContent }[] = [{ children: [] }];

  constructor(token: Token, toSource: (i: number) => number, input: MarkdownSource) {
    this.#token = token;
    this.#toSource = toSource;
    this.#input = input;
  }

  #kids(): PhrasingContent[] {
    return this.#stack[this.#stack.length - 1]!.children;
  }

  #leaf(node: PhrasingContent, start: number, end: number): void {
    setOffsets(node, start, end);
    this.#kids().push(node);
  }

  /**
   * Appends to the last text node when there is one. Where each run of its value comes from is
   * noted only when the value is not the source text from its start (escapes, entities, runs
   * on several lines): the common case costs nothing (`offsetAt` counts from the start).
   * `pieces` undefined: the value is the source from `start` on, character for character.
   */
  #text(value: string, start: number, end: number, pieces?: Piece[]): void {
    // Emphasis leaves the unused half of a `**` delimiter as an empty text token.
    if (value === '') return;
    const kids = this.#kids();
    const last = kids[kids.length - 1];
    if (last?.type === 'text') {
      const position = last.position!;
      let list = segments.get(last);
      if (!list && !pieces && start === position.end.offset && end - start === value.length) {
        position.end.offset = end;
        last.value += value;
        return;
      }
      if (!list) segments.set(last, (list = [{ at: 0, length: last.value.length, start: position.start.offset!, end: position.end.offset!, literal: true }]));
      const at = last.value.length;
      if (pieces) for (const p of pieces) list.push({ at: p.at + at, length: p.length, start: p.start, end: p.end, literal: p.literal });
      else list.push({ at, length: value.length, start, end, literal: end - start === value.length });
      position.end.offset = end;
      last.value += value;
      return;
    }
    const node: Text = { type: 'text', value };
    setOffsets(node, start, end);
    kids.push(node);
    if (pieces) segments.set(node, pieces);
    else if (end - start !== value.length) segments.set(node, [{ at: 0, length: value.length, start, end, literal: false }]);
  }

  /** A token's pieces, in source offsets; undefined when it is plain source text. */
  #pieces(t: Token, s: Span): Piece[] | undefined {
    if (!s.pieces || (s.pieces.length === 1 && s.pieces[0]!.literal)) return undefined;
    const out: Piece[] = [];
    for (const p of piecesOf(s, t.content.length)) {
      const start = this.#toSource(p.start);
      out.push({ at: p.at, length: p.length, start, end: p.literal ? start + p.length : this.#toSource(p.end), literal: p.literal });
    }
    return out;
  }

  #open(node: PhrasingContent & { children: PhrasingContent[] }, start: number): void {
    setOffsets(node, start, start);
    this.#kids().push(node);
    this.#stack.push({ children: node.children, node });
  }

  #close(end: number): void {
    if (this.#stack.length > 1) this.#stack.pop()!.node!.position!.end.offset = end;
  }

  convert(): PhrasingContent[] {
    const src = this.#toSource;
    const content = this.#token.content;
    for (const t of this.#token.children ?? []) {
      const s = spanOf(t) ?? { start: 0, end: 0 };
      switch (t.type) {
        case 'text':
        case 'text_special':
          this.#text(t.content, src(s.start), src(s.end), this.#pieces(t, s));
          break;
        case 'softbreak': {
          // The line ending is the text's; the next line's indentation is not, nor the spaces
          // before it (a text starting there starts at the line ending).
          const nl = src(lineEndIn(content, s.start));
          this.#text('\n', nl, nl + 1);
          break;
        }
        case 'hardbreak':
          this.#leaf({ type: 'break' }, src(s.start), src(lineEndIn(content, s.start)) + 1);
          break;
        case 'code_inline':
          this.#leaf({ type: 'inlineCode', value: t.content }, src(s.start), src(s.end));
          break;
        case 'html_inline':
          this.#leaf({ type: 'html', value: t.content }, src(s.start), src(s.end));
          break;
        case 'em_open':
        case 'strong_open':
        case 's_open': {
          const type = t.type === 'em_open' ? 'emphasis' : t.type === 'strong_open' ? 'strong' : 'delete';
          // markdown-it turns the inner delimiter of `**` into strong_open; the node starts at the outer one.
          this.#open({ type, children: [] } as never, src(s.start - (t.type === 'strong_open' ? 1 : 0)));
          break;
        }
        case 'em_close':
        case 'strong_close':
        case 's_close':
          this.#close(src(s.end + (t.type === 'strong_close' ? 1 : 0)));
          break;
        case 'link_open': {
          const href = t.attrGet('href') ?? '';
          if (href.startsWith(REFERENCE_SCHEME)) {
            const label = this.#input.labels[Number(href.slice(REFERENCE_SCHEME.length))] ?? '';
            this.#open(this.#reference('linkReference', label, s) as never, src(s.start));
          } else this.#open({ type: 'link', url: href, title: t.attrGet('title') || null, children: [] } as never, src(s.start));
          break;
        }
        case 'link_close':
          this.#close(src(s.end));
          break;
        case 'image': {
          const url = t.attrGet('src') ?? '';
          const alt = altText(t);
          let node: PhrasingContent;
          if (url.startsWith(REFERENCE_SCHEME)) {
            const label = this.#input.labels[Number(url.slice(REFERENCE_SCHEME.length))] ?? '';
            node = { ...(this.#reference('imageReference', label, s) as object), alt } as PhrasingContent;
            delete (node as { children?: unknown }).children;
          } else node = { type: 'image', url, alt, title: t.attrGet('title') || null } as PhrasingContent;
          this.#leaf(node, src(s.start), src(s.end));
          break;
        }
        default:
          if (t.content) this.#text(t.content, src(s.start), src(s.end), this.#pieces(t, s));
      }
    }
    return this.#stack[0]!.children;
  }

  /** A reference's label and kind as written: `[text][label]`, `[label][]` or `[label]`. */
  #reference(type: 'linkReference' | 'imageReference', normalized: string, s: Span): object {
    const written = this.#token.content.slice(s.start, s.end);
    const full = /\]\[([^\]]+)\]$/.exec(written);
    const collapsed = /\]\[\]$/.test(written);
    const label = full ? full[1]! : written.replace(/^!?\[/, '').replace(/\](\[\])?$/, '');
    return { type, identifier: normalized, label, referenceType: full ? 'full' : collapsed ? 'collapsed' : 'shortcut', children: [] };
  }
}

function lineEndIn(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length - 1 : nl;
}

/** What remark keeps as an image's `alt`: the label's text, markup and escapes resolved. */
function altText(t: Token): string {
  const walk = (list: Token[] | null): string =>
    (list ?? []).map((c) => (c.type === 'image' ? altText(c) : c.type === 'softbreak' || c.type === 'hardbreak' ? '\n' : c.children ? walk(c.children) : c.content)).join('');
  return t.children ? walk(t.children) : t.content;
}

function alignOf(token: Token): AlignType {
  const style = token.attrGet('style') ?? '';
  const m = /text-align:(left|right|center)/.exec(style);
  return (m?.[1] as AlignType) ?? null;
}

function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Offsets in the source while building; `placeNodes` turns them into file points. */
function setOffsets(node: object, start: number, end: number): void {
  (node as { position?: unknown }).position = { start: { line: 0, column: 0, offset: start }, end: { line: 0, column: 0, offset: end } };
}

export const __md = md;
