import { Option, type Command } from 'commander';
import type { ClusterAction } from '../../cluster/index.ts';
import type { RegisterCommand } from '../shared.ts';

/**
 * `labdeck cluster build|up|down|status|env`: a real Kubernetes control plane on
 * 127.0.0.1 and a real node (or kwok's simulated ones), see docs/CLUSTER.md. The work is
 * done by scripts/cluster/*.sh; this maps their exit codes and adds what to do next.
 */
/** `up --<name>-port N`: what listens there, and scripts/cluster/lib.sh's default. */
const PORTS: Record<string, string> = {
  etcd: 'etcd clients (2379)',
  'etcd-peer': 'etcd peers (2380)',
  apiserver: 'kube-apiserver (6443)',
  kcm: "kube-controller-manager's health (10257)",
  scheduler: "kube-scheduler's health (10259)",
  registry: 'the registry mirror (5000)',
  kwok: 'kwok, simulated nodes only (10250)',
};
const PORT_OPTIONS = Object.keys(PORTS);

export const registerCluster: RegisterCommand = (program, setExit) => {
  const cluster: Command = program
    .command('cluster')
    .description('Run a local Kubernetes cluster (control plane and a real node) for verifying labs');

  const run = async (action: ClusterAction, args: string[] = []) => (await import('../actions/cluster.ts')).cluster(action, args, setExit);

  cluster
    .command('build')
    .description('Build (or reuse) the cluster binaries from Go modules and the registry mirror\'s images from Debian packages')
    .option('--force', 'rebuild even when cached binaries exist')
    .action((opts: { force?: boolean }) => run('build', opts.force ? ['--force'] : []));

  const up = cluster
    .command('up')
    .description('Start the cluster on 127.0.0.1 (reuses a running one; recovers from a crashed run)')
    .addOption(new Option('--nodes <kind>', 'real: kubelet + containerd + runc run the pods; simulated: kwok nodes, no container runs').choices(['real', 'simulated']).default('real'));
  // One option per port, passed to up.sh as is (each also has its LABDECK_*_PORT variable).
  for (const port of PORT_OPTIONS) up.option(`--${port}-port <n>`, `127.0.0.1 port of ${PORTS[port]}`);
  up.action((opts: Record<string, string>) =>
    run('up', [
      '--nodes',
      opts.nodes!,
      ...PORT_OPTIONS.flatMap((port) => {
        const value = opts[`${port.replace(/-(.)/g, (_, c: string) => c.toUpperCase())}Port`];
        return value ? [`--${port}-port`, value] : [];
      }),
    ]),
  );

  cluster
    .command('down')
    .description('Stop every cluster process labdeck started and remove its state (fine when nothing runs)')
    .action(() => run('down'));

  cluster
    .command('status')
    .description('Show what runs, versions, ports, and what kind of node runs the pods')
    .action(() => run('status'));

  cluster
    .command('env')
    .description('Print shell code for kubectl: eval "$(labdeck cluster env)"')
    .action(() => run('env'));
};
