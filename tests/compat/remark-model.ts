import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

/**
 * An independent model of what remark.js 0.14 shows for a container.training manifest, to check
 * labdeck against. Nothing here is shared with src/parse or src/manifest:
 * - markmaker.py joins every content entry with `\n---\n` into one document;
 * - remark's block lexer (gnab/remark src/remark/lexer.js) cuts it with its own regular
 *   expressions, counting every bracket after a `.x[` to find the closing one (`\.x[` is text,
 *   as remark's lexer test "should ignore escaped content class" says);
 * - the parser starts a slide at `---`, a continued one at `--`, and reads `key: value`
 *   properties from the text before the slide's first `.x[` macro;
 * - a slide is dropped when a class of its own `class:` (split on ", ") is excluded.
 */

const RE: Record<string, RegExp> = {
  CODE: /(?:^|\n)( {4}[^\n]+\n*)+/,
  INLINE_CODE: /`([^`]+?)`/,
  CONTENT: /(?:\\)?((?:\.[a-zA-Z_\-][a-zA-Z\-_0-9]*)+)\[/,
  // `\4` is the fence's group number once composed (a literal could not name it).
  FENCES: new RegExp(String.raw`(?:^|\n) *(\x60{3,}|~{3,}) *(?:\S+)? *\n(?:[\s\S]+?)\s*\4 *(?:\n+|$)`),
  DEF: /(?:^|\n) *\[([^\]]+)\]: *<?([^\s>]+)>?(?: +["(]([^\n]+)[")])? *(?:\n+|$)/,
  MACRO: /!\[:([^\] ]+)([^\]]*)\](?:\(([^\)]*)\))?/,
  SEPARATOR: /(?:^|\n)(---?)(?:\n|$)/,
  NOTES_SEPARATOR: /(?:^|\n)(\?{3})(?:\n|$)/,
};
const compose = (names: string) => new RegExp(names.replace(/\w{2,}/g, (k) => RE[k]!.source));
const BLOCK = compose('CODE|INLINE_CODE|CONTENT|FENCES|DEF|MACRO|SEPARATOR|NOTES_SEPARATOR');
const INLINE = compose('CODE|INLINE_CODE|CONTENT|FENCES|DEF|MACRO');
// Capture group numbers in the composed expressions, as in remark's lexer.
const G = { code: 1, icode: 2, content: 3, fences: 4, def: 5, macro: 8, sep: 11, notes: 12 };

type Tok =
  | { type: 'text' | 'code' | 'fences'; text: string }
  | { type: 'def' | 'macro' | 'content_end' }
  | { type: 'notes'; start: number }
  | { type: 'content_start'; classes: string[] }
  | { type: 'separator'; dashes: string; start: number; end: number };

/** remark's `lex`: `src` shrinks as tokens are taken, so `^` means "just after the last token". */
function lex(src: string, regex: RegExp, base: number, out: Tok[]): Tok[] {
  let cap: RegExpExecArray | null;
  while ((cap = regex.exec(src)) !== null) {
    if (cap.index > 0) out.push({ type: 'text', text: src.slice(0, cap.index) });
    const next = cap.index + cap[0].length;
    if (cap[G.code]) out.push({ type: 'code', text: cap[0] });
    else if (cap[G.icode]) out.push({ type: 'text', text: cap[0] });
    else if (cap[G.fences]) out.push({ type: 'fences', text: cap[0] });
    else if (cap[G.def]) out.push({ type: 'def' });
    else if (cap[G.macro]) out.push({ type: 'macro' });
    else if (cap[G.sep]) out.push({ type: 'separator', dashes: cap[G.sep]!, start: base + cap.index, end: base + next });
    else if (cap[G.notes]) out.push({ type: 'notes', start: base + cap.index });
    else if (cap[0].startsWith('\\')) out.push({ type: 'text', text: cap[0].slice(1) }); // `\.x[`: escaped, stays text
    else if (cap[G.content]) {
      let depth = 1;
      let pos = next;
      while (depth > 0 && pos < src.length) {
        const c = src[pos++];
        depth += c === '[' ? 1 : c === ']' ? -1 : 0;
      }
      if (depth === 0) {
        const inner = src.slice(next, pos - 1);
        out.push({ type: 'content_start', classes: cap[G.content]!.slice(1).split('.') });
        lex(inner, INLINE, base + next, out);
        out.push({ type: 'content_end' });
        src = src.slice(inner.length + 1);
        base += inner.length + 1;
      } else {
        out.push({ type: 'text', text: cap[0] });
      }
    }
    src = src.slice(next);
    base += next;
  }
  if (src) out.push({ type: 'text', text: src });
  return out;
}

/** remark's `extractProperties`, applied to the text before the slide's first macro. */
function extractProperties(source: string): Record<string, string> {
  const finder = /^\n*([-\w]+):([^$\n]*)|\n*(?:<!--\s*)([-\w]+):([^$\n]*?)(?:\s*-->)/i;
  const properties: Record<string, string> = {};
  let m: RegExpExecArray | null;
  while ((m = finder.exec(source)) !== null) {
    source = source.slice(0, m.index) + source.slice(m.index + m[0].length);
    if (m[1] !== undefined) properties[m[1].trim()] = m[2]!.trim();
    else properties[m[3]!.trim()] = m[4]!.trim();
  }
  return properties;
}

export interface RemarkSlide {
  /** Source file relative to the manifest folder; the manifest itself for inline entries. */
  file: string;
  /** First non-blank line of the slide (labdeck's position convention); undefined for inline entries. */
  line?: number;
  continued: boolean;
  properties: Record<string, string>;
  excluded: boolean;
  /** Holds `@@TOC@@`, which markmaker.py replaces with the table of contents slides. */
  toc: boolean;
}

interface Entry {
  file: string;
  text: string;
  inline: boolean;
}

function contentEntries(manifestPath: string): { entries: Entry[]; exclude: string[] } {
  const doc = parseDocument(readFileSync(manifestPath, 'utf8'));
  const root = dirname(manifestPath);
  const manifestName = manifestPath.slice(root.length + 1);
  const entries: Entry[] = [];
  const walk = (node: Node | null | undefined): void => {
    if (isSeq(node)) for (const item of node.items) walk(item as Node);
    else if (isScalar(node)) {
      const value = String(node.value);
      if (value.includes('\n')) entries.push({ file: manifestName, text: value, inline: true });
      else entries.push({ file: value, text: readFileSync(join(root, value), 'utf8'), inline: false });
    }
  };
  const contents = doc.contents;
  if (!isMap(contents)) throw new Error(`${manifestPath}: not a YAML mapping`);
  walk(contents.get('content', true) as Node);
  const exclude = (contents.toJSON() as { exclude?: string[] }).exclude ?? [];
  return { entries, exclude };
}

/** Every slide remark.js 0.14 would build from the manifest's content, in order, excluded ones included. */
export function remarkSlides(manifestPath: string): RemarkSlide[] {
  const { entries, exclude } = contentEntries(manifestPath);
  return slidesOf(entries, exclude);
}

/** The slides of one Markdown text on its own. */
export function remarkSlidesOfText(text: string, file = 'test.md', exclude: string[] = []): RemarkSlide[] {
  return slidesOf([{ file, text, inline: false }], exclude);
}

function slidesOf(entries: Entry[], exclude: string[]): RemarkSlide[] {
  const JOIN = '\n---\n';
  const starts: number[] = [];
  let deck = '';
  entries.forEach((e, i) => {
    if (i > 0) deck += JOIN;
    starts.push(deck.length);
    deck += e.text;
  });
  const locate = (offset: number, end: number): { entry: Entry; line?: number } => {
    let i = starts.length - 1;
    while (i > 0 && starts[i]! > offset) i--;
    const entry = entries[i]!;
    let at = offset;
    while (at < end && /\s/.test(deck[at]!)) at++;
    if (at === end) at = offset;
    const line = entry.inline ? undefined : deck.slice(starts[i], at).split('\n').length;
    return line === undefined ? { entry } : { entry, line };
  };

  interface Raw {
    start: number;
    end: number;
    continued: boolean;
    first: string;
    firstDone: boolean;
    /** After `???`: what follows is speaker notes, not the slide. */
    notes?: boolean;
  }
  const raws: Raw[] = [{ start: 0, end: deck.length, continued: false, first: '', firstDone: false }];
  let depth = 0;
  for (const t of lex(deck, BLOCK, 0, [])) {
    const cur = raws[raws.length - 1]!;
    if (t.type === 'separator') {
      if (!cur.notes) cur.end = t.start;
      raws.push({ start: t.end, end: deck.length, continued: t.dashes === '--', first: '', firstDone: false });
    }
    else if (t.type === 'content_start') {
      depth++;
      cur.firstDone = true;
    }
    else if (t.type === 'content_end') depth--;
    else if (t.type === 'notes') {
      cur.firstDone = true;
      if (!cur.notes) cur.end = t.start;
      cur.notes = true;
    }
    else if ((t.type === 'text' || t.type === 'code' || t.type === 'fences') && !cur.firstDone && depth === 0) cur.first += t.text;
  }
  return raws.map((r) => {
    const properties = extractProperties(r.first);
    const classes = (properties.class ?? '').split(', ');
    const { entry, line } = locate(r.start, r.end);
    const toc = deck.slice(r.start, r.end).includes('@@TOC@@');
    const slide: RemarkSlide = { file: entry.file, continued: r.continued, properties, excluded: classes.some((c) => exclude.includes(c)), toc };
    if (line !== undefined) slide.line = line;
    return slide;
  });
}

/**
 * `# Title` lines of the included files, the way markmaker.py finds chapters (`^# (.*)`, fences
 * ignored), inline code backticks dropped as in labdeck's plain-text chapter titles.
 */
export function markmakerTitles(manifestPath: string): string[] {
  return contentEntries(manifestPath).entries.flatMap((e) => [...e.text.matchAll(/^# (.*)$/gm)].map((m) => m[1]!.replace(/`/g, '').trim()));
}
