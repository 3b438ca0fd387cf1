import { diffArrays, diffWords } from 'diff';
import type { Severity } from '../model/diagnostic.ts';
import { changedParts, hashParts, type Stamp } from './stamps.ts';
import type { CodeDivergence, PairReport, Status, WordChange } from './report.ts';
import type { CodeItem, SlideText } from './text.ts';

export type Classification = Pick<PairReport, 'statuses' | 'severity' | 'stale' | 'divergence' | 'drift' | 'words' | 'reviewWords'>;

/** Severity of each status; stale is an error only when code changed (learners would type the wrong thing). */
export const SEVERITY: Record<Status, Severity | 'none'> = {
  missing: 'error',
  orphan: 'error',
  stale: 'warning',
  'divergent-code': 'error',
  untranslated: 'warning',
  untracked: 'warning',
  ok: 'none',
};
const ORDER: Status[] = ['divergent-code', 'stale', 'missing', 'orphan', 'untranslated', 'untracked', 'ok'];

/**
 * Statuses of one slot of the alignment. `stamp` is the French slide's stamp when its English
 * slide is this one (or was renamed to it); `currentText` is the English slide normalised now.
 */
export function classify(en: SlideText | undefined, fr: SlideText | undefined, stamp: Stamp | undefined): Classification {
  const statuses = new Set<Status>();
  const out: Classification = { statuses: [], severity: 'none', words: 0, reviewWords: 0 };
  let staleCode = false;
  if (en && !fr) {
    statuses.add('missing');
    out.words = en.words.length;
  } else if (fr && !en) {
    statuses.add('orphan');
    // A French-only slide that brings commands or directives is what the security gate must
    // catch; display-only code there is already covered by `orphan`.
    const added = codeDivergence(undefined, fr).filter((d) => d.kind !== 'code');
    if (added.length > 0) {
      statuses.add('divergent-code');
      out.divergence = added;
    }
    if (looksEnglish(fr)) statuses.add('untranslated');
  } else if (en && fr) {
    const divergence = codeDivergence(en, fr);
    if (divergence.length > 0) {
      statuses.add('divergent-code');
      out.divergence = divergence;
    }
    if (isUntranslated(en, fr)) {
      statuses.add('untranslated');
      out.words = en.words.length;
    }
    // Nothing to translate (a title page of deck variables, a code-only slide copied as is): no stamp needed.
    const nothingToTranslate = en.words.length === 0 && fr.words.length === 0 && en.lines.join('\n') === fr.lines.join('\n');
    if (!stamp && !nothingToTranslate) {
      statuses.add('untracked');
      out.reviewWords = en.words.length;
      const drift = neutralDrift(en, fr);
      if (drift.length > 0) out.drift = drift;
    } else if (stamp) {
      const current = en.lines.join('\n');
      const parts = changedParts(stamp, hashParts(en));
      if (parts.length > 0) {
        statuses.add('stale');
        staleCode = parts.includes('code');
        const diff: WordChange[] = diffWords(stamp.text, current).map((c) => ({
          value: c.value,
          ...(c.added ? { added: true } : {}),
          ...(c.removed ? { removed: true } : {}),
        }));
        out.stale = { parts, diff };
        if (!statuses.has('untranslated')) out.words = countWords(diff.filter((c) => c.added).map((c) => c.value).join(' '));
      }
    }
  }
  if (statuses.size === 0) statuses.add('ok');
  out.statuses = ORDER.filter((s) => statuses.has(s));
  out.severity = out.statuses.map((s) => (s === 'stale' && staleCode ? 'error' : SEVERITY[s])).reduce(maxSeverity, 'none');
  return out;
}

const RANK = { none: 0, info: 1, warning: 2, error: 3 } as const;
export function maxSeverity(a: Severity | 'none', b: Severity | 'none'): Severity | 'none' {
  return RANK[a] >= RANK[b] ? a : b;
}

const countWords = (text: string) => (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).length;

/** Labels of code items: the same label in both languages means the same code. */
function codeLabel(c: CodeItem): string {
  return `${c.inLab ? 'lab:' : ''}${c.lang}\n${c.value}`;
}

/** The code as shown in a report: with its fence language and box when only those differ. */
function show(c: CodeItem, other: CodeItem): string {
  if (c.value !== other.value) return c.value;
  return `${c.inLab ? '(in lab box) ' : ''}\`\`\`${c.lang}\n${c.value}`;
}

