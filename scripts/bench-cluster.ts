/**
 * The loopback cluster, timed on a cluster of its own (own state folder and ports, so the default
 * one is not disturbed): warm `up` to a Ready node (binaries and images built), `down`, first pod
 * Running after `kubectl run`, memory of the whole cluster with the English deck's pods, and the
 * English deck's verify time on the real node against simulated (kwok) nodes.
 * Needs root and `labdeck cluster build` done; says so and measures nothing otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runClusterScript } from '../src/cluster/index.ts';
import type { VerifyEvent } from '../src/verify/events.ts';

const REPO = join(import.meta.dirname, '..');
const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((r) => { const x = createServer(); x.listen(0, '127.0.0.1', () => r(x)); })),
  );
  const ports = servers.map((x) => (x.address() as AddressInfo).port);
  await Promise.all(servers.map((x) => new Promise((r) => x.close(r))));
  return ports;
}

function paths(env: NodeJS.ProcessEnv): Record<string, string> {
  const out = execFileSync('bash', [join(REPO, 'scripts/cluster/paths.sh')], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSafe(`/proc/${pid}/status`))?.[1] ?? 0);
function readFileSafe(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

/** RSS of everything the cluster runs: its processes, containerd's shims, and the containers (the node's cgroups). */
function clusterMemory(state: string, cgroupRoot: string): { control: number; node: number; containers: number; count: number } {
  const pids = new Set<number>();
  const mine = new Map<number, 'control' | 'node' | 'containers'>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const cmd = readFileSafe(`/proc/${d}/cmdline`).split('\0');
    if (cmd.some((a) => a.includes(`${state}/`))) {
      const prog = cmd[0]!.split('/').pop()!;
      mine.set(Number(d), /^(kubelet|kube-proxy|containerd)/.test(prog) ? 'node' : 'control');
    }
  }
  const procs = join('/sys/fs/cgroup/pids', cgroupRoot);
  if (existsSync(procs)) {
    const out = execFileSync('bash', ['-c', `find "${procs}" -name cgroup.procs -exec cat {} +`], { encoding: 'utf8' });
    for (const p of out.split('\n').filter(Boolean)) if (!mine.has(Number(p))) mine.set(Number(p), 'containers');
  }
  const sum = { control: 0, node: 0, containers: 0, count: 0 };
  for (const [pid, kind] of mine) {
    if (pids.has(pid)) continue;
    pids.add(pid);
    sum[kind] += rssKiB(pid);
    sum.count++;
  }
  return sum;
}

function verifyEnglish(kubeconfig: string, keep: boolean): { ms: number; status: string; steps: number } {
  const out = mkdtempSync(join(tmpdir(), 'labdeck-bench-cluster-'));
  try {
    const json = join(out, 'run.jsonl');
    spawnSync(process.execPath, [join(REPO, 'bin/labdeck.js'), 'verify', 'content/decks/kubernetes-en.yml', '--context', 'labdeck', '--kubeconfig', kubeconfig, '--json', json, ...(keep ? ['--keep'] : [])], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const events = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as VerifyEvent);
    const end = events.find((e): e is Extract<VerifyEvent, { type: 'run-end' }> => e.type === 'run-end')!;
    return { ms: end.durationMs, status: end.status, steps: events.filter((e) => e.type === 'step').length };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function run(): Promise<string> {
  if (process.getuid?.() !== 0) return 'skipped: a real node needs root';
  const root = mkdtempSync(join(tmpdir(), 'labdeck-bench-cluster-'));
  const [etcd, peer, api, kcm, sched, kwok, registry] = await freePorts(7);
  const env: NodeJS.ProcessEnv = {
    LABDECK_CLUSTER_STATE: join(root, 'state'),
    LABDECK_ETCD_PORT: String(etcd), LABDECK_ETCD_PEER_PORT: String(peer), LABDECK_APISERVER_PORT: String(api),
    LABDECK_KCM_PORT: String(kcm), LABDECK_SCHEDULER_PORT: String(sched), LABDECK_KWOK_PORT: String(kwok), LABDECK_REGISTRY_PORT: String(registry),
  };
  const p = paths(env);
  const kubeconfig = join(env.LABDECK_CLUSTER_STATE!, 'admin.kubeconfig');
  const k = (...args: string[]) => execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const timed = async (what: () => Promise<unknown>) => {
    const t0 = performance.now();
    await what();
    return performance.now() - t0;
  };
  try {
    const up: number[] = [];
    const down: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let code = 0;
      up.push(await timed(async () => (code = (await runClusterScript('up', [], { env })).code)));
      if (code !== 0) return `up failed (exit ${code}); build first: labdeck cluster build`;
      down.push(await timed(() => runClusterScript('down', [], { env })));
    }
    lines.push(`warm up to a Ready real node (CoreDNS available, certificates made): ${up.map(s).join(', ')} (median ${s(median(up))})`);
    lines.push(`down (containers, mounts, netns, iptables, cgroups removed and checked): ${down.map(s).join(', ')}`);

    await runClusterScript('up', [], { env });
    const first: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      first.push(
        await timed(async () => {
          k('run', `first${i}`, '--image', 'alpine', 'ping', '127.0.0.1');
          k('wait', `pod/first${i}`, '--for', 'jsonpath={.status.phase}=Running', '--timeout=60s');
        }),
      );
    }
    lines.push(`first pod Running after kubectl run (image pulled from the mirror): ${first.map(s).join(', ')} (median ${s(median(first))})`);
    k('delete', 'pods', '--all', '--grace-period=0', '--force');
    k('wait', 'pods', '--all', '--for=delete', '--timeout=60s');

    const idle = clusterMemory(env.LABDECK_CLUSTER_STATE!, p.CGROUP_ROOT!);
    // Timed as CI runs it (the run's namespace deleted at the end: the pods' 30 s grace included),
    // then again with --keep to weigh the cluster with the deck's pods still running.
    const real = verifyEnglish(kubeconfig, false);
    verifyEnglish(kubeconfig, true);
    const busy = clusterMemory(env.LABDECK_CLUSTER_STATE!, p.CGROUP_ROOT!);
    const mib = (kib: number) => `${Math.round(kib / 1024)} MiB`;
    lines.push(`memory idle (CoreDNS only): control plane + mirror ${mib(idle.control)}, node ${mib(idle.node)}, containers ${mib(idle.containers)}, total ${mib(idle.control + idle.node + idle.containers)}`);
    lines.push(`memory with the English deck's pods (--keep: 3 pingpong pods): control plane + mirror ${mib(busy.control)}, node (containerd, kubelet, kube-proxy, shims) ${mib(busy.node)}, containers ${mib(busy.containers)}, total ${mib(busy.control + busy.node + busy.containers)} in ${busy.count} processes`);
    await runClusterScript('down', [], { env });

    const upSim = await timed(() => runClusterScript('up', ['--nodes', 'simulated'], { env }));
    const sim = verifyEnglish(kubeconfig, false);
    const simMem = clusterMemory(env.LABDECK_CLUSTER_STATE!, p.CGROUP_ROOT!);
    await runClusterScript('down', [], { env });
    lines.push(`English deck, labdeck verify: real node ${s(real.ms)} (${real.status}, ${real.steps} steps); simulated nodes ${s(sim.ms)} (${sim.status}: a simulated pod prints nothing, so \`wait seq=3\` times out); simulated up ${s(upSim)}, memory ${mib(simMem.control)}`);
    return lines.join('\n');
  } finally {
    await runClusterScript('down', [], { env });
    rmSync(root, { recursive: true, force: true });
  }
}
