import type { Link, Parent, PhrasingContent, Text } from 'mdast';

/**
 * GFM's literal autolinks (`https://…`, `www.…`, e-mail addresses, `mailto:`, `xmpp:`) found in
 * the text nodes under some parents (the blocks whose text may hold one), as remark-gfm finds them (the rules of mdast-util-gfm-autolink-literal,
 * which remark-parse applies after micromark), with positions: `offsetAt(text, i)` says where
 * character `i` of a text node's value is in the source.
 */
export function autolinkLiterals(parents: readonly Parent[], offsetAt: OffsetAt): void {
  for (const parent of parents) visitParents(parent, offsetAt);
}

/** Text that may hold a literal autolink: the finders run on it only. */
export const CANDIDATE = /:\/\/|mailto:|xmpp:|www\.|@/i;

/** Where character `index` of a text node is in the source (`end`: just after character `index - 1`). */
export type OffsetAt = (node: Text, index: number, end?: boolean) => number;

type Found = { url: string; text: string; length: number } | undefined;
type Finder = (m: RegExpExecArray) => Found;

const URL_PATTERN = /(?<![\da-z])(https?:\/\/|www(?=\.))([\w-]*\.[\w\-.]*)([^\t\n\r ]*)/gi;
const XMPP_PATTERN = /(?<![\w+\-.@])xmpp:([\w+\-.]+)@([\w-]+(?:\.[\w-]+)+)(\/(?:[\w\-/]|\.(?=[\dA-Za-z]))*)?/g;
const MAILTO_PATTERN = /(?<![\w+\-.@])mailto:([\w+\-.]+)@([\w-]+(?:\.[\w-]+)+)/g;
const EMAIL_PATTERN = /(?<![\w+\-.]|(?:^|[^\d@A-Za-z])(?:mailto|xmpp):)([\w+\-.]+)@([\w-]+(?:\.[\w-]+)+)/g;

const findUrl: Finder = (m) => {
  if (!previous(m)) return undefined;
  let protocol = m[1]!;
  let domain = m[2]!;
  let prefix = '';
  if (/^w/i.test(protocol)) {
    domain = protocol + domain;
    protocol = '';
    prefix = 'http://';
  }
  if (PUNCTUATION.test(domain.charAt(0)) || !isCorrectDomain(domain)) return undefined;
  const [url] = splitUrl(domain + m[3]!);
  return { url: prefix + protocol + url, text: protocol + url, length: protocol.length + url.length };
};

const findXmpp: Finder = (m) => {
  const [whole, atext, label, resource] = m;
  if (/[\d\-_]$/.test(label!) || (resource && (!/[A-Za-z]$/.test(resource) || m.input.charAt(m.index + whole.length) === '@'))) return undefined;
  const value = `xmpp:${atext}@${label}${resource ?? ''}`;
  return { url: value, text: value, length: whole.length };
};

const findMailto: Finder = (m) => {
  if (/[\d\-_]$/.test(m[2]!)) return undefined;
  const value = `mailto:${m[1]}@${m[2]}`;
  return { url: value, text: value, length: m[0].length };
};

const findEmail: Finder = (m) => {
  const [whole, atext, label] = m;
  if (/[\d\-_]$/.test(label!)) return undefined;
  return { url: `mailto:${atext}@${label}`, text: whole, length: whole.length };
};

const TRAIL = `!"')*,.:;?_~`;

/**
 * Where a `http(s)://` URL whose `//` ends at `from` ends, by micromark's rules (domain, then
 * path, trailing punctuation left out); undefined when there is no URL there.
 */
export function protocolUrlEnd(s: string, from: number): number | undefined {
  const c = s.charAt(from);
  if (c === '' || /[\s\p{Cc}]/u.test(c) || PUNCTUATION.test(c)) return undefined;
  // Trailing punctuation: a run of it followed by white space or the end (or `<`).
  const trailAt = (i: number): boolean => {
    let j = i;
    for (;;) {
      const ch = s.charAt(j);
      if (ch === '' || ch === '<' || WHITESPACE.test(ch)) return true;
      if (TRAIL.includes(ch)) j++;
      else if (ch === ']') {
        j++;
        const next = s.charAt(j);
        if (next === '' || next === '(' || next === '[' || WHITESPACE.test(next)) return true;
      } else if (ch === '&') {
        const ref = /^&[A-Za-z]+;/.exec(s.slice(j, j + 40));
        if (!ref) return false;
        j += ref[0].length;
      } else return false;
    }
  };
  let i = from;
  let seen = false;
  let underscoreLast = false;
  let underscoreBefore = false;
  for (;;) {
    const ch = s.charAt(i);
    if (ch === '.' || ch === '_') {
      if (trailAt(i)) break;
      if (ch === '_') underscoreLast = true;
      else {
        underscoreBefore = underscoreLast;
        underscoreLast = false;
      }
      i++;
      continue;
    }
    if (ch === '' || WHITESPACE.test(ch) || (ch !== '-' && PUNCTUATION.test(ch))) break;
    seen = true;
    i++;
  }
  if (!seen || underscoreLast || underscoreBefore) return undefined;
  let open = 0;
  let close = 0;
  for (;;) {
    const ch = s.charAt(i);
    if (ch === '(') {
      open++;
      i++;
      continue;
    }
    if (ch === ')' && close < open) {
      close++;
      i++;
      continue;
    }
    if (ch !== '' && `!"&')*,.:;<?]_~`.includes(ch)) {
      if (trailAt(i)) break;
      if (ch === ')') close++;
      i++;
      continue;
    }
    if (ch === '' || WHITESPACE.test(ch)) break;
    i++;
  }
  return i;
}

