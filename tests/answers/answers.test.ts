import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { answersTemplate, gradeAnswers, parseAnswers } from '../../src/answers/grade.ts';
import { loadQuestions } from '../../src/answers/load.ts';
import { findQuestions } from '../../src/answers/questions.ts';
import { shellRunner } from '../../src/answers/run.ts';
import { parseSource } from '../../src/parse/index.ts';
import { labdeck } from '../cli/run.ts';

const REPO = join(import.meta.dirname, '../..');
const LAB = join(REPO, 'tests/fixtures/import/lab.md');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'labdeck-answers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const questions = () => findQuestions(parseSource(readFileSync(LAB, 'utf8'), { path: 'lab.md' }).slides);

describe('questions of a lab sheet', () => {
  it('are the [AnswerN] tags in order, each with its hidden check', () => {
    const { questions: qs, diagnostics } = questions();
    expect(diagnostics).toEqual([]);
    expect(qs.map((q) => [q.key, q.check?.command])).toEqual([
      ['Answer1', 'echo 3'],
      ['Answer2', "printf 'default\\n'"],
      ['Answer3', undefined],
      ['Answer4', 'exit 3'],
    ]);
    expect(qs[0]).toMatchObject({ text: 'Combien de contextes sont décrits ?', position: { file: 'lab.md', line: 18 } });
    expect(qs[0]!.check!.position.line).toBe(21);
  });

  it('reports a check without a question and a tag used twice', () => {
    const md = '## Q\n\n- Un ? [Answer1]\n- Deux ? [Answer1]\n\n<!-- answer Answer7: echo 1 -->\n';
    const { questions: qs, diagnostics } = findQuestions(parseSource(md, { path: 'q.md' }).slides);
    expect(qs).toHaveLength(1);
    expect(diagnostics.map((d) => [d.code, d.position.line])).toEqual([
      ['answers/duplicate-question', 4],
      ['answers/orphan-check', 6],
    ]);
  });

  it('refuses a check the dialect would mangle (`.word[` is a macro, even in a comment)', () => {
    const md = "## Q\n\nA ? [Answer1]\n\n<!-- answer Answer1: kubectl get po -o jsonpath='{.items[0].metadata.name}' -->\n";
    const { questions: qs, diagnostics } = findQuestions(parseSource(md, { path: 'q.md' }).slides);
    expect(diagnostics.map((d) => [d.code, d.position.line])).toEqual([['answers/check-macro', 5]]);
    expect(qs[0]!.check).toBeUndefined();
  });

  it('give the answers template, in order', () => {
    expect(answersTemplate(questions().questions)).toBe('{\n  "Answer1": "<fix me>",\n  "Answer2": "<fix me>",\n  "Answer3": "<fix me>",\n  "Answer4": "<fix me>"\n}\n');
  });
});

