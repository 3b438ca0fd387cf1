import { dirname, join } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import { writeFileAtomic } from '../shared/files.ts';
import { isRefusal, ReadArea } from '../shared/sandbox.ts';
import { parseStampFile, serializeStampFile, type StampBook } from './stamps.ts';

/** The stamp file of a language: `<content>/parity/<lang>.yml`, committed with the content. */
export function stampPath(contentRoot: string, lang: string): string {
  return join(contentRoot, 'parity', `${lang}.yml`);
}

export interface LoadedStamps {
  book: StampBook;
  diagnostics: Diagnostic[];
  exists: boolean;
  /** The file's text as read (undefined when there is none, or it was refused). */
  text?: string;
}

/** `display` is the path used in diagnostics (relative to the content root). */
export function readStamps(path: string, display: string): LoadedStamps {
  // Part of the course: read as a course file (inside the content root, a regular text file).
  const text = new ReadArea([contentRootOf(path)], 'the content root').text(path, display);
  if (text === undefined) return { book: new Map(), diagnostics: [], exists: false };
  if (isRefusal(text)) return { book: new Map(), diagnostics: [error(text.code, { file: display, line: text.at?.line ?? 1, column: text.at?.column ?? 1 }, text.message, text.hint)], exists: true };
  const { book, diagnostics } = parseStampFile(text, display);
  return { book, diagnostics, exists: true, text };
}

/** Written atomically, so a stamp file is never half-written; never through a link out of the content root. */
export function writeStamps(path: string, book: StampBook): void {
  writeFileAtomic(path, serializeStampFile(book), { within: [contentRootOf(path)] });
}

/** `<content>/parity/<lang>.yml` → `<content>`. */
const contentRootOf = (stampFile: string): string => dirname(dirname(stampFile));
