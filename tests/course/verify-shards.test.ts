import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyEvent } from '../../src/verify/events.ts';
import { summarize } from '../../src/verify/report/summary.ts';
import { labdeck } from '../cli/run.ts';
import { activeNamespaces, courseDecks, currentContext, KUBECONFIG, needCluster, verifyProcess } from './cluster-env.ts';

/**
 * Issue 15: the course verified in 3 shards run side by side against the loopback cluster, each
 * deck in its own namespace, gives, merged, the same verdicts as one run of the whole course.
 */
needCluster('tests/course/verify-shards.test.ts');

let dir = '';
const events = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as VerifyEvent);
const runStart = (file: string) => events(file)[0] as Extract<VerifyEvent, { type: 'run-start' }>;

/** deck → slide → status, and the failing step with the first line of its output. */
function verdicts(file: string) {
  return Object.fromEntries(
    summarize(events(file)).units.map((u) => [
      u.id,
      Object.fromEntries(
        u.slides.map((s) => {
          const f = s.steps.find((x) => x.status === 'failed');
          return [`${s.slide.number} ${s.slide.title}`, f ? `failed: ${f.step.text} → ${(f.output ?? f.message ?? '').split('\n')[0]!.replace(/labdeck-[a-z0-9]+-/g, 'labdeck-<run>-')}` : s.status];
        }),
      ),
    ]),
  );
}

describe.skipIf(!KUBECONFIG)('the course in 3 shards against the loopback cluster', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labdeck-course-shards-'));
    const common = ['--context', currentContext(KUBECONFIG!), '--kubeconfig', KUBECONFIG!, '--history', '0'];
    const one = await verifyProcess([...courseDecks(), ...common, '--json', join(dir, 'one.jsonl')]);
    expect(one.code, one.stderr).toBe(1);
    const shards = await Promise.all([1, 2, 3].map((i) => verifyProcess([...courseDecks(), ...common, '--shard', `${i}/3`, '--json', join(dir, `shard-${i}.jsonl`)])));
    for (const s of shards) expect(s.code, s.stderr).not.toBe(2);
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shares the decks out whole, one per shard, each shard in namespaces of its own', () => {
    const ran = [1, 2, 3].map((i) => summarize(events(join(dir, `shard-${i}.jsonl`))).units.map((u) => u.id));
    expect(ran.flat().sort()).toEqual(['kubernetes-en', 'kubernetes-fr', 'tp4-fr']);
    expect(ran.map((r) => r.length)).toEqual([1, 1, 1]);
    const namespaces = [1, 2, 3].flatMap((i) => events(join(dir, `shard-${i}.jsonl`)).flatMap((e) => (e.type === 'unit-start' && e.namespace ? [e.namespace] : [])));
    expect(new Set(namespaces).size).toBe(3);
    // Each shard's unit-start says what it ran on.
    const start = events(join(dir, 'shard-1.jsonl')).find((e) => e.type === 'unit-start') as Extract<VerifyEvent, { type: 'unit-start' }>;
    expect(start.kubernetes).toMatch(/^v1\.\d+\.\d+/);
    expect(['kwok', 'real', 'mixed']).toContain(start.nodes);
  });

  it('gives, merged, the same verdicts as one run', async () => {
    const merged = join(dir, 'merged.jsonl');
    const r = await labdeck('verify', 'merge', ...[1, 2, 3].map((i) => join(dir, `shard-${i}.jsonl`)), '--json', merged, '--history', '0');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/warning|error/);
    const one = verdicts(join(dir, 'one.jsonl'));
    expect(verdicts(merged)).toEqual(one);
    // The verdicts themselves (issue 5): English passes; French fails on `kubectl logs deploy/pingpong`.
    expect(Object.values(one['kubernetes-en']!).every((v) => v === 'passed')).toBe(true);
    expect(Object.values(one['kubernetes-fr']!)).toContain('failed: $ kubectl logs deploy/pingpong → error: error from server (NotFound): deployments.apps "pingpong" not found in namespace "labdeck-<run>-kubernetes-fr"');
  });

  it('leaves no namespace behind', () => {
    for (const f of ['one', 'shard-1', 'shard-2', 'shard-3']) expect(activeNamespaces(KUBECONFIG!, runStart(join(dir, `${f}.jsonl`)).run)).toEqual([]);
  });
});
