import { error, type Diagnostic } from '../model/diagnostic.ts';
import type { Side } from './check.ts';
import { codeDivergence } from './classify.ts';
import type { FileReport } from './report.ts';
import { stampOf, type Stamp, type StampBook } from './stamps.ts';

export interface StampRequest {
  /** French slides to stamp, by start line or key; empty: every French slide of the file. */
  slides: (number | string)[];
  /** Stamp against this English slide key instead of the aligned one (one French slide only). */
  en?: string;
  /** Drop the file's stamps whose French slide is gone. */
  prune?: boolean;
}

export interface StampResult {
  book: StampBook;
  stamped: string[];
  pruned: string[];
  diagnostics: Diagnostic[];
}

/**
 * Records that the French slides asked for were checked against their English slide as it is
 * now. Returns a new book: other files' entries and the file's other slides are untouched.
 * Refused (with the reason, per slide) while the French code diverges from the English, or
 * when there is no English slide to stamp against.
 */
export function stampSlides(book: StampBook, report: FileReport, en: Side, fr: Side, request: StampRequest): StampResult {
  const diagnostics: Diagnostic[] = [];
  const entries = new Map<string, Stamp>(book.get(report.fr) ?? []);
  const stamped: string[] = [];
  const pruned: string[] = [];

  const wanted = new Set<number>();
  for (const s of request.slides) {
    const index = typeof s === 'number' ? fr.slides.findIndex((x, i) => x.position.line <= s && (fr.slides[i + 1]?.position.line ?? Infinity) > s) : fr.keys.indexOf(s);
    if (index === -1) {
      diagnostics.push(error('parity/stamp-target', { file: report.fr, line: typeof s === 'number' ? s : 1, column: 1 }, `no French slide ${typeof s === 'number' ? `at line ${s}` : `with key \`${s}\``} in ${report.fr}`, `keys of this file: ${fr.keys.join(', ')}`));
    } else wanted.add(index);
  }
  if (request.slides.length === 0) fr.slides.forEach((_, i) => wanted.add(i));
  if (request.en !== undefined && wanted.size !== 1) {
    diagnostics.push(error('parity/stamp-target', { file: report.fr, line: 1, column: 1 }, '`--en` pairs one French slide with one English slide', 'name exactly one French slide: <fr file>:<line> or <fr file>#<key>'));
    return { book, stamped, pruned, diagnostics };
  }

  for (const index of [...wanted].sort((a, b) => a - b)) {
    const pair = report.pairs.find((p) => p.fr?.index === index);
    const where = fr.slides[index]!.position;
    const key = fr.keys[index]!;
    let enIndex = pair?.en?.index;
    if (request.en !== undefined) {
      enIndex = en.keys.indexOf(request.en);
      if (enIndex === -1) {
        diagnostics.push(error('parity/stamp-target', where, `no English slide with key \`${request.en}\` in ${report.en}`, `keys of the English file: ${en.keys.join(', ')}`));
        continue;
      }
    }
    if (enIndex === undefined) {
      diagnostics.push(error('parity/stamp-refused', where, `French slide \`${key}\` has no English counterpart: nothing to stamp it against`, `if it does translate an English slide, say which: labdeck parity stamp ${report.fr}:${where.line} --en <key>`));
      continue;
    }
    const divergent = request.en === undefined ? pair?.statuses.includes('divergent-code') : divergesFrom(en, fr, enIndex, index);
    if (divergent) {
      diagnostics.push(error('parity/stamp-refused', where, `French slide \`${key}\` has commands or code that differ from the English slide \`${en.keys[enIndex]}\` (${report.en}:${en.slides[enIndex]!.position.line})`, 'make its code blocks and directives identical to the English ones, then stamp again'));
      continue;
    }
    entries.set(key, stampOf(en.keys[enIndex]!, en.texts[enIndex]!));
    stamped.push(key);
  }
  if (request.prune) {
    const live = new Set(fr.keys);
    for (const key of [...entries.keys()]) if (!live.has(key)) {
      entries.delete(key);
      pruned.push(key);
    }
  }
  const next: StampBook = new Map(book);
  if (entries.size > 0) next.set(report.fr, entries);
  else next.delete(report.fr);
  return { book: next, stamped, pruned, diagnostics };
}

function divergesFrom(en: Side, fr: Side, e: number, f: number): boolean {
  return codeDivergence(en.texts[e]!, fr.texts[f]!).length > 0;
}
