import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { runClusterScript } from '../../src/cluster/index.ts';

/**
 * What cluster test files share: where the binaries are, and the environment of a cluster of
 * their own (own state folder, own free loopback ports; a real node gets its own network
 * namespace, link addresses, cgroups and iptables chains from the state folder's path), so fault
 * tests never disturb the cluster `.ci/run` starts for the rest of the suite.
 */

const run = promisify(execFile);

/** Where build.sh puts the binaries (honours LABDECK_CLUSTER_BIN and the cache variables). */
export async function clusterPaths(env: NodeJS.ProcessEnv = {}): Promise<Record<string, string>> {
  const res = await runClusterScript('paths', [], { env });
  return Object.fromEntries(
    res.stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** The binaries (and, for a real node, mirror images) build.sh should have produced that are not there. */
export function missingBinaries(paths: Record<string, string>, nodes: 'real' | 'simulated' = 'real'): string[] {
  const bins = (paths[nodes === 'real' ? 'BINARIES_REAL' : 'BINARIES_SIMULATED'] ?? '').split(' ').filter((b) => !existsSync(path.join(paths.BIN_DIR ?? '', b)));
  if (nodes === 'simulated') return bins;
  const mirrored = path.join(paths.IMAGES_DIR ?? '', 'mirrored');
  return existsSync(mirrored) && readFileSync(mirrored, 'utf8').includes('registry.k8s.io/pause') ? bins : [...bins, 'images'];
}

/** Distinct free loopback ports, found by binding port 0. */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  for (let i = 0; i < n; i++) {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    servers.push(s);
  }
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Environment for the cluster scripts: a state folder under `root` and seven free ports. */
export async function ownClusterEnv(root: string): Promise<NodeJS.ProcessEnv> {
  const [etcd, peer, api, kcm, sched, kwok, registry] = await freePorts(7);
  return {
    LABDECK_CLUSTER_STATE: path.join(root, 'state'),
    LABDECK_ETCD_PORT: String(etcd),
    LABDECK_ETCD_PEER_PORT: String(peer),
    LABDECK_APISERVER_PORT: String(api),
    LABDECK_KCM_PORT: String(kcm),
    LABDECK_SCHEDULER_PORT: String(sched),
    LABDECK_KWOK_PORT: String(kwok),
    LABDECK_REGISTRY_PORT: String(registry),
  };
}

/** Whether this machine can run a real node (root, cgroups, namespaces): the scripts' own preflight. */
export function canRunRealNode(): boolean {
  return process.getuid?.() === 0 && existsSync('/sys/fs/cgroup');
}

/** What `down` would have left of the node of `env`'s state folder (scripts/cluster/leftovers.sh). */
export async function leftovers(env: NodeJS.ProcessEnv): Promise<string[]> {
  const script = path.join(import.meta.dirname, '../../scripts/cluster/leftovers.sh');
  const r = await run('bash', [script], { env: { ...process.env, ...env } }).then(
    (x) => x.stdout,
    (e: { stdout?: string }) => e.stdout ?? 'leftovers.sh failed',
  );
  return r.split('\n').filter(Boolean);
}

/** Processes (running, not zombies) whose network namespace has inode `ino`. */
export function processesInNetns(ino: number): number[] {
  const pids: number[] = [];
  for (const d of readdirSafe('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const link = readlinkSafe(`/proc/${d}/ns/net`);
      if (link === `net:[${ino}]` && !/^\d+ \([^)]*\) [ZX]/.test(readFileSync(`/proc/${d}/stat`, 'utf8'))) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function readdirSafe(p: string): string[] {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}
function readlinkSafe(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return '';
  }
}
