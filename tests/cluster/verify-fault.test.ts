/**
 * Issue 5's fault: the API server killed in the middle of `labdeck verify`. The step must fail
 * with what the terminal showed, cleanup must still be attempted, the exit must be non-zero,
 * nothing may hang, and no tmux server may be left. Runs its own cluster (own state, own ports).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClusterScript } from '../../src/cluster/index.ts';
import { clusterPaths, missingBinaries, ownClusterEnv } from './own-cluster.ts';
import type { VerifyEvent } from '../../src/verify/events.ts';

const run = promisify(execFile);
const BIN = path.join(import.meta.dirname, '../../bin/labdeck.js');

const paths = await clusterPaths();
const built = missingBinaries(paths).length === 0;
if (!built && !process.env.CI) console.warn('tests/cluster/verify-fault skipped: cluster binaries missing; build them with `labdeck cluster build`');

let root = '';
let env: NodeJS.ProcessEnv = {};

describe.skipIf(!built && !process.env.CI)('labdeck verify when the API server dies mid-run', () => {
  beforeAll(async () => {
    if (!built) throw new Error(`cluster binaries missing in ${paths.BIN_DIR}: CI must build them first (scripts/cluster/build.sh)`);
    root = mkdtempSync(path.join(tmpdir(), 'labdeck-verify-fault-'));
    env = await ownClusterEnv(root);
    await runClusterScript('up', [], { env });
  }, 240_000);

  afterAll(async () => {
    if (env.LABDECK_CLUSTER_STATE) await runClusterScript('down', [], { env }).catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('fails the step with the screen, attempts cleanup, exits non-zero, and leaves no tmux server', async () => {
    const kubeconfig = path.join(env.LABDECK_CLUSTER_STATE!, 'admin.kubeconfig');
    const context = (await run('kubectl', ['--kubeconfig', kubeconfig, 'config', 'current-context'])).stdout.trim();
    const deck = path.join(root, 'deck');
    mkdirSync(deck);
    writeFileSync(
      path.join(deck, 'chapter.md'),
      '# Fault\n\n.lab[\n```bash\nkubectl get namespaces\n```\n]\n\n---\n\n## The API server goes away\n\n.lab[\n```bash\nsleep 5; kubectl get pods\n```\n]\n\n---\n\n## Never reached\n\n.lab[\n```bash\nkubectl get nodes\n```\n]\n',
    );
    const json = path.join(root, 'events.jsonl');
    const child = spawn(process.execPath, [BIN, 'verify', path.join(deck, 'chapter.md'), '--context', context, '--kubeconfig', kubeconfig, '--json', json], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

    // Kill kube-apiserver once the runner is on slide 2 (its command sleeps first).
    const events = () => (existsSync(json) ? readFileSync(json, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as VerifyEvent) : []);
    const deadline = Date.now() + 60_000;
    while (!events().some((e) => e.type === 'slide' && e.slide.number === 2)) {
      if (Date.now() > deadline) throw new Error(`the runner never reached slide 2:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const pid = Number(readFileSync(path.join(env.LABDECK_CLUSTER_STATE!, 'pids', 'kube-apiserver.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');

    const code = await Promise.race([exited, new Promise<'hang'>((r) => setTimeout(() => r('hang'), 150_000))]);
    if (code === 'hang') child.kill('SIGKILL');
    expect(code).not.toBe('hang');
    expect(code).not.toBe(0);

    const all = events();
    const steps = all.filter((e): e is Extract<VerifyEvent, { type: 'step' }> => e.type === 'step' && e.step.index >= 0);
    expect(steps.find((s) => s.slide.number === 1)?.status).toBe('passed');
    const failed = steps.find((s) => s.slide.number === 2)!;
    expect(failed.status).toBe('failed');
    expect(failed.screen ?? failed.output ?? '').toMatch(/refused|connect|Unable to connect|EOF|reset/i);
    expect(steps.filter((s) => s.slide.number === 3).every((s) => s.status === 'skipped')).toBe(true);
    // Cleanup ran: deleting the namespace could not succeed, and the run says so.
    const end = all.find((e): e is Extract<VerifyEvent, { type: 'unit-end' }> => e.type === 'unit-end')!;
    expect(end.status).toBe('failed');
    expect((end.warnings ?? []).join('\n')).toMatch(/namespace .* may be left behind/);
    // No tmux server of this run is left.
    const runId = (all.find((e) => e.type === 'run-start') as Extract<VerifyEvent, { type: 'run-start' }>).run;
    const tmux = await run('tmux', ['-L', `labdeck-${runId}-0`, 'list-sessions']).then(
      () => 'alive',
      () => 'gone',
    );
    expect(tmux).toBe('gone');

    // `up` recovers the crashed cluster.
    await runClusterScript('up', [], { env });
    expect((await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes'])).stdout).toContain('Ready');
  }, 300_000);
});
