import type { SourceFile } from '../model/chapter.ts';
import type { Deck } from '../model/deck.ts';
import { diagnostic, type Diagnostic } from '../model/diagnostic.ts';
import { checkFilePair, counterpartPath, side } from './check.ts';
import { summarize, type DeckSummary, type FileReport, type ParityReport } from './report.ts';
import type { StampBook } from './stamps.ts';

export { annotationsFor, type AnnotateOptions } from './annotate.ts';
export { checkFilePair, side } from './check.ts';
export type * from './report.ts';

const info = (code: string, position: Diagnostic['position'], message: string, hint: string): Diagnostic => diagnostic('info', code, position, message, hint);

export interface FilePair {
  en: string;
  fr: string;
}

export interface ParityInput {
  /** Target language (the source is always `en`). */
  lang: string;
  /** Parsed files by path relative to the content root; a path absent here does not exist. */
  files: ReadonlyMap<string, SourceFile>;
  pairs: readonly FilePair[];
  stamps: StampBook;
  /** Translated decks and the English deck of the same `meta.group`, for the roll-ups. */
  decks?: readonly { deck: Deck; source?: Deck }[];
}

/** `en/x.md` ↔ `<lang>/x.md` for every path given, whichever side it names; others are ignored. */
export function pairFiles(paths: Iterable<string>, lang: string): FilePair[] {
  const pairs = new Map<string, FilePair>();
  for (const p of paths) {
    const fr = counterpartPath(p, 'en', lang);
    const en = counterpartPath(p, lang, 'en');
    const pair = fr ? { en: p, fr } : en ? { en, fr: p } : undefined;
    if (pair) pairs.set(pair.fr, pair);
  }
  return [...pairs.values()].sort((a, b) => a.fr.localeCompare(b.fr));
}

function frenchFirst(report: FileReport): FileReport {
  const diagnostics: Diagnostic[] = report.diagnostics.map((d) =>
    d.code === 'parity/no-english-file'
      ? info('parity/no-english-version', d.position, `${report.fr} has no English version yet`, `write ${report.en} when the course gets an English deck; labdeck parity will then align it`)
      : d,
  );
  const french: FileReport = { ...report, pairs: [], diagnostics };
  french.summary = summarize([french]);
  return french;
}

/** The parity report of a set of file pairs. Pure: everything is already read and parsed. */
export function checkParity(input: ParityInput): ParityReport {
  // French files of a deck that has an English deck are translations; any other French file
  // without an English one is French-first material: it has no English version yet, and that is no error.
  const translated = new Set<string>();
  for (const { deck, source } of input.decks ?? []) if (source) for (const f of deck.files) translated.add(f.path);
  const files: FileReport[] = input.pairs.map((p) => {
    const report = checkFilePair(side(p.en, input.files.get(p.en)), side(p.fr, input.files.get(p.fr)), input.stamps.get(p.fr) ?? new Map());
    return !report.enExists && report.frExists && !translated.has(p.fr) ? frenchFirst(report) : report;
  });
  const byFr = new Map(files.map((f) => [f.fr, f]));
  const decks: DeckSummary[] = (input.decks ?? []).map(({ deck, source }) => {
    const paths = new Set<string>();
    for (const f of deck.files) if (byFr.has(f.path)) paths.add(f.path);
    for (const f of source?.files ?? []) {
      const fr = counterpartPath(f.path, 'en', input.lang);
      if (fr && byFr.has(fr)) paths.add(fr);
    }
    const reports = [...paths].map((p) => byFr.get(p)!);
    return { deck: deck.id, ...(source ? { enDeck: source.id } : {}), files: [...paths], summary: summarize(reports) };
  });
  return { lang: input.lang, files, decks, summary: summarize(files), diagnostics: files.flatMap((f) => f.diagnostics) };
}
