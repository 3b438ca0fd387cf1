import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { runClusterScript } from '../../src/cluster/index.ts';

/**
 * What cluster test files share: where the binaries are, and the environment of a cluster of
 * their own (own state folder, own free loopback ports), so fault tests never disturb the
 * cluster `.ci/run` starts for the rest of the suite.
 */

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

/** The binaries build.sh should have produced that are not there. */
export function missingBinaries(paths: Record<string, string>): string[] {
  return (paths.BINARIES ?? '').split(' ').filter((b) => !existsSync(path.join(paths.BIN_DIR ?? '', b)));
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

/** Environment for the cluster scripts: a state folder under `root` and six free ports. */
export async function ownClusterEnv(root: string): Promise<NodeJS.ProcessEnv> {
  const [etcd, peer, api, kcm, sched, kwok] = await freePorts(6);
  return {
    LABDECK_CLUSTER_STATE: path.join(root, 'state'),
    LABDECK_ETCD_PORT: String(etcd),
    LABDECK_ETCD_PEER_PORT: String(peer),
    LABDECK_APISERVER_PORT: String(api),
    LABDECK_KCM_PORT: String(kcm),
    LABDECK_SCHEDULER_PORT: String(sched),
    LABDECK_KWOK_PORT: String(kwok),
  };
}
