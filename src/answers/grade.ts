import { error, type Diagnostic } from '../model/diagnostic.ts';
import type { Question } from './questions.ts';

/** What the learner finds in the answers file before answering. */
export const PLACEHOLDER = '<fix me>';

/** `{"Answer1": "<fix me>", …}` in the order of the questions, as the lab sheet asks for it. */
export function answersTemplate(questions: readonly Question[]): string {
  return `${JSON.stringify(Object.fromEntries(questions.map((q) => [q.key, PLACEHOLDER])), null, 2)}\n`;
}

/**
 * Reads a learner's answers file. Not JSON, not an object, values that are not text, keys no
 * question has: each a diagnostic on the file, never an exception. Numbers are taken as text
 * (`"Answer1": 3` is what learners write for a count).
 */
export function parseAnswers(text: string, file: string, questions: readonly Question[]): { answers: Map<string, string>; diagnostics: Diagnostic[] } {
  const answers = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const at = (line = 1, column = 1) => ({ file, line, column });
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const message = (e as Error).message;
    const offset = /position (\d+)/.exec(message);
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    let line = 1;
    let column = 1;
    if (lineCol) [line, column] = [Number(lineCol[1]), Number(lineCol[2])];
    else if (offset) {
      const before = text.slice(0, Number(offset[1]));
      line = before.split('\n').length;
      column = before.length - before.lastIndexOf('\n');
    }
    diagnostics.push(error('answers/not-json', at(line, column), `${file} is not valid JSON: ${message}`, 'start again from `labdeck answers template <deck>`; keys and answers go in double quotes'));
    return { answers, diagnostics };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    diagnostics.push(error('answers/not-object', at(), `${file} must be one JSON object like {"Answer1": "…"}`, 'start again from `labdeck answers template <deck>`'));
    return { answers, diagnostics };
  }
  const keys = new Set(questions.map((q) => q.key));
  const known = `the questions are ${[...keys].join(', ') || '(none)'}`;
  const lines = keyLines(text);
  const lineOf = (key: string) => lines.get(key) ?? 1;
  let unknown = 0;
  for (const [key, value] of Object.entries(data)) {
    if (!keys.has(key)) {
      // Each one named up to a point; a file of thousands of stray keys gets one line for the rest.
      if (++unknown <= MAX_UNKNOWN_REPORTED) diagnostics.push(error('answers/unknown-key', at(lineOf(key)), `${key}: no question of this lab has that tag`, known));
      continue;
    }
    if (typeof value === 'string') answers.set(key, value);
    else if (typeof value === 'number' || typeof value === 'boolean') answers.set(key, String(value));
    else diagnostics.push(error('answers/not-text', at(lineOf(key)), `${key}: the answer must be text, not ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`, `write "${key}": "your answer"`));
  }
  if (unknown > MAX_UNKNOWN_REPORTED) {
    diagnostics.push(error('answers/unknown-key', at(), `${unknown - MAX_UNKNOWN_REPORTED} more keys no question of this lab has`, `${known}; start again from \`labdeck answers template\``));
  }
  return { answers, diagnostics };
}

const MAX_UNKNOWN_REPORTED = 20;

/** The line of each key of a JSON object (first place written), in one pass over the text. */
function keyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let line = 1;
  let last = 0;
  for (const m of text.matchAll(/"((?:[^"\\\n]|\\.)*)"\s*:/g)) {
    for (let i = text.indexOf('\n', last); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    last = m.index;
    let key: string;
    try {
      key = JSON.parse(`"${m[1]}"`) as string;
    } catch {
      continue;
    }
    if (!out.has(key)) out.set(key, line);
  }
  return out;
}

export type Grade =
  | { key: string; status: 'right'; given: string }
  | { key: string; status: 'wrong'; given: string; expected: string }
  | { key: string; status: 'unanswered' }
  | { key: string; status: 'unchecked'; given: string }
  | { key: string; status: 'check-failed'; given: string; reason: string };

export interface CheckOutput {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs one hidden check (a shell command) on the learner's side: the adapter in run.ts. */
export type RunCheck = (command: string) => Promise<CheckOutput>;

/** Case, surrounding quotes and spacing do not make an answer wrong. */
export function normalizeAnswer(s: string): string {
  return s
    .trim()
    .replace(/^(["'`])(.*)\1$/s, '$2')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Grades answers question by question, in order. A check's output is the right answer; when it
 * prints several lines, any of them is accepted (a check may list the forms it takes, e.g. an IP
 * and the URL around it). A check that fails is reported as such, never as the learner's error.
 */
export interface GradeOptions {
  /**
   * Asks once whether the learner's cluster answers; a reason when it does not. Checks that call
   * kubectl then give no verdict: `kubectl config get-contexts | wc -l` prints `0` without a
   * cluster, and that is not the learner's error.
   */
  clusterProblem?: () => Promise<string | undefined>;
}

/** Whether a check asks the cluster (or the kubeconfig): it names kubectl. */
export const needsCluster = (command: string): boolean => /(^|[^\w-])kubectl([^\w-]|$)/.test(command);

export async function gradeAnswers(questions: readonly Question[], answers: ReadonlyMap<string, string>, run: RunCheck, options: GradeOptions = {}): Promise<Grade[]> {
  const grades: Grade[] = [];
  let noCluster: Promise<string | undefined> | undefined;
  for (const q of questions) {
    const given = answers.get(q.key);
    if (given === undefined || normalizeAnswer(given) === '' || normalizeAnswer(given) === normalizeAnswer(PLACEHOLDER)) {
      grades.push({ key: q.key, status: 'unanswered' });
      continue;
    }
    if (!q.check) {
      grades.push({ key: q.key, status: 'unchecked', given });
      continue;
    }
    if (options.clusterProblem && needsCluster(q.check.command)) {
      noCluster ??= options.clusterProblem();
      const reason = await noCluster;
      if (reason !== undefined) {
        grades.push({ key: q.key, status: 'check-failed', given, reason: `no cluster answers (${reason})` });
        continue;
      }
    }
    const out = await run(q.check.command);
    const expected = out.stdout.trim();
    if (out.timedOut || out.exitCode !== 0 || expected === '') {
      const why = out.timedOut ? 'timed out' : out.exitCode !== 0 ? `exited with ${out.exitCode}` : 'printed nothing';
      grades.push({ key: q.key, status: 'check-failed', given, reason: `\`${q.check.command}\` ${why}${out.stderr.trim() ? `: ${out.stderr.trim().split('\n')[0]}` : ''}` });
      continue;
    }
    const accepted = new Set([expected, ...expected.split('\n')].map(normalizeAnswer).filter((s) => s !== ''));
    grades.push(accepted.has(normalizeAnswer(given)) ? { key: q.key, status: 'right', given } : { key: q.key, status: 'wrong', given, expected });
  }
  return grades;
}
