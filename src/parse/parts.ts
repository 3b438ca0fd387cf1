import type { Token } from './lexer.ts';

/** One remark.js slide before assembly: `---` opens a slide, `--` continues it with one more step. */
export interface RawPart {
  kind: 'first' | '---' | '--';
  /** Offset of the separator that opened it (start of the file for the first part). */
  separatorStart: number;
  start: number;
  end: number;
  content: Token[];
  notes?: { start: number; end: number; tokens: Token[] };
}

export function splitParts(tokens: readonly Token[], length: number): RawPart[] {
  const parts: RawPart[] = [];
  let current: RawPart = { kind: 'first', separatorStart: 0, start: 0, end: length, content: [] };
  for (const token of tokens) {
    if (token.type === 'separator') {
      close(current, token.start);
      parts.push(current);
      current = { kind: token.kind, separatorStart: token.start, start: token.end, end: length, content: [] };
    } else if (token.type === 'notes') {
      // A second `???` on the same slide is text of the notes, as in remark.js.
      if (current.notes) current.notes.tokens.push({ type: 'text', start: token.start, end: token.end });
      else {
        current.end = token.start;
        current.notes = { start: token.end, end: length, tokens: [] };
      }
    } else if (current.notes) current.notes.tokens.push(token);
    else current.content.push(token);
  }
  close(current, length);
  parts.push(current);
  return parts;
}

function close(part: RawPart, end: number): void {
  if (part.notes) part.notes.end = Math.max(part.notes.start, end);
  else part.end = Math.max(part.start, end);
}

export interface ExtractedProperties {
  properties: Record<string, string>;
  /** Where each property came from, for diagnostics. */
  at: Record<string, number>;
  /** Ranges of the file to hide from the rendered slide. */
  removed: [number, number][];
  /** Properties read from `<!-- key: value -->` comments (a remark.js quirk worth a warning). */
  fromComments: string[];
}

const TOP_PROPERTY = /^\n*([-\w]+):([^$\n]*)/;
const COMMENT_PROPERTY = /\n*<!--\s*([-\w]+):([^$\n]*?)\s*-->/;

/**
 * remark.js reads `key: value` lines at the very top of a slide, and `<!-- key: value -->`
 * anywhere before the first macro. Same rules here, tracking file offsets of what is removed.
 */
export function extractProperties(text: string, part: RawPart): ExtractedProperties {
  const result: ExtractedProperties = { properties: {}, at: {}, removed: [], fromComments: [] };
  let chunk = '';
  const offsets: number[] = [];
  let cursor = part.start;
  for (const token of part.content) {
    if (token.type === 'macro') break;
    if (token.type === 'def') {
      cursor = token.end;
      continue;
    }
    for (let i = Math.max(cursor, token.start); i < token.end; i++) {
      chunk += text[i];
      offsets.push(i);
    }
    cursor = token.end;
  }
  for (;;) {
    const top = TOP_PROPERTY.exec(chunk);
    const m = top ?? COMMENT_PROPERTY.exec(chunk);
    if (!m) break;
    const key = m[1]!.trim();
    const keyIndex = m.index + m[0].indexOf(m[1]!);
    result.properties[key] = m[2]!.trim();
    result.at[key] = offsets[keyIndex] ?? part.start;
    if (!top) result.fromComments.push(key);
    const from = offsets[m.index] ?? part.start;
    const lastIndex = m.index + m[0].length - 1;
    result.removed.push([from, (offsets[lastIndex] ?? from) + 1]);
    chunk = chunk.slice(0, m.index) + chunk.slice(m.index + m[0].length);
    offsets.splice(m.index, m[0].length);
  }
  return result;
}
