import { diffArrays } from 'diff';
import type { Matcher } from './step.ts';

/**
 * Tolerant comparison of terminal output with what the author wrote. Both sides go through the same
 * normalisation, so an author may paste real output (with its ages and hashes) or placeholders
 * (`pingpong-xxxxxxxxxx-yyyyy`) and still match.
 */

// Kubernetes generates names from this alphabet (no vowels, no 0/1/3), which keeps words like "deployment" safe;
// `y` is added for the `xxxxxxxxxx-yyyyy` placeholders authors write.
const HASH = '[bcdfghjklmnpqrstvwxyz2456789]';
const MASKS: [RegExp, string][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uid>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  // `date` (Sun Nov 22 04:16:37 UTC 2026) and HTTP dates (Sun, 22 Nov 2026 04:16:37 GMT).
  [/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{2}:\d{2}:\d{2}(?: [A-Z]{2,5})? \d{4}\b/g, '<time>'],
  [/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT\b/g, '<time>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>'],
  [new RegExp(`-${HASH}{8,10}-${HASH}{5}\\b`, 'g'), '-<hash>-<id>'],
  [new RegExp(`-${HASH}{9,10}\\b`, 'g'), '-<hash>'],
  [new RegExp(`-${HASH}{5}\\b(?=\\s|$)`, 'g'), '-<id>'],
  // AGE and durations: 11s, 4m17s, 3h45, 2d, 0.5s; and "(5s ago)".
  [/(?<=^|\s|\()\d+(?:\.\d+)?[smhd](?:\d+[smh]?)?(?=$|\s|\))/gm, '<age>'],
];

/** ANSI is already gone (renderStream); trailing spaces, runs of blanks, edge blank lines and volatile values go too. */
export function normalizeOutput(text: string): string {
  let t = text
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  for (const [re, mask] of MASKS) t = t.replace(re, mask);
  return t;
}

export function contains(haystack: string, m: Matcher): boolean {
  if (m.kind === 'regex') return new RegExp(m.source, m.flags).test(haystack);
  if (haystack.includes(m.text)) return true;
  return normalizeOutput(haystack).includes(normalizeOutput(m.text));
}

/** Last match of a regex (dot matches newlines), newlines removed: the old runner's `copy`. */
export function lastMatch(screen: string, regex: string): string | undefined {
  const all = [...screen.matchAll(new RegExp(regex, 'gs'))];
  const last = all[all.length - 1];
  return last ? last[0].replace(/\n/g, '') : undefined;
}

/**
 * Compares whole outputs line by line after normalisation. A line `...` in the expected text
 * stands for any number of lines. Returns undefined when they match, else a short diff.
 */
export function compareOutput(expected: string, actual: string): string | undefined {
  const exp = normalizeOutput(expected).split('\n');
  const act = normalizeOutput(actual).split('\n');
  if (matchLines(exp, 0, act, 0, new Map())) return undefined;
  return diffLines(exp, act);
}

function matchLines(exp: string[], i: number, act: string[], j: number, memo: Map<string, boolean>): boolean {
  const key = `${i},${j}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let ok: boolean;
  if (i === exp.length) ok = j === act.length;
  else if (exp[i] === '...') ok = matchLines(exp, i + 1, act, j, memo) || (j < act.length && matchLines(exp, i, act, j + 1, memo));
  else ok = j < act.length && exp[i] === act[j] && matchLines(exp, i + 1, act, j + 1, memo);
  memo.set(key, ok);
  return ok;
}

/** Expected (-) against actual (+), normalised, common lines kept for context; 40 lines at most. */
function diffLines(exp: string[], act: string[]): string {
  const lines = diffArrays(exp, act).flatMap((c) => c.value.map((l) => `${c.removed ? '-' : c.added ? '+' : ' '} ${l}`));
  return lines.length > 40 ? [...lines.slice(0, 40), `  … ${lines.length - 40} more lines`].join('\n') : lines.join('\n');
}
