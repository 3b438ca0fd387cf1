import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * What runs a cluster's pods, said in one line for every report ("real node: kubelet v1.33.13,
 * containerd 1.6.20, runc 1.1.5"), so nobody reads "the lab passed" on kwok's simulated nodes as
 * "its containers ran". Works for any cluster: labdeck's loopback one (real or simulated), kind,
 * k3d, a cloud cluster.
 */
export interface ClusterNodes {
  /** real: every node runs containers; simulated: every node is kwok's; mixed: both. */
  kind: 'real' | 'simulated' | 'mixed' | 'none';
  /** The line reports print. */
  label: string;
  /** For simulated nodes: what that means for the lab's results. */
  notice?: string;
  realNodes: string[];
  simulatedNodes: string[];
  /** A node of labdeck's loopback cluster (its images come from labdeck's registry mirror). */
  labdeck: boolean;
}

/** Keep in step with docs/CLUSTER.md and scripts/cluster/status.sh. */
export const SIMULATED_NOTICE =
  'Nodes are simulated by kwok: no container runs. Pod logs are empty and `kubectl exec` has nothing to enter; ' +
  'a passing step proves the API calls, not the containers.';

export interface NodeList {
  items: {
    metadata: { name: string; annotations?: Record<string, string> };
    status?: { nodeInfo?: { kubeletVersion?: string; containerRuntimeVersion?: string } };
  }[];
}

/** Asks the cluster behind `kubeconfig` (or $KUBECONFIG) what its nodes are. */
export async function detectNodes(kubeconfig?: string, context?: string): Promise<ClusterNodes> {
  const env = kubeconfig ? { ...process.env, KUBECONFIG: kubeconfig } : process.env;
  const { stdout } = await run('kubectl', [...(context ? ['--context', context] : []), 'get', 'nodes', '-o', 'json'], { env, timeout: 30_000 });
  return describeNodes(JSON.parse(stdout) as NodeList);
}

/** Pure part of detectNodes. */
export function describeNodes(list: NodeList): ClusterNodes {
  const real = list.items.filter((n) => n.metadata.annotations?.['kwok.x-k8s.io/node'] !== 'fake');
  const simulated = list.items.filter((n) => n.metadata.annotations?.['kwok.x-k8s.io/node'] === 'fake');
  const names = {
    realNodes: real.map((n) => n.metadata.name),
    simulatedNodes: simulated.map((n) => n.metadata.name),
    labdeck: real.some((n) => n.metadata.annotations?.['labdeck.dev/runtime'] !== undefined),
  };
  const realPart = real.length ? `${real.length === 1 ? 'real node' : `${real.length} real nodes`}: ${[...new Set(real.map(runtimeOf))].join('; ')}` : '';
  const simPart = simulated.length ? `${simulated.length === 1 ? 'simulated node' : `${simulated.length} simulated nodes`} (kwok): no container runs, pod logs are empty` : '';
  if (real.length && simulated.length) return { kind: 'mixed', label: `${realPart}; ${simPart}`, notice: SIMULATED_NOTICE, ...names };
  if (real.length) return { kind: 'real', label: realPart, ...names };
  if (simulated.length) return { kind: 'simulated', label: simPart, notice: SIMULATED_NOTICE, ...names };
  return { kind: 'none', label: 'no nodes: no pod can run', ...names };
}

/** "kubelet v1.33.13, containerd 1.6.20, runc 1.1.5": runc from labdeck's node annotation when there. */
function runtimeOf(n: NodeList['items'][number]): string {
  const kubelet = n.status?.nodeInfo?.kubeletVersion;
  const labdeck = n.metadata.annotations?.['labdeck.dev/runtime'];
  // containerd://1.6.20~ds1 (Debian) -> containerd 1.6.20
  const runtime = labdeck ?? n.status?.nodeInfo?.containerRuntimeVersion?.replace('://', ' ').replace(/[~+].*$/, '');
  return [kubelet ? `kubelet ${kubelet}` : undefined, runtime].filter(Boolean).join(', ') || 'versions unknown';
}
