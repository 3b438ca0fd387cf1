/**
 * `labdeck verify` on a real node of its own, and what `down` leaves afterwards: nothing (no
 * process, mount, interface, iptables rule or chain, cgroup, container) after a green run,
 * after a failed run, and after kill -9 of kubelet in the middle of a run.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterExit, runClusterScript } from '../../src/cluster/index.ts';
import type { VerifyEvent } from '../../src/verify/events.ts';
import { canRunRealNode, clusterPaths, leftovers, missingBinaries, ownClusterEnv, processesInNetns } from './own-cluster.ts';

const run = promisify(execFile);
const BIN = path.join(import.meta.dirname, '../../bin/labdeck.js');

const defaults = await clusterPaths();
const ready = missingBinaries(defaults, 'real').length === 0 && canRunRealNode();
if (!ready && !process.env.CI) console.warn('tests/cluster/node-verify skipped: a real node needs root and the built binaries and images (labdeck cluster build)');

let root = '';
let env: NodeJS.ProcessEnv = {};
let paths: Record<string, string> = {};
const state = () => env.LABDECK_CLUSTER_STATE!;
const kubeconfig = () => path.join(state(), 'admin.kubeconfig');

type StepEvent = Extract<VerifyEvent, { type: 'step' }>;

/** Starts `labdeck verify` on a one-file deck; resolves with its exit code and events. */
function verify(name: string, markdown: string, onEvent?: (e: VerifyEvent) => void) {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'chapter.md'), markdown);
  const json = path.join(dir, 'events.jsonl');
  const child = spawn(process.execPath, [BIN, 'verify', path.join(dir, 'chapter.md'), '--context', 'labdeck', '--kubeconfig', kubeconfig(), '--json', json], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let seen = 0;
  const events = () => (existsSync(json) ? readFileSync(json, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as VerifyEvent) : []);
  const poll = setInterval(() => {
    const all = events();
    for (const e of all.slice(seen)) onEvent?.(e);
    seen = all.length;
  }, 100);
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise<{ code: number | null; stderr: string; events: VerifyEvent[]; steps: StepEvent[] }>((resolve) =>
    child.on('exit', (code) => {
      clearInterval(poll);
      const all = events();
      resolve({ code, stderr, events: all, steps: all.filter((e): e is StepEvent => e.type === 'step' && e.step.index >= 0) });
    }),
  );
}

