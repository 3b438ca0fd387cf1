import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadCourse } from '../../src/manifest/index.ts';
import type { VerifyEvent } from '../../src/verify/events.ts';

/**
 * Issue 5: the course, verified against the loopback cluster with the real CLI.
 * The English deck passes every step; the French deck (translated from a pre-1.18 chapter, where
 * `kubectl run` made a Deployment) must fail on the slide that runs `kubectl logs deploy/pingpong`.
 *
 * Needs LABDECK_TEST_KUBECONFIG (CI's .ci/run exports it after `labdeck cluster up`). Locally:
 *   node bin/labdeck.js cluster up && eval "$(node bin/labdeck.js cluster env)" && export LABDECK_TEST_KUBECONFIG=$KUBECONFIG
 */
const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'bin/labdeck.js');
const KUBECONFIG = process.env.LABDECK_TEST_KUBECONFIG;
const FR_CHAPTER = 'fr/k8s/kubectl-run.md';
const FR_BROKEN_COMMAND = 'kubectl logs deploy/pingpong';

if (!KUBECONFIG && !process.env.CI)
  console.warn('tests/course/verify-course.test.ts: skipped, LABDECK_TEST_KUBECONFIG is not set (run `labdeck cluster up`, `eval "$(labdeck cluster env)"`, export LABDECK_TEST_KUBECONFIG=$KUBECONFIG)');

// In CI a missing cluster is a failure, never a silent skip.
it.runIf(!KUBECONFIG && process.env.CI)('CI provides the loopback cluster (LABDECK_TEST_KUBECONFIG)', () => {
  throw new Error('LABDECK_TEST_KUBECONFIG is not set: CI must verify the course against the loopback cluster (.ci/run exports it after `labdeck cluster up`)');
});

type StepEvent = Extract<VerifyEvent, { type: 'step' }>;

/** Runs `labdeck verify <deck>` against the test cluster with JSON and JUnit reports. */
function verifyDeck(deck: string) {
  const out = mkdtempSync(join(tmpdir(), 'labdeck-course-'));
  const json = join(out, 'run.jsonl');
  const junit = join(out, 'junit.xml');
  const kubeconfig = KUBECONFIG!;
  const context = String((parseYaml(readFileSync(kubeconfig, 'utf8')) as { 'current-context'?: string })['current-context'] ?? '');
  const r = spawnSync(process.execPath, [BIN, 'verify', `content/decks/${deck}.yml`, '--context', context, '--kubeconfig', kubeconfig, '--json', json, '--junit', junit], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    timeout: 300_000,
  });
  try {
    const events = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as VerifyEvent);
    const steps = events.filter((e): e is StepEvent => e.type === 'step');
    const runId = (events.find((e) => e.type === 'run-start') as Extract<VerifyEvent, { type: 'run-start' }>).run;
    return { status: r.status, stderr: r.stderr, steps, runId, junit: readFileSync(junit, 'utf8'), kubeconfig };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Namespaces of a run still Active on the cluster (teardown should have deleted them). */
function activeNamespaces(kubeconfig: string, runId: string): string[] {
  const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'get', 'namespaces', '-l', `labdeck.io/run=${runId}`, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase}{"\\n"}{end}'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l.endsWith('=Active'));
}

// Sequential: each run has its own namespace, but the two decks create objects with the same names.
describe.skipIf(!KUBECONFIG).sequential('the course against the loopback cluster (labdeck verify)', () => {
  it('the English deck passes, every step', { timeout: 300_000 }, () => {
    const r = verifyDeck('kubernetes-en');
    expect(r.status, r.stderr).toBe(0);
    expect(r.steps.length).toBeGreaterThanOrEqual(20);
    expect(r.steps.filter((s) => s.status !== 'passed').map((s) => `${s.step.file}:${s.step.line} ${s.step.text}: ${s.status} ${s.message ?? s.reason ?? ''}`)).toEqual([]);
    // The chapter's pre-1.18 trap is asserted, not ignored: scaling a Pod is NotFound.
    expect(r.steps.find((s) => s.step.text.includes('kubectl scale pod pingpong'))).toMatchObject({ status: 'passed', exitCode: 1 });
    expect(r.junit).toMatch(/<testsuite name="First steps with Kubernetes"[^>]* failures="0" skipped="0"/);
    // The loopback cluster's nodes are kwok's: the report says that no container ran.
    expect(r.junit).toMatch(/<property name="simulation" value="Nodes are simulated by kwok: no container runs\./);
    expect(activeNamespaces(r.kubeconfig, r.runId)).toEqual([]);
  });

  it('the French deck fails where the translation is wrong on a modern cluster: kubectl logs deploy/pingpong finds no Deployment', { timeout: 300_000 }, async () => {
    // Where that command is, from the source and the course model (not from the runner's own output).
    const source = readFileSync(join(REPO, 'content', FR_CHAPTER), 'utf8').split('\n');
    const line = source.findIndex((l) => l.trim() === FR_BROKEN_COMMAND) + 1;
    expect(line).toBeGreaterThan(0);
    const course = await loadCourse([join(REPO, 'content/decks/kubernetes-fr.yml')]);
    const slide = course.decks[0]!.slides.find((s) => s.file === FR_CHAPTER && s.code.some((c) => c.lab !== undefined && c.value.split('\n').some((l) => l.trim() === FR_BROKEN_COMMAND)));
    expect(slide).toBeDefined();

    const r = verifyDeck('kubernetes-fr');
    expect(r.status, r.stderr).toBe(1);
    const failed = r.steps.filter((s) => s.status === 'failed');
    const first = failed[0]!;
    expect(first, r.stderr).toBeDefined();
    expect(first.step.text).toBe(`$ ${FR_BROKEN_COMMAND}`);
    expect(`${first.step.file}:${first.step.line}`).toBe(`${FR_CHAPTER}:${line}`);
    expect(first.slide.number).toBe(slide!.number);
    expect(first.slide.file).toBe(FR_CHAPTER);
    expect(first.exitCode).not.toBe(0);
    expect(first.output).toMatch(/NotFound|deployments\.apps "pingpong" not found/);
    expect(first.screen).toContain('deployments.apps "pingpong" not found');
    // Everything before it passed (kubectl run made a Pod); everything after was not run.
    const at = r.steps.indexOf(first);
    expect(r.steps.slice(0, at).map((s) => s.status)).toEqual(r.steps.slice(0, at).map(() => 'passed'));
    expect(r.steps.slice(0, at).map((s) => s.step.text)).toContain('$ kubectl run pingpong --image alpine ping 1.1.1.1');
    expect(r.steps.slice(at + 1).every((s) => s.status === 'skipped')).toBe(true);
    // The JUnit report names the same slide, file and line.
    const testcase = new RegExp(`<testcase name="slide ${slide!.number}: [^"]*" classname="kubernetes-fr" file="${FR_CHAPTER}" line="${slide!.position.line}"[^>]*>\\s*<failure [^>]*>\\$ ${FR_BROKEN_COMMAND}\\nat ${FR_CHAPTER}:${line} \\(slide ${slide!.number}\\)`);
    expect(r.junit).toMatch(testcase);
    expect(r.junit.match(/<failure /g)).toHaveLength(1);
    expect(activeNamespaces(r.kubeconfig, r.runId)).toEqual([]);
  });
});
