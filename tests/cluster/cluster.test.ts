/**
 * The loopback cluster, for real: real processes, real kubectl.
 *
 * The file runs its own cluster (own state folder, own free ports) so its
 * fault tests (crash, stale state, down) never disturb the cluster `.ci/run`
 * starts for the rest of the suite. One `up` serves the whole file; the tests
 * run in order and the last ones crash and recover it.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterExit, detectSimulation, runClusterScript, type ClusterAction } from '../../src/cluster/index.ts';
import { clusterPaths, freePorts, missingBinaries, ownClusterEnv } from './own-cluster.ts';

const run = promisify(execFile);

const defaults = await clusterPaths();
const missing = missingBinaries(defaults);
const built = missing.length === 0;
if (!built && !process.env.CI) {
  console.warn(
    `tests/cluster skipped: cluster binaries missing in ${defaults.BIN_DIR} (${missing.join(', ')}); ` +
      'build them with `labdeck cluster build` (or scripts/cluster/build.sh), ~6-30 min cold',
  );
}

// Made in beforeAll, so a skipped run leaves no temporary folder behind.
let stateRoot = '';
let env: NodeJS.ProcessEnv = {};
let kubeconfig = '';

const script = (action: ClusterAction, extra: NodeJS.ProcessEnv = {}) =>
  runClusterScript(action, [], { env: { ...env, ...extra } });

const kubectl = async (...args: string[]) => {
  const { stdout } = await run('kubectl', args, {
    env: { ...process.env, KUBECONFIG: kubeconfig },
    timeout: 60_000,
  });
  return stdout;
};

/** `kubectl logs --follow` for `ms` milliseconds, then stopped: what it streamed. */
function follow(ms: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['logs', ...args], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    let stopped = false;
    const t = setTimeout(() => {
      stopped = true;
      child.kill('SIGTERM');
    }, ms);
    child.on('close', (code) => {
      clearTimeout(t);
      // Stopped by us is the expected end of a follow (kubectl's dispatcher then
      // exits 1); exiting on its own means the stream broke.
      if (!stopped) reject(new Error(`kubectl logs --follow ended by itself (exit ${code}): ${err}`));
      else resolve(out);
    });
  });
}

