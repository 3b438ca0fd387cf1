import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * What a verification report must say when it ran against kwok-simulated nodes,
 * so nobody mistakes "the lab passed" for "the lab's containers ran".
 * Keep in step with docs/CLUSTER.md and scripts/cluster/status.sh.
 */
export const SIMULATION_NOTICE =
  'Nodes are simulated by kwok: no container runs. `kubectl logs` output is synthesized by ' +
  'labdeck podlogs.py from each container command (`ping HOST`: one busybox-style line per second ' +
  'with a growing seq=, no packet sent; `echo ARGS`: ARGS; anything else: a "not synthesized" line). ' +
  '`kubectl exec` runs the command on the verification host, not in a container.';

export interface ClusterSimulation {
  /** At least one node is a kwok node (annotation kwok.x-k8s.io/node=fake). */
  simulated: boolean;
  simulatedNodes: string[];
  realNodes: string[];
  /** SIMULATION_NOTICE when simulated, for reports. */
  notice?: string;
}

interface NodeList {
  items: { metadata: { name: string; annotations?: Record<string, string> } }[];
}

/** Asks the cluster behind `kubeconfig` (or $KUBECONFIG) which of its nodes are simulated. */
export async function detectSimulation(kubeconfig?: string): Promise<ClusterSimulation> {
  const env = kubeconfig ? { ...process.env, KUBECONFIG: kubeconfig } : process.env;
  const { stdout } = await run('kubectl', ['get', 'nodes', '-o', 'json'], { env, timeout: 30_000 });
  return classifyNodes(JSON.parse(stdout) as NodeList);
}

/** Pure part of detectSimulation, for tests and for callers that already hold the node list. */
export function classifyNodes(list: NodeList): ClusterSimulation {
  const simulatedNodes: string[] = [];
  const realNodes: string[] = [];
  for (const n of list.items) {
    (n.metadata.annotations?.['kwok.x-k8s.io/node'] === 'fake' ? simulatedNodes : realNodes).push(n.metadata.name);
  }
  const simulated = simulatedNodes.length > 0;
  return simulated
    ? { simulated, simulatedNodes, realNodes, notice: SIMULATION_NOTICE }
    : { simulated, simulatedNodes, realNodes };
}
