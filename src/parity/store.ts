import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import { writeFileAtomic } from '../shared/files.ts';
import { parseStampFile, serializeStampFile, type StampBook } from './stamps.ts';

/** The stamp file of a language: `<content>/parity/<lang>.yml`, committed with the content. */
export function stampPath(contentRoot: string, lang: string): string {
  return join(contentRoot, 'parity', `${lang}.yml`);
}

export interface LoadedStamps {
  book: StampBook;
  diagnostics: Diagnostic[];
  exists: boolean;
}

/** `display` is the path used in diagnostics (relative to the content root). */
export function readStamps(path: string, display: string): LoadedStamps {
  if (!existsSync(path)) return { book: new Map(), diagnostics: [], exists: false };
  const { book, diagnostics } = parseStampFile(readFileSync(path, 'utf8'), display);
  return { book, diagnostics, exists: true };
}

/** Written atomically, so a stamp file is never half-written. */
export function writeStamps(path: string, book: StampBook): void {
  writeFileAtomic(path, serializeStampFile(book));
}
