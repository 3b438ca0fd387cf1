import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { detectNodes } from '../../src/cluster/index.ts';
import { loadCourse } from '../../src/manifest/index.ts';
import type { VerifyEvent } from '../../src/verify/events.ts';

/**
 * The course, verified against the loopback cluster's real node with the real CLI.
 * The English deck passes every step on real containers: real ping lines, a real `--follow`, a
 * real replacement pod after `kubectl delete pod`. The French deck (translated from a pre-1.18
 * chapter, where `kubectl run` made a Deployment) must fail on the slide that runs
 * `kubectl logs deploy/pingpong`, for the reason the API server gives. The French decks with
 * console transcripts replay them; only steps that cannot run on this machine are skipped, each
 * with its reason.
 *
 * Needs LABDECK_TEST_KUBECONFIG (CI's .ci/run exports it after `labdeck cluster up`). Locally:
 *   node bin/labdeck.js cluster up && eval "$(node bin/labdeck.js cluster env)" && export LABDECK_TEST_KUBECONFIG=$KUBECONFIG
 */
const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'bin/labdeck.js');
const KUBECONFIG = process.env.LABDECK_TEST_KUBECONFIG;
const FR_CHAPTER = 'fr/k8s/kubectl-run.md';
const FR_BROKEN_COMMAND = 'kubectl logs deploy/pingpong';
const REAL_NODE = /^real node: kubelet v1\.33\.\d+, containerd 1\.\d+\.\d+, runc 1\.\d+\.\d+$/;

if (!KUBECONFIG && !process.env.CI)
  console.warn('tests/course/verify-course.test.ts: skipped, LABDECK_TEST_KUBECONFIG is not set (run `labdeck cluster up`, `eval "$(labdeck cluster env)"`, export LABDECK_TEST_KUBECONFIG=$KUBECONFIG)');

// In CI a missing cluster is a failure, never a silent skip.
it.runIf(!KUBECONFIG && process.env.CI)('CI provides the loopback cluster (LABDECK_TEST_KUBECONFIG)', () => {
  throw new Error('LABDECK_TEST_KUBECONFIG is not set: CI must verify the course against the loopback cluster (.ci/run exports it after `labdeck cluster up`)');
});

type StepEvent = Extract<VerifyEvent, { type: 'step' }>;
type UnitStart = Extract<VerifyEvent, { type: 'unit-start' }>;

const context = () => String((parseYaml(readFileSync(KUBECONFIG!, 'utf8')) as { 'current-context'?: string })['current-context'] ?? '');
const kubectl = (...args: string[]) => execFileSync('kubectl', ['--kubeconfig', KUBECONFIG!, ...args], { encoding: 'utf8', timeout: 60_000 });

/** Runs `labdeck verify <deck>` against the test cluster with JSON, JUnit and HTML reports. */
function verifyDeck(deck: string, ...extra: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'labdeck-course-'));
  const json = join(out, 'run.jsonl');
  const junit = join(out, 'junit.xml');
  const html = join(out, 'html');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, 'verify', `content/decks/${deck}.yml`, '--context', context(), '--kubeconfig', KUBECONFIG!, '--json', json, '--junit', junit, '--html', html, ...extra], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    timeout: 900_000,
  });
  try {
    const events = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as VerifyEvent);
    const steps = events.filter((e): e is StepEvent => e.type === 'step');
    const runId = (events.find((e) => e.type === 'run-start') as Extract<VerifyEvent, { type: 'run-start' }>).run;
    const unit = events.find((e): e is UnitStart => e.type === 'unit-start')!;
    return { status: r.status, stderr: r.stderr, steps, runId, unit, junit: readFileSync(junit, 'utf8'), html: readFileSync(join(html, 'index.html'), 'utf8'), ms: Date.now() - t0 };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Namespaces of a run still Active on the cluster (teardown should have deleted them). */