const FINDERS: [RegExp, Finder][] = [
  [URL_PATTERN, findUrl],
  [XMPP_PATTERN, findXmpp],
  [MAILTO_PATTERN, findMailto],
  [EMAIL_PATTERN, findEmail],
];

const PUNCTUATION = /[\p{P}\p{S}]/u;
const WHITESPACE = /\s/u;

function previous(m: RegExpExecArray): boolean {
  const c = m.input.charAt(m.index - 1);
  return m.index === 0 || WHITESPACE.test(c) || PUNCTUATION.test(c);
}

function isCorrectDomain(domain: string): boolean {
  const parts = domain.split('.');
  const bad = (p: string | undefined) => p !== undefined && p !== '' && (/_/.test(p) || !/[\dA-Za-z]/.test(p));
  return parts.length >= 2 && !bad(parts[parts.length - 1]) && !bad(parts[parts.length - 2]);
}

/** Trailing punctuation is not part of the URL, except `)` that close a `(` inside it. */
function splitUrl(url: string): [string, string | undefined] {
  let index = url.length;
  while (index > 0 && `!"&'),.:;<>?]}`.includes(url.charAt(index - 1))) index--;
  if (index === url.length) return [url, undefined];
  let trail = url.slice(index);
  let head = url.slice(0, index);
  let closing = trail.indexOf(')');
  const opening = count(head, '(');
  let closed = count(head, ')');
  while (closing !== -1 && opening > closed) {
    head += trail.slice(0, closing + 1);
    trail = trail.slice(closing + 1);
    closing = trail.indexOf(')');
    closed++;
  }
  return [head, trail];
}

const count = (s: string, c: string) => s.split(c).length - 1;

/** Text nodes outside links, each cut around what the finders accept, in their order (remark-gfm's). */
function visitParents(parent: Parent, offsetAt: OffsetAt): void {
  if (parent.type === 'link' || parent.type === 'linkReference') return;
  const children = parent.children;
  let out: unknown[] | undefined;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    let pieces: PhrasingContent[] | undefined;
    if (child.type === 'text') {
      if (CANDIDATE.test(child.value)) pieces = cutAll(child, offsetAt);
    } else if ('children' in child) visitParents(child as Parent, offsetAt);
    if (pieces && !out) out = children.slice(0, i);
    if (out) {
      if (pieces) for (const p of pieces) out.push(p);
      else out.push(child);
    }
  }
  if (out) parent.children = out as Parent['children'];
}

/** A text node cut by every finder in turn; undefined when none found anything. */
function cutAll(node: Text, offsetAt: OffsetAt): PhrasingContent[] | undefined {
  let current: PhrasingContent[] = [node];
  let changed = false;
  for (const [pattern, finder] of FINDERS) {
    const next: PhrasingContent[] = [];
    for (const p of current) {
      const cutPieces = p.type === 'text' ? cut(p, pattern, finder, offsetAt) : undefined;
      if (cutPieces) {
        changed = true;
        for (const q of cutPieces) next.push(q);
      } else next.push(p);
    }
    current = next;
  }
  return changed ? current : undefined;
}

function cut(node: Text, pattern: RegExp, finder: Finder, offsetAt: OffsetAt): PhrasingContent[] | undefined {
  const value = node.value;
  const out: PhrasingContent[] = [];
  let last = 0;
  pattern.lastIndex = 0;
  const at = (i: number) => offsetAt(node, i);
  const place = (from: number, to: number) => ({ start: { line: 0, column: 0, offset: at(from) }, end: { line: 0, column: 0, offset: offsetAt(node, to, true) } });
  for (let m = pattern.exec(value); m; m = pattern.exec(value)) {
    const found = finder(m);
    if (!found) {
      pattern.lastIndex = m.index + 1;
      continue;
    }
    if (m.index > last) out.push(piece(node, value.slice(last, m.index), last, m.index, place));
    const end = m.index + found.length;
    const link: Link = { type: 'link', title: null, url: found.url, children: [{ type: 'text', value: found.text, position: place(m.index, end) }], position: place(m.index, end) };
    TEXT_SOURCE.set(link.children[0] as Text, { node, from: m.index });
    out.push(link);
    last = end;
    // What follows the link in the match (trailing punctuation) stays text; scanning goes on after it.
    pattern.lastIndex = Math.max(end, m.index + m[0].length);
  }
  if (out.length === 0) return undefined;
  if (last < value.length) out.push(piece(node, value.slice(last), last, value.length, place));
  return out;
}

/** Text cut out of a text node keeps its way back to the source through the original node. */
const TEXT_SOURCE = new WeakMap<Text, { node: Text; from: number }>();

function piece(node: Text, value: string, from: number, to: number, place: (a: number, b: number) => Text['position']): Text {
  const text: Text = { type: 'text', value, position: place(from, to) };
  TEXT_SOURCE.set(text, { node, from });
  return text;
}

/** For a text node cut by this pass: the node it came from and where it started in it. */
export function cutFrom(node: Text): { node: Text; from: number } | undefined {
  return TEXT_SOURCE.get(node);
}