const seqs = (text: string) => [...text.matchAll(/seq=(\d+)/g)].map((m) => Number(m[1]));
const pidOf = (component: string) =>
  Number(readFileSync(path.join(env.LABDECK_CLUSTER_STATE ?? '', 'pids', `${component}.pid`), 'utf8'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** True while pid runs; a zombie awaiting its reaper answers signal 0 but no longer runs. */
function runs(pid: number): boolean {
  try {
    return !/^\d+ \([^)]*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe.skipIf(!built && !process.env.CI)('labdeck cluster (real processes)', () => {
  beforeAll(async () => {
    if (!built) {
      throw new Error(
        `cluster binaries missing in ${defaults.BIN_DIR}: ${missing.join(', ')}. ` +
          'CI must build them first: .ci/run does (scripts/cluster/build.sh); set LABDECK_CLUSTER_BIN if they live elsewhere',
      );
    }
    stateRoot = mkdtempSync(path.join(tmpdir(), 'labdeck-cluster-test-'));
    env = await ownClusterEnv(stateRoot);
    kubeconfig = path.join(env.LABDECK_CLUSTER_STATE!, 'admin.kubeconfig');
    const up = await script('up');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('eval "$(labdeck cluster env)"');
  }, 180_000);

  afterAll(async () => {
    if (env.LABDECK_CLUSTER_STATE) await script('down');
    if (stateRoot) rmSync(stateRoot, { recursive: true, force: true });
  }, 60_000);

  it('a second up reuses the running cluster', async () => {
    const t0 = Date.now();
    const again = await script('up');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('reused');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('env prints a KUBECONFIG export for eval', async () => {
    const res = await script('env');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`export KUBECONFIG='${kubeconfig}'`);
  });

  it('status lists every process, versions, ports, and says the nodes are simulated', async () => {
    const res = await script('status');
    expect(res.code, res.stdout + res.stderr).toBe(0);
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'podlogs']) {
      expect(res.stdout).toMatch(new RegExp(`${c}\\s+\\d+\\s+running`));
    }
    expect(res.stdout).toContain(`kubernetes v${defaults.KVER}`);
    expect(res.stdout).toContain(env.LABDECK_APISERVER_PORT!);
    expect(res.stdout).toMatch(/simulated/);
    expect(res.stdout).toMatch(/synthesized by podlogs\.py/);
    expect(res.stdout).toMatch(/exec: runs the command on THIS HOST/);
  });

  it('reports can tell the nodes are simulated', async () => {
    const sim = await detectSimulation(kubeconfig);
    expect(sim.simulated).toBe(true);
    expect(sim.simulatedNodes).toEqual(['node1', 'node2']);
    expect(sim.realNodes).toEqual([]);
    expect(sim.notice).toMatch(/synthesized/);
  });

  it('every process listens on 127.0.0.1 only, and nodes have loopback addresses', async () => {
    const { stdout } = await run('ss', ['-Hltnp']);
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']) {
      const pid = pidOf(c);
      const mine = stdout.split('\n').filter((l) => l.includes(`pid=${pid},`));
      expect(mine.length, `${c} listens`).toBeGreaterThan(0);
      for (const l of mine) expect(l, c).toMatch(/\s127\.0\.0\.1:\d+\s/);
    }
    const nodes = JSON.parse(await kubectl('get', 'nodes', '-o', 'json')) as {
      items: { status: { addresses?: { type: string; address: string }[]; conditions: { type: string; status: string }[] } }[];
    };
    expect(nodes.items.length).toBeGreaterThan(0);
    for (const n of nodes.items) {
      expect(n.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
      for (const a of n.status.addresses ?? []) {
        if (a.type === 'InternalIP' || a.type === 'ExternalIP') expect(a.address).toBe('127.0.0.1');
      }
    }
  });

  it('kubectl run pingpong: Running and Ready, logs with a growing seq=, --tail 1 --follow streams', async () => {
    await kubectl('run', 'pingpong', '--image', 'alpine', 'ping', '127.0.0.1');
    await kubectl('wait', 'pod', '--selector=run=pingpong', '--for', 'condition=ready', '--timeout=30s');
    const phase = await kubectl('get', 'pod', 'pingpong', '-o', 'jsonpath={.status.phase}');
    expect(phase).toBe('Running');
    await sleep(2_500);
    const first = await kubectl('logs', 'pingpong');
    expect(first).toMatch(/^PING 127\.0\.0\.1 \(127\.0\.0\.1\): 56 data bytes$/m);
    expect(first).toMatch(/^64 bytes from 127\.0\.0\.1: seq=0 ttl=64 time=\d+\.\d+ ms$/m);
    const before = Math.max(...seqs(first));
    const streamed = await follow(3_500, 'pingpong', '--tail', '1', '--follow');
    const s = seqs(streamed);
    expect(s.length, streamed).toBeGreaterThanOrEqual(3);
    expect(s[0]).toBeGreaterThanOrEqual(before);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBe(s[i - 1]! + 1);
  }, 60_000);

  it('kubectl logs deploy/pingpong and -l run=pingpong work', async () => {
    await kubectl('create', 'deployment', 'pingpong', '--image', 'alpine', '--', 'ping', '127.0.0.1');
    await kubectl('rollout', 'status', 'deploy/pingpong', '--timeout=30s');
    await sleep(1_500);
    expect(await kubectl('logs', 'deploy/pingpong')).toMatch(/seq=0 ttl=64/);
    const bySelector = await kubectl('logs', '-l', 'run=pingpong', '--tail', '2');
    expect(seqs(bySelector).length).toBe(2);
  }, 60_000);

  it('kubectl exec runs the command (on the host, in the state folder)', async () => {
    const out = await kubectl('exec', 'pingpong', '--', 'sh', '-c', 'echo hello; pwd; echo $LABDECK_SIMULATED_POD');
    expect(out.split('\n').slice(0, 3)).toEqual(['hello', path.join(env.LABDECK_CLUSTER_STATE!, 'exec'), '1']);
  });

  it('a pod whose output is not simulated says so', async () => {
    await kubectl('run', 'web', '--image', 'nginx');
    await kubectl('wait', 'pod/web', '--for', 'condition=ready', '--timeout=30s');
    await sleep(500);
    expect(await kubectl('logs', 'web')).toMatch(/\[labdeck\] simulated node: .* is not synthesized/);
  });

  it('up fails on a port already taken, naming the port and the variable', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const [a, b, c, d, e] = await freePorts(5);
      const other = path.join(stateRoot, 'other');
      const res = await runClusterScript('up', [], {
        env: {
          LABDECK_CLUSTER_STATE: other,
          LABDECK_ETCD_PORT: String(a),
          LABDECK_ETCD_PEER_PORT: String(b),
          LABDECK_APISERVER_PORT: String(taken),
          LABDECK_KCM_PORT: String(c),
          LABDECK_SCHEDULER_PORT: String(d),
          LABDECK_KWOK_PORT: String(e),
        },
      });
      expect(res.code).toBe(ClusterExit.portTaken);
      expect(res.stderr).toContain(`port ${taken} (kube-apiserver)`);
      expect(res.stderr).toContain('LABDECK_APISERVER_PORT');
      expect(existsSync(path.join(other, 'pids'))).toBe(false); // nothing was started
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('up without binaries says how to build them', async () => {
    const res = await script('up', { LABDECK_CLUSTER_BIN: path.join(stateRoot, 'no-bin'), LABDECK_CLUSTER_STATE: path.join(stateRoot, 'nobin-state') });
    expect(res.code).toBe(ClusterExit.missingBinaries);
    expect(res.stderr).toContain('labdeck cluster build');
  });

  it('a failed build names its log', async () => {
    const cache = path.join(stateRoot, 'cache');
    // A version no proxy serves makes the first step (etcd) fail fast.
    const res = await runClusterScript('build', [], {
      env: {
        LABDECK_CLUSTER_CACHE: cache,
        LABDECK_ETCD_VERSION: '0.0.1-labdeck-does-not-exist',
        LABDECK_ETCD_SOURCE: 'module-only', // no Debian fallback: we want the failure
      },
    });
    expect(res.code).toBe(ClusterExit.buildFailed);
    const log = path.join(cache, `k8s-v${defaults.KVER}`, 'build.log');
    expect(res.stderr).toContain(`full output in ${log}`);
    expect(readFileSync(log, 'utf8')).toContain('=== etcd FAILED');
  }, 120_000);

  it('after a crash (processes killed, a pid file pointing at someone else), status says so and up recovers', async () => {
    // Simulate a crashed run: kill -9 kwok and etcd, and make podlogs' pid file
    // name an unrelated live process (this test runner) as after pid reuse.
    const realPodlogs = pidOf('podlogs');
    process.kill(pidOf('kwok'), 'SIGKILL');
    process.kill(pidOf('etcd'), 'SIGKILL');
    writeFileSync(path.join(env.LABDECK_CLUSTER_STATE!, 'pids', 'podlogs.pid'), `${process.pid}\n`);
    await sleep(500);
    const status = await script('status');
    expect(status.code).toBe(ClusterExit.staleState);
    expect(status.stdout).toMatch(/kwok\s+\d+\s+stopped/);

    const up = await script('up');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('found stale state');
    // We are alive (our pid was not killed), and the orphaned podlogs was stopped.
    expect(runs(realPodlogs)).toBe(false);
    expect(await kubectl('get', 'nodes')).toMatch(/Ready/);
    // Fresh cluster: etcd data went with the state folder.
    expect(await kubectl('get', 'pods', '-o', 'name')).toBe('');
  }, 120_000);

  it('down stops everything and removes the state; down again is fine', async () => {
    const pids = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'podlogs'].map(pidOf);
    const down = await script('down');
    expect(down.code, down.stderr).toBe(0);
    expect(existsSync(env.LABDECK_CLUSTER_STATE!)).toBe(false);
    for (const pid of pids) expect(runs(pid), `pid ${pid}`).toBe(false);
    const again = await script('down');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to stop');
    const status = await script('status');
    expect(status.code).toBe(ClusterExit.notRunning);
  }, 60_000);
});