function activeNamespaces(runId: string): string[] {
  return kubectl('get', 'namespaces', '-l', `labdeck.io/run=${runId}`, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase}{"\\n"}{end}')
    .split('\n')
    .filter((l) => l.endsWith('=Active'));
}

/** Every report names the node kind: progress on stderr, the JSON events, JUnit and HTML. */
function expectNodeKindEverywhere(r: ReturnType<typeof verifyDeck>) {
  expect(r.unit.nodes).toBe('real');
  expect(r.unit.nodeLabel).toMatch(REAL_NODE);
  expect(r.unit.simulation).toBeUndefined();
  expect(r.stderr).toContain(`  nodes: ${r.unit.nodeLabel}`);
  expect(r.junit).toContain(`<property name="nodes" value="${r.unit.nodeLabel}"/>`);
  expect(r.html).toContain(`<p class="nodes">nodes: ${r.unit.nodeLabel}</p>`);
}

// Sequential: each run has its own namespace, but the decks create objects with the same names.
describe.skipIf(!KUBECONFIG).sequential('the course against the loopback cluster\'s real node (labdeck verify)', () => {
  it('the cluster runs a real node', async () => {
    const nodes = await detectNodes(KUBECONFIG);
    expect(nodes.kind, 'the course verdicts are about real containers: start the cluster with `labdeck cluster up` (real node by default)').toBe('real');
    expect(nodes.label).toMatch(REAL_NODE);
  });

  it('the English deck passes, every step, on real containers', { timeout: 600_000 }, () => {
    const r = verifyDeck('kubernetes-en', '--keep');
    const ns = r.unit.namespace!;
    try {
      expect(r.status, r.stderr).toBe(0);
      expect(r.steps.length).toBeGreaterThanOrEqual(20);
      expect(r.steps.filter((s) => s.status !== 'passed').map((s) => `${s.step.file}:${s.step.line} ${s.step.text}: ${s.status} ${s.message ?? s.reason ?? ''}`)).toEqual([]);
      expectNodeKindEverywhere(r);
      // The chapter's pre-1.18 trap is asserted, not ignored: scaling a Pod is NotFound.
      expect(r.steps.find((s) => s.step.text.includes('kubectl scale pod pingpong'))).toMatchObject({ status: 'passed', exitCode: 1 });
      expect(r.junit).toMatch(/<testsuite name="First steps with Kubernetes"[^>]* failures="0" skipped="0"/);

      // Real ping lines: what busybox's ping printed in the container (times measured, not made up).
      const logs = r.steps.find((s) => s.step.text === '$ kubectl logs pingpong')!;
      expect(logs.output).toMatch(/^PING 127\.0\.0\.1 \(127\.0\.0\.1\): 56 data bytes$/m);
      expect(logs.output).toMatch(/^64 bytes from 127\.0\.0\.1: seq=0 ttl=64 time=\d+\.\d{3} ms$/m);
      // A real --follow: the stream went on until seq=3 arrived, line after line.
      const follow = r.steps.find((s) => s.step.text.includes('--tail 1 --follow'))!;
      const seqs = [...(follow.output ?? '').matchAll(/seq=(\d+)/g)].map((m) => Number(m[1]));
      expect(seqs).toContain(3);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);

      // The real replacement pod: the ReplicaSet started a new container for the deleted one.
      const check = r.steps.find((s) => s.step.kind === 'check')!;
      const deleted = /pod "(pingpong-[a-z0-9]+-[a-z0-9]+)" deleted/.exec(check.output ?? '')?.[1];
      expect(deleted, check.output).toBeDefined();
      const pods = JSON.parse(kubectl('-n', ns, 'get', 'pods', '-l', 'app=pingpong', '-o', 'json')) as {
        items: { metadata: { name: string }; status: { phase: string; containerStatuses: { started: boolean; containerID: string }[] } }[];
      };
      expect(pods.items.map((p) => p.metadata.name)).not.toContain(deleted);
      expect(pods.items).toHaveLength(3);
      for (const p of pods.items) {
        expect(p.status.phase).toBe('Running');
        expect(p.status.containerStatuses[0]!.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
        expect(kubectl('-n', ns, 'logs', p.metadata.name, '--tail', '1')).toMatch(/^64 bytes from 127\.0\.0\.1: seq=\d+ ttl=64/);
      }
    } finally {
      kubectl('delete', 'namespace', ns, '--wait=false');
    }
  });

  it('the French deck fails where the translation is wrong on a modern cluster: kubectl logs deploy/pingpong finds no Deployment', { timeout: 600_000 }, async () => {
    // Where that command is, from the source and the course model (not from the runner's own output).
    const source = readFileSync(join(REPO, 'content', FR_CHAPTER), 'utf8').split('\n');
    const line = source.findIndex((l) => l.trim() === FR_BROKEN_COMMAND) + 1;
    expect(line).toBeGreaterThan(0);
    const course = await loadCourse([join(REPO, 'content/decks/kubernetes-fr.yml')]);
    const slide = course.decks[0]!.slides.find((s) => s.file === FR_CHAPTER && s.code.some((c) => c.lab !== undefined && c.value.split('\n').some((l) => l.trim() === FR_BROKEN_COMMAND)));
    expect(slide).toBeDefined();

    const r = verifyDeck('kubernetes-fr');
    expect(r.status, r.stderr).toBe(1);
    expectNodeKindEverywhere(r);
    const failed = r.steps.filter((s) => s.status === 'failed');
    const first = failed[0]!;
    expect(first, r.stderr).toBeDefined();
    expect(first.step.text).toBe(`$ ${FR_BROKEN_COMMAND}`);
    expect(`${first.step.file}:${first.step.line}`).toBe(`${FR_CHAPTER}:${line}`);
    expect(first.slide.number).toBe(slide!.number);
    expect(first.slide.file).toBe(FR_CHAPTER);
    expect(first.exitCode).not.toBe(0);
    // The API server's answer, as kubectl prints it.
    expect(first.output).toMatch(/error from server \(NotFound\): deployments\.apps "pingpong" not found/);
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
    expect(activeNamespaces(r.runId)).toEqual([]);
  });

  // The imported French decks: their console transcripts replay on the real node. Outputs copied
  // from the learners' own clusters (node names, ages, versions) differ, and the report says how;
  // what cannot run here is skipped, each step with its reason, and none because of the nodes.
  const SKIP_REASONS = [
    /^needs Docker and the course's private registry/,
    /^needs the learner's node address \(172\.31\.20\.49\)/,
    /^an interactive session inside the pod/,
    /^needs minikube/,
    /^needs `kubectl proxy` running in a second terminal/,
    /^the transcript runs inside the pod/,
    /^not run: an earlier step of this slide failed/,
  ];
  for (const deck of ['tp4-fr', 'intro-fr', 'prometheus-fr'])
    it(`${deck}: its transcripts replay on the real node; only what cannot run here is skipped, with its reason`, { timeout: 600_000 }, () => {
      const r = verifyDeck(deck, '--transcripts', '--continue-on-error');
      expectNodeKindEverywhere(r);
      const ran = r.steps.filter((s) => s.status !== 'skipped' && s.step.index >= 0);
      expect(ran.length).toBeGreaterThan(10);
      for (const s of r.steps.filter((x) => x.status === 'skipped'))
        expect(
          SKIP_REASONS.some((re) => re.test(s.reason ?? '')),
          `${s.step.file}:${s.step.line} ${s.step.text}: ${s.reason}`,
        ).toBe(true);
      expect(r.steps.some((s) => /simulated/.test(s.reason ?? ''))).toBe(false);
      // No step hangs the run: each one ends (passed or with its diff) in well under its timeout.
      expect(r.steps.filter((s) => /pane %\d+ is still busy/.test(s.message ?? ''))).toEqual([]);
      expect(activeNamespaces(r.runId)).toEqual([]);
    });
});
