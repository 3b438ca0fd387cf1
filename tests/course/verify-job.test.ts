import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import type { VerifyEvent } from '../../src/verify/events.ts';
import { summarize } from '../../src/verify/report/summary.ts';
import { activeNamespaces, courseDecks, KUBECONFIG, kubectl, needCluster, REPO, verifyProcess } from './cluster-env.ts';

/**
 * Issue 15: deploy/kubernetes/verify-job.yaml, the Indexed Job that runs the shards inside a
 * cluster against itself. The API server validates it (`kubectl apply --dry-run=server`), and its
 * RBAC is proven by use: its objects applied to the loopback cluster, the course verified with
 * the runner service account's token gives the verdicts of an admin, no step refused; what the
 * account may not do, it cannot.
 */
needCluster('tests/course/verify-job.test.ts');

const MANIFEST = join(REPO, 'deploy/kubernetes/verify-job.yaml');
type K8sObject = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, any>; data?: Record<string, string> };
const objects = (): K8sObject[] => parseAllDocuments(readFileSync(MANIFEST, 'utf8')).map((d) => d.toJSON() as K8sObject);
const yaml = (list: K8sObject[]) => list.map((o) => stringify(o)).join('---\n');
const job = () => objects().find((o) => o.kind === 'Job')!;

let dir = '';
let runner = '';

describe.skipIf(!KUBECONFIG)('the Indexed Job of verification shards', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'labdeck-verify-job-'));
    // Everything but the Job, for real: its namespace, account, roles and admission policy.
    const applied = kubectl(KUBECONFIG!, ['apply', '-f', '-'], yaml(objects().filter((o) => o.kind !== 'Job')));
    expect(applied.status, applied.stderr).toBe(0);
    // A kubeconfig as the pod builds it: the runner service account's token.
    const token = kubectl(KUBECONFIG!, ['-n', 'labdeck-verify', 'create', 'token', 'runner', '--duration', '1h']);
    expect(token.status, token.stderr).toBe(0);
    const admin = kubectl(KUBECONFIG!, ['config', 'view', '--minify', '--flatten', '-o', 'json']);
    const cluster = (JSON.parse(admin.stdout) as { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[] }).clusters[0]!.cluster;
    runner = join(dir, 'runner.kubeconfig');
    writeFileSync(
      runner,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'in-cluster', cluster: { server: cluster.server, 'certificate-authority-data': cluster['certificate-authority-data'] } }],
        users: [{ name: 'runner', user: { token: token.stdout.trim() } }],
        contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'runner' } }],
        'current-context': 'in-cluster',
      }),
      { mode: 0o600 },
    );
  });

  afterAll(() => {
    if (KUBECONFIG) kubectl(KUBECONFIG, ['delete', '--ignore-not-found', '--wait=false', '-f', '-'], yaml(objects().filter((o) => o.kind !== 'Job')));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes the API server’s validation, and a broken Job does not', () => {
    const r = kubectl(KUBECONFIG!, ['apply', '--dry-run=server', '-f', MANIFEST]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('job.batch/labdeck-verify created (server dry run)');
    // The dry run is a real check: a pod failure policy needs restartPolicy Never.
    const broken = job();
    broken.spec!.template.spec.restartPolicy = 'OnFailure';
    const refused = kubectl(KUBECONFIG!, ['apply', '--dry-run=server', '-f', '-'], yaml([broken]));
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/restartPolicy/);
  });

  it('runs shard JOB_COMPLETION_INDEX + 1 of as many shards as the Job has completions', () => {
    const spec = job().spec!;
    expect(spec.completionMode).toBe('Indexed');
    const env = Object.fromEntries((spec.template.spec.containers[0].env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
    expect(Number(env.SHARDS)).toBe(spec.completions);
    expect(spec.parallelism).toBe(spec.completions);
    const script = objects().find((o) => o.kind === 'ConfigMap')!.data!['run-shard.sh']!;
    expect(script).toContain('shard=$((JOB_COMPLETION_INDEX + 1))');
    expect(script).toContain('--shard "$shard/$SHARDS"');
    expect(script).toContain('--namespace-role labdeck-verify-lab');
  });

  it('gives the runner what the labs need: the course verified with its token, no step refused', async () => {
    const json = join(dir, 'runner.jsonl');
    const r = await verifyProcess([...courseDecks(), '--kubeconfig', runner, '--context', 'in-cluster', '--namespace-role', 'labdeck-verify-lab', '--json', json, '--history', '0']);
    expect(r.code, r.stderr).toBe(1);
    const events = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as VerifyEvent);
    const steps = events.filter((e): e is Extract<VerifyEvent, { type: 'step' }> => e.type === 'step');
    expect(steps.filter((s) => /forbidden|denied request/i.test(`${s.output ?? ''}${s.message ?? ''}${s.screen ?? ''}`)).map((s) => `${s.step.file}:${s.step.line} ${s.step.text}`)).toEqual([]);
    const units = summarize(events).units;
    // The verdicts of an admin run (tests/course/verify-course.test.ts): English passes, French fails on `kubectl logs deploy/pingpong`.
    expect(units.find((u) => u.id === 'kubernetes-en')!.status).toBe('passed');
    const fr = units.find((u) => u.id === 'kubernetes-fr')!;
    expect(fr.slides.find((s) => s.status === 'failed')!.steps.find((s) => s.status === 'failed')!.step.text).toBe('$ kubectl logs deploy/pingpong');
    expect(activeNamespaces(KUBECONFIG!, (events[0] as Extract<VerifyEvent, { type: 'run-start' }>).run)).toEqual([]);
  }, 300_000);

  it('gives the runner nothing more: no lab permission outside its namespaces, no other namespace, no other role', () => {
    const as = (args: string[], input?: string) => kubectl(runner, args, input);
    expect(as(['auth', 'can-i', 'create', 'pods', '-n', 'default']).stdout.trim()).toBe('no');
    expect(as(['auth', 'can-i', 'list', 'secrets', '-n', 'kube-system']).stdout.trim()).toBe('no');
    expect(as(['auth', 'can-i', 'list', 'secrets', '-n', 'labdeck-verify']).stdout.trim()).toBe('no');
    expect(as(['auth', 'can-i', 'create', 'clusterrolebindings']).stdout.trim()).toBe('no');
    // RBAC lets it create namespaces and role bindings; the admission policy keeps them to its own runs.
    const evil = as(['create', 'namespace', 'evil']);
    expect(evil.status).not.toBe(0);
    expect(evil.stderr).toContain('the verification runner creates only labdeck-… namespaces labelled labdeck.io/run');
    const bind = as(['create', 'rolebinding', 'lab', '-n', 'default', '--clusterrole=labdeck-verify-lab', '--serviceaccount=labdeck-verify:runner']);
    expect(bind.status).not.toBe(0);
    expect(bind.stderr).toContain('binds only labdeck-verify-lab, in the namespaces of verification runs');
    const admin = as(['create', 'rolebinding', 'admin', '-n', 'labdeck-verify', '--clusterrole=cluster-admin', '--serviceaccount=labdeck-verify:runner']);
    expect(admin.status).not.toBe(0);
    expect(admin.stderr).toMatch(/forbidden|denied/i);
    expect(as(['delete', 'namespace', 'kube-public', '--dry-run=server']).status).not.toBe(0);
  });
});
