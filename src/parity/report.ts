import type { Diagnostic, Severity } from '../model/diagnostic.ts';
import type { Via } from './align.ts';
import type { Part, Stamp } from './stamps.ts';

/** What parity says about one English/French slide pair (or a slide alone on one side). */
export type Status = 'missing' | 'orphan' | 'stale' | 'divergent-code' | 'untranslated' | 'untracked' | 'ok';
export const STATUSES: readonly Status[] = ['missing', 'orphan', 'stale', 'divergent-code', 'untranslated', 'untracked', 'ok'];

/** The report's formats (`formatReport`). */
export type Format = 'text' | 'json' | 'md' | 'html';
export const FORMATS: readonly Format[] = ['text', 'json', 'md', 'html'];

/** What `parity --fail-on` accepts: a status, a stale part, or a diagnostic severity. */
export const FAIL_ON: readonly string[] = [...STATUSES.filter((s) => s !== 'ok'), 'stale:code', 'stale:prose', 'stale:media', 'error', 'warning'];

export interface SlideRef {
  /** File relative to the content root. */
  file: string;
  /** Index among the file's slides. */
  index: number;
  /** Stamp key (see keys.ts). */
  key: string;
  line: number;
  title?: string;
}

export interface CodeDivergence {
  change: 'changed' | 'added' | 'removed';
  /** `command`: a ```bash``` fence in a lab box or a directive, i.e. something the runner executes. */
  kind: 'command' | 'code' | 'directive';
  en?: string;
  fr?: string;
  /** French line (English line for `removed`). */
  line: number;
}

/** One piece of the English word diff since the stamp. */
export interface WordChange {
  value: string;
  added?: boolean;
  removed?: boolean;
}

export interface PairReport {
  en?: SlideRef;
  fr?: SlideRef;
  via?: Via;
  similarity: number;
  /** Most severe first; `['ok']` when there is nothing to do. */
  statuses: Status[];
  severity: Severity | 'none';
  /** Stale: which parts of the English slide changed since the stamp, and how. */
  stale?: { parts: Part[]; diff: WordChange[] };
  divergence?: CodeDivergence[];
  /** Untracked pairs: language-neutral things that differ, the likely places the translation is behind. */
  drift?: string[];
  /** English words to translate (missing, untranslated) or to re-translate (words added since the stamp). */
  words: number;
  /** English words to review (untracked). */
  reviewWords: number;
  stamp?: Stamp;
}

export interface Summary {
  enSlides: number;
  frSlides: number;
  counts: Record<Status, number>;
  /** Percentage of English slides whose translation is `ok`, 0–100, one decimal. */
  upToDate: number;
  wordsToTranslate: number;
  wordsToReview: number;
  orphanStamps: number;
}

export interface OrphanStamp {
  frFile: string;
  key: string;
  stamp: Stamp;
}

export interface FileReport {
  en: string;
  fr: string;
  enExists: boolean;
  frExists: boolean;
  pairs: PairReport[];
  /** Stamps whose French slide no longer exists. */
  orphanStamps: OrphanStamp[];
  diagnostics: Diagnostic[];
  summary: Summary;
}

export interface DeckSummary {
  /** French deck id, and the English deck it translates when there is one. */
  deck: string;
  enDeck?: string;
  files: string[];
  summary: Summary;
}

export interface ParityReport {
  lang: string;
  files: FileReport[];
  decks: DeckSummary[];
  summary: Summary;
  diagnostics: Diagnostic[];
}

export function summarize(files: readonly FileReport[]): Summary {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  let enSlides = 0;
  let frSlides = 0;
  let ok = 0;
  let wordsToTranslate = 0;
  let wordsToReview = 0;
  let orphanStamps = 0;
  for (const f of files) {
    orphanStamps += f.orphanStamps.length;
    for (const p of f.pairs) {
      if (p.en) enSlides++;
      if (p.fr) frSlides++;
      if (p.en && p.statuses[0] === 'ok') ok++;
      for (const s of p.statuses) counts[s]++;
      wordsToTranslate += p.words;
      wordsToReview += p.reviewWords;
    }
  }
  const upToDate = enSlides === 0 ? 100 : Math.round((1000 * ok) / enSlides) / 10;
  return { enSlides, frSlides, counts, upToDate, wordsToTranslate, wordsToReview, orphanStamps };
}
