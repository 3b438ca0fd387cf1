import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, isMap, isScalar, Document, type Node as YamlNode } from 'yaml';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import type { SlideText } from './text.ts';

/**
 * Stamps: for each French slide, the English slide it was translated from and a hash of that
 * slide as it was then. They live in one committed YAML file per language
 * (`content/parity/fr.yml`), sorted, one entry per French slide, so a review shows exactly
 * which slides a translator signed off.
 */
export interface StampParts {
  code: string;
  prose: string;
  media: string;
}

export interface Stamp {
  /** Key of the English slide (see keys.ts) in the English file of the same path. */
  en: string;
  /** Hash of the whole normalised English slide. */
  hash: string;
  parts: StampParts;
  /** The normalised English slide: what `parity` diffs the current English against. */
  text: string;
}

/** French file (relative to the content root) → French slide key → stamp. */
export type StampBook = Map<string, Map<string, Stamp>>;

export const STAMP_FORMAT_VERSION = 1;
export type Part = keyof StampParts;
export const PARTS: readonly Part[] = ['code', 'prose', 'media'];

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The normalised slide is the model's text (soft breaks unwrapped, whitespace collapsed,
 * emphasis and bullet markers gone), so reflowing English never changes a hash, while any
 * character of a command, directive or inline code does.
 */
export function stampOf(enKey: string, text: SlideText): Stamp {
  const parts = hashParts(text);
  return { en: enKey, hash: sha(PARTS.map((p) => parts[p]).join(':')), parts, text: text.lines.join('\n') };
}

export function hashParts(text: SlideText): StampParts {
  const code = [
    ...text.code.map((c) => `${c.inLab ? 'lab ' : ''}${c.lang}\n${c.value}`),
    ...text.directives.map((d) => `<!-- ${d} -->`),
    ...text.inlineCode.map((c) => `\`${c}\``),
  ];
  return {
    code: sha(code.join('\u0000')),
    prose: sha([text.classes.join(','), String(text.fragments), text.prose].join('\u0000')),
    media: sha([...text.urls, '', ...text.images].join('\u0000')),
  };
}

/** Which parts of the English slide changed since the stamp. */
export function changedParts(stamp: Stamp, current: StampParts): Part[] {
  return PARTS.filter((p) => stamp.parts[p] !== current[p]);
}

const HEADER = [
  ' labdeck translation stamps: for each French slide, the English slide it was translated from',
  ' and a hash of that English slide, normalised. Written by `labdeck parity stamp`; review',
  ' changes like code. Keys are slide `name:`s or title slugs (see docs/PARITY.md).',
].join('\n');

export interface StampFileResult {
  book: StampBook;
  diagnostics: Diagnostic[];
}

/**
 * Reads a stamp file. Any problem is an error naming the line: a malformed file is never
 * silently dropped or rewritten (the stamp command refuses to write over it).
 */
export function parseStampFile(text: string, path: string): StampFileResult {
  const book: StampBook = new Map();
  const diagnostics: Diagnostic[] = [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const at = (node: YamlNode | null | undefined, offset = 0) => {
    const pos = lineCounter.linePos(node?.range?.[0] ?? offset);
    return { file: path, line: pos.line, column: pos.col };
  };
  const bad = (node: YamlNode | null | undefined, message: string) =>
    diagnostics.push(error('parity/stamp-file', at(node), message, 'fix the file by hand or restore it from version control; labdeck will not rewrite it while it is invalid'));
  for (const e of doc.errors) {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    diagnostics.push(error('parity/stamp-file', { file: path, line: pos.line, column: pos.col }, `invalid YAML: ${e.message.split('\n')[0]}`, 'fix the file by hand or restore it from version control'));
  }
  if (diagnostics.length > 0) return { book, diagnostics };
  const root = doc.contents;
  if (root === null) return { book, diagnostics };
  if (!isMap(root)) {
    bad(root, 'a stamp file is a map with `version` and `files`');
    return { book, diagnostics };
  }
  const version = root.get('version', true) as YamlNode | undefined;
  if (!isScalar(version) || version.value !== STAMP_FORMAT_VERSION) bad(version ?? root, `unsupported stamp file version (expected \`version: ${STAMP_FORMAT_VERSION}\`)`);
  for (const item of root.items) {
    const key = isScalar(item.key) ? item.key.value : undefined;
    if (key !== 'version' && key !== 'files') bad(item.key as YamlNode, `unknown key \`${String(key)}\` (expected \`version\` and \`files\`)`);
  }
  const files = root.get('files', true) as YamlNode | undefined;
  if (files === undefined || (isScalar(files) && files.value === null)) return { book, diagnostics };
  if (!isMap(files)) {
    bad(files as YamlNode, '`files` must map French files to their slides');
    return { book, diagnostics };
  }
  for (const fileItem of files.items) {
    const file = isScalar(fileItem.key) ? String(fileItem.key.value) : '';
    const slides = fileItem.value;
    if (!isMap(slides)) {
      bad((fileItem.value ?? fileItem.key) as YamlNode, `\`${file}\` must map French slide keys to stamps`);
      continue;
    }
    const entries = new Map<string, Stamp>();
    for (const slideItem of slides.items) {
      const key = isScalar(slideItem.key) ? String(slideItem.key.value) : '';
      const value = slideItem.value;
      const stamp = isMap(value) ? readStamp(value.toJSON() as Record<string, unknown>) : undefined;
      if (!stamp) {
        bad((value ?? slideItem.key) as YamlNode, `stamp \`${file}#${key}\` needs \`en\`, \`hash\`, \`parts\` (code, prose, media) and \`text\``);
        continue;
      }
      entries.set(key, stamp);
    }
    book.set(file, entries);
  }
  return { book, diagnostics };
}

function readStamp(v: Record<string, unknown>): Stamp | undefined {
  const parts = v['parts'] as Record<string, unknown> | undefined;
  const isHash = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{16}$/.test(x);
  if (typeof v['en'] !== 'string' || !isHash(v['hash']) || typeof v['text'] !== 'string' || !parts) return undefined;
  if (!isHash(parts['code']) || !isHash(parts['prose']) || !isHash(parts['media'])) return undefined;
  return { en: v['en'], hash: v['hash'], parts: { code: parts['code'], prose: parts['prose'], media: parts['media'] }, text: v['text'] };
}

/** Deterministic: files and slides sorted, fields in a fixed order, so untouched entries never change. */
export function serializeStampFile(book: StampBook): string {
  const files: Record<string, Record<string, unknown>> = {};
  for (const file of [...book.keys()].sort()) {
    const entries = book.get(file)!;
    if (entries.size === 0) continue;
    const out: Record<string, unknown> = {};
    for (const key of [...entries.keys()].sort()) {
      const s = entries.get(key)!;
      out[key] = { en: s.en, hash: s.hash, parts: { code: s.parts.code, prose: s.parts.prose, media: s.parts.media }, text: s.text };
    }
    files[file] = out;
  }
  const doc = new Document({ version: STAMP_FORMAT_VERSION, files });
  doc.commentBefore = HEADER;
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}