/** down, then the proof that nothing is left: leftovers.sh, the node's processes, the host's veth and chains, mounts. */
async function downLeavesNothing() {
  const inNode = processesInNetns(statSync(paths.NETNS_FILE!).ino);
  const containers = (await run('bash', ['-c', `cat $(find /sys/fs/cgroup/pids/${paths.CGROUP_ROOT} -name cgroup.procs) 2>/dev/null || true`])).stdout.split('\n').filter(Boolean).map(Number);
  expect(containers.length, 'containers ran').toBeGreaterThan(0);
  const down = await runClusterScript('down', [], { env });
  expect(down.code, down.stderr).toBe(0);
  const stillRunning = (pid: number) => {
    try {
      return !/^\d+ \([^)]*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  expect([...inNode, ...containers].filter(stillRunning)).toEqual([]);
  expect(await leftovers(env)).toEqual([]);
  expect((await run('ip', ['-o', 'link'])).stdout).not.toContain(paths.HOST_IF!);
  expect((await run('iptables-save', [])).stdout).not.toContain(paths.CHAIN!);
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(state());
  expect(existsSync(`/sys/fs/cgroup/memory/${paths.CGROUP_ROOT}`)).toBe(false);
  expect(existsSync(state())).toBe(false);
}

// ping is PID 1 and ignores SIGTERM: without the forced cleanup, the namespace's deletion waits out each pod's 30 s grace.
const PINGPONG =
  '.lab[\n```bash\nkubectl run pingpong --image alpine ping 127.0.0.1\nkubectl wait pod/pingpong --for condition=ready --timeout=60s\n```\n]\n' +
  '<!--\n```cleanup\nkubectl delete pods --all --grace-period=0 --force\n```\n-->\n';

describe.skipIf(!ready && !process.env.CI)('verify on a real node, then down', () => {
  beforeAll(async () => {
    if (!ready) throw new Error(`a real node needs root and the binaries and images in ${defaults.BIN_DIR}: CI must build them first (scripts/cluster/build.sh)`);
    root = mkdtempSync(path.join(tmpdir(), 'labdeck-node-verify-'));
    env = await ownClusterEnv(root);
    paths = await clusterPaths(env);
  });
  afterAll(async () => {
    if (env.LABDECK_CLUSTER_STATE) await runClusterScript('down', [], { env }).catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('after a green run, down leaves nothing behind', async () => {
    expect((await runClusterScript('up', [], { env })).code).toBe(0);
    const r = await verify(
      'green',
      `# Green\n\n${PINGPONG}\n---\n\n## Logs\n\n.lab[\n\`\`\`bash\nkubectl logs pingpong --tail 1 --follow\n\`\`\`\n<!-- \`\`\`wait seq=2\`\`\` -->\n<!-- \`\`\`key ^C\`\`\` -->\n\`\`\`bash\nkubectl create deployment web --image nginx\nkubectl rollout status deploy/web --timeout=60s\n\`\`\`\n]\n`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/nodes: real node: kubelet v1\.33\.\d+, containerd 1\.\d+\.\d+, runc 1\.\d+/);
    expect(r.steps.find((s) => s.step.text.includes('--follow'))?.output ?? '').toMatch(/64 bytes from 127\.0\.0\.1: seq=\d+ ttl=64 time=/);
    // The run's namespace is gone; containers of the cluster's own (CoreDNS) still run: down removes them.
    await downLeavesNothing();
  }, 300_000);

  it('after a failed run (an image the mirror lacks), the step says which image and where to add it; down leaves nothing', async () => {
    expect((await runClusterScript('up', [], { env })).code).toBe(0);
    const r = await verify(
      'failed',
      `# Failed\n\n${PINGPONG}\n---\n\n## Missing image\n\n.lab[\n\`\`\`bash\nkubectl run nothere --image labdeck/no-such-image:1.0 sleep 1\nkubectl wait pod/nothere --for condition=ready --timeout=15s\n\`\`\`\n]\n`,
    );
    expect(r.code).toBe(1);
    const failed = r.steps.find((s) => s.status === 'failed')!;
    expect(failed.step.text).toContain('kubectl wait pod/nothere');
    expect(failed.message).toMatch(/pod nothere cannot pull image labdeck\/no-such-image:1\.0: labdeck's registry mirror does not have it \(.*scripts\/cluster\/images\.list lists what it has; add the image there/);
    expect(r.stderr).toContain("labdeck's registry mirror does not have it");
    await downLeavesNothing();
  }, 300_000);

  it('after kill -9 of kubelet in the middle of a run: the run fails and ends, status notices, down leaves nothing', async () => {
    expect((await runClusterScript('up', [], { env })).code).toBe(0);
    let killed = false;
    const r = await verify('killed', `# Killed\n\n${PINGPONG}\n---\n\n## Kubelet goes away\n\n.lab[\n\`\`\`bash\nsleep 3; kubectl logs pingpong --tail 1\n\`\`\`\n]\n`, (e) => {
      if (!killed && e.type === 'slide' && e.slide.number === 2) {
        killed = true;
        process.kill(Number(readFileSync(path.join(state(), 'pids', 'kubelet.pid'), 'utf8')), 'SIGKILL');
      }
    });
    expect(killed).toBe(true);
    expect(r.code).toBe(1);
    const failed = r.steps.find((s) => s.status === 'failed')!;
    expect(failed.step.text).toContain('kubectl logs pingpong');
    expect(failed.output ?? '').toMatch(/connect: connection refused|dial tcp/);
    const status = await runClusterScript('status', [], { env });
    expect(status.code).toBe(ClusterExit.staleState);
    expect(status.stdout).toContain('kubelet is not running');
    await downLeavesNothing();
  }, 300_000);
});