describe('grading', () => {
  const run = shellRunner({ timeoutMs: 5000 });

  it('runs the hidden checks in a shell and says right, wrong, unanswered, unchecked, check failed', async () => {
    const qs = questions().questions;
    const { answers, diagnostics } = parseAnswers('{"Answer1": 3, "Answer2": " \\"Default\\" ", "Answer4": "x"}', 'a.json', qs);
    expect(diagnostics).toEqual([]);
    const grades = await gradeAnswers(qs, answers, run);
    expect(grades).toEqual([
      { key: 'Answer1', status: 'right', given: '3' },
      { key: 'Answer2', status: 'right', given: ' "Default" ' },
      { key: 'Answer3', status: 'unanswered' },
      { key: 'Answer4', status: 'check-failed', given: 'x', reason: '`exit 3` exited with 3' },
    ]);
    const wrong = await gradeAnswers(qs, new Map([['Answer1', '4'], ['Answer3', 'token']]), run);
    expect(wrong.slice(0, 3)).toEqual([
      { key: 'Answer1', status: 'wrong', given: '4', expected: '3' },
      { key: 'Answer2', status: 'unanswered' },
      { key: 'Answer3', status: 'unchecked', given: 'token' },
    ]);
  });

  it('stops a check that hangs', async () => {
    const qs = findQuestions(parseSource('## Q\n\nCombien ? [Answer1]\n\n<!-- answer Answer1: sleep 20; echo 1 -->\n', { path: 'q.md' }).slides).questions;
    const started = Date.now();
    const [grade] = await gradeAnswers(qs, new Map([['Answer1', '1']]), shellRunner({ timeoutMs: 300 }));
    expect(grade).toMatchObject({ status: 'check-failed', reason: '`sleep 20; echo 1` timed out' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads bad answers files as diagnostics, never an exception', () => {
    const qs = questions().questions;
    const notJson = parseAnswers('{\n  "Answer1": 3,\n}\n', 'a.json', qs);
    expect(notJson.diagnostics).toHaveLength(1);
    expect(notJson.diagnostics[0]).toMatchObject({ code: 'answers/not-json', position: { file: 'a.json', line: 3 } });
    expect(parseAnswers('["3"]', 'a.json', qs).diagnostics[0]!.code).toBe('answers/not-object');
    const odd = parseAnswers('{"Answer1": null, "Answer9": "x"}', 'a.json', qs);
    expect(odd.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['answers/not-text', 'Answer1: the answer must be text, not null'],
      ['answers/unknown-key', 'Answer9: no question of this lab has that tag'],
    ]);
    expect(odd.answers.size).toBe(0);
  });
});

describe('labdeck answers', () => {
  it('template writes the file once, then refuses to overwrite a learner\'s answers', async () => {
    const out = join(dir, 'answers_tp.json');
    const first = await labdeck('answers', 'template', LAB, '-o', out);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('4 answers to fill in (3 checked automatically)');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ Answer1: '<fix me>', Answer2: '<fix me>', Answer3: '<fix me>', Answer4: '<fix me>' });
    writeFileSync(out, '{"Answer1": "3"}');
    const again = await labdeck('answers', 'template', LAB, '-o', out);
    expect(again.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('{"Answer1": "3"}');
  });

  it('template of the TP4 deck lists its three questions', async () => {
    const r = await labdeck('answers', 'template', 'tp4-fr');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ Answer1: '<fix me>', Answer2: '<fix me>', Answer3: '<fix me>' });
  });

  it('check prints what is right, wrong and unanswered, and fails unless all is right', async () => {
    const file = join(dir, 'learner.json');
    writeFileSync(file, '{"Answer1": "3", "Answer2": "kube-system", "Answer3": "<fix me>", "Answer9": "?"}');
    const r = await labdeck('answers', 'check', LAB, file);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✔ right +Answer1 +3/);
    expect(r.stdout).toContain('✘ wrong      Answer2  you wrote "kube-system"; on your cluster: "default"');
    expect(r.stdout).toMatch(/\? unanswered Answer3/);
    expect(r.stdout).toContain('4 questions: 1 right, 1 wrong, 2 unanswered, 0 not checked, 0 checks failed');
    expect(r.stderr).toContain('learner.json:1:1: error: Answer9: no question of this lab has that tag');
  });

  it('check refuses an answers file that is not JSON or does not exist, with a hint', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, 'Answer1 = 3\n');
    const r = await labdeck('answers', 'check', LAB, bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.json is not valid JSON');
    expect(r.stdout).toBe('');
    const missing = await labdeck('answers', 'check', LAB, join(dir, 'none.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such answers file');
    expect(missing.stderr).toContain('labdeck answers template');
  });

  // Needs a reachable cluster: LABDECK_TEST_KUBECONFIG=path/to/kubeconfig (e.g. from `labdeck cluster up`).
  it.skipIf(!process.env.LABDECK_TEST_KUBECONFIG)('grades the TP4 questions against a real cluster', async () => {
    const kubeconfig = process.env.LABDECK_TEST_KUBECONFIG!;
    expect(existsSync(kubeconfig)).toBe(true);
    // The right answers, read from the kubeconfig itself rather than through kubectl.
    const config = parseYaml(readFileSync(kubeconfig, 'utf8')) as {
      'current-context': string;
      contexts: { name: string; context: { cluster: string; namespace?: string } }[];
      clusters: { name: string; cluster: { server: string } }[];
    };
    const current = config.contexts.find((c) => c.name === config['current-context'])!;
    const server = config.clusters.find((c) => c.name === current.context.cluster)!.cluster.server;
    const host = new URL(server).hostname;
    const { questions: qs, diagnostics } = await loadQuestions(join(REPO, 'content/decks/tp4-fr.yml'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const answers = new Map([
      ['Answer1', String(config.contexts.length)],
      ['Answer2', host],
      ['Answer3', current.context.namespace ?? 'default'],
    ]);
    const grades = await gradeAnswers(qs, answers, shellRunner({ kubeconfig, timeoutMs: 20_000 }));
    expect(grades.map((g) => g.status)).toEqual(['right', 'right', 'right']);
    const wrong = await gradeAnswers(qs, new Map([['Answer1', String(config.contexts.length + 1)]]), shellRunner({ kubeconfig, timeoutMs: 20_000 }));
    expect(wrong[0]!.status).toBe('wrong');
  });
});