function codeKind(c: CodeItem): CodeDivergence['kind'] {
  return c.inLab && /^(bash|sh|shell)$/.test(c.lang) ? 'command' : 'code';
}

/**
 * French code must equal English code: fences (language, content, inside a lab box or not)
 * and directives. Which box (`.lab[` or its old name `.exercise[`) is not code.
 */
export function codeDivergence(en: SlideText | undefined, fr: SlideText): CodeDivergence[] {
  const out: CodeDivergence[] = [];
  const enCode = en?.code ?? [];
  const changes = diffArrays(enCode.map(codeLabel), fr.code.map(codeLabel));
  let ei = 0;
  let fi = 0;
  for (let k = 0; k < changes.length; k++) {
    const c = changes[k]!;
    const n = c.count ?? c.value.length;
    if (!c.added && !c.removed) {
      ei += n;
      fi += n;
      continue;
    }
    const next = changes[k + 1];
    if (c.removed && next?.added) {
      const m = next.count ?? next.value.length;
      for (let i = 0; i < Math.max(n, m); i++) {
        const e = i < n ? enCode[ei + i] : undefined;
        const f = i < m ? fr.code[fi + i] : undefined;
        if (e && f) out.push({ change: 'changed', kind: codeKind(e) === 'command' || codeKind(f) === 'command' ? 'command' : 'code', en: show(e, f), fr: show(f, e), line: f.line });
        else if (f) out.push({ change: 'added', kind: codeKind(f), fr: f.value, line: f.line });
        else if (e) out.push({ change: 'removed', kind: codeKind(e), en: e.value, line: e.line });
      }
      ei += n;
      fi += m;
      k++;
    } else if (c.removed) {
      for (let i = 0; i < n; i++) out.push({ change: 'removed', kind: codeKind(enCode[ei + i]!), en: enCode[ei + i]!.value, line: enCode[ei + i]!.line });
      ei += n;
    } else {
      for (let i = 0; i < n; i++) out.push({ change: 'added', kind: codeKind(fr.code[fi + i]!), fr: fr.code[fi + i]!.value, line: fr.code[fi + i]!.line });
      fi += n;
    }
  }
  const enDirectives = en?.directives ?? [];
  ei = 0;
  fi = 0;
  for (const c of diffArrays(enDirectives, fr.directives)) {
    const n = c.count ?? c.value.length;
    if (c.added) for (let i = 0; i < n; i++) out.push({ change: 'added', kind: 'directive', fr: c.value[i]!, line: fr.directiveLines[fi + i] ?? 0 });
    else if (c.removed) for (let i = 0; i < n; i++) out.push({ change: 'removed', kind: 'directive', en: c.value[i]!, line: en?.directiveLines[ei + i] ?? 0 });
    if (!c.added) ei += n;
    if (!c.removed) fi += n;
  }
  return out;
}

/** Language-neutral items the English slide has and the French one lacks, and the reverse. */
export function neutralDrift(en: SlideText, fr: SlideText): string[] {
  const out: string[] = [];
  const compare = (label: string, a: readonly string[], b: readonly string[]) => {
    const inB = new Set(b);
    const inA = new Set(a);
    for (const x of new Set(a)) if (!inB.has(x)) out.push(`${label} only in English: ${x}`);
    for (const x of new Set(b)) if (!inA.has(x)) out.push(`${label} only in French: ${x}`);
  };
  compare('inline code', en.inlineCode, fr.inlineCode);
  compare('link', en.urls, fr.urls);
  compare('image', en.images, fr.images);
  compare('number', en.numbers, fr.numbers);
  compare('class', en.classes, fr.classes);
  return out;
}

function isUntranslated(en: SlideText, fr: SlideText): boolean {
  if (fr.words.length < 3) return false;
  if (fr.prose === en.prose) return true;
  return looksEnglish(fr);
}

const EN_WORDS = new Set('the and is are of to we you with this that it for be can will what if have has our your they there which from not by an when how'.split(' '));
const FR_WORDS = new Set('le la les des du un une est et nous vous pour dans avec que qui pas sur ce cette il elle sont au aux par plus ne se ou mais leur comme être'.split(' '));

/** Enough common English words and few French ones: a slide still in English. */
export function looksEnglish(text: SlideText): boolean {
  let en = 0;
  let fr = 0;
  for (const w of text.words) {
    if (EN_WORDS.has(w)) en++;
    else if (FR_WORDS.has(w)) fr++;
  }
  return en >= 4 && en >= 3 * fr;
}
