/**
 * The loopback cluster with its real node, for real: real processes, real containers, real kubectl.
 *
 * The file runs its own cluster (own state folder, own free ports; the node gets its own network
 * namespace, link, cgroups and iptables chains) so its fault tests (crash, mirror down, down)
 * never disturb the cluster `.ci/run` starts for the rest of the suite. One `up` serves the whole
 * file; the tests run in order and the last ones crash, recover and remove it.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterExit, detectNodes, runClusterScript, type ClusterAction } from '../../src/cluster/index.ts';
import { canRunRealNode, clusterPaths, freePorts, leftovers, missingBinaries, ownClusterEnv, processesInNetns } from './own-cluster.ts';

const run = promisify(execFile);

const defaults = await clusterPaths();
const missing = missingBinaries(defaults, 'real');
const ready = missing.length === 0 && canRunRealNode();
if (!ready && !process.env.CI) {
  console.warn(
    `tests/cluster/cluster.test.ts skipped: ${missing.length ? `cluster binaries or images missing in ${defaults.BIN_DIR} (${missing.join(', ')}); build them with \`labdeck cluster build\`` : 'a real node needs root'}`,
  );
}

// Made in beforeAll, so a skipped run leaves no temporary folder behind.
let stateRoot = '';
let env: NodeJS.ProcessEnv = {};
let kubeconfig = '';
let paths: Record<string, string> = {};

const script = (action: ClusterAction, extra: NodeJS.ProcessEnv = {}, args: string[] = []) => runClusterScript(action, args, { env: { ...env, ...extra } });

const kubectl = async (...args: string[]) => {
  const { stdout } = await run('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 90_000 });
  return stdout;
};
const kubectlFails = (...args: string[]) =>
  run('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 90_000 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: (e.stdout ?? '') + (e.stderr ?? '') }),
  );

/** Polls `probe` until it returns a value (not undefined), or fails after `ms` with the last state. */
async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `kubectl logs --follow` until `enough(output)` holds: what it streamed by then. */
function followUntil(enough: (out: string) => boolean, ms: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['logs', ...args], { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`kubectl logs --follow did not stream enough within ${ms} ms: ${out}${err}`));
    }, ms);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (enough(out)) {
        clearTimeout(timer);
        child.kill('SIGTERM');
        resolve(out);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!enough(out)) reject(new Error(`kubectl logs --follow ended by itself (exit ${code}): ${err}`));
    });
  });
}

const seqs = (text: string) => [...text.matchAll(/seq=(\d+)/g)].map((m) => Number(m[1]));
const pidOf = (component: string) => Number(readFileSync(path.join(env.LABDECK_CLUSTER_STATE ?? '', 'pids', `${component}.pid`), 'utf8'));
/** True while pid runs; a zombie awaiting its reaper (PID 1 here reaps nothing) no longer runs. */
function runs(pid: number): boolean {
  try {
    return !/^\d+ \([^)]*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
const podPhase = async (pod: string) => (await kubectl('get', 'pod', pod, '-o', 'jsonpath={.status.phase}')).trim();
const waitingReason = async (pod: string) => (await kubectl('get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}')).trim();
const eventsOf = async (pod: string) => kubectl('get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}');

describe.skipIf(!ready && !process.env.CI)('labdeck cluster with a real node (real processes, real containers)', () => {
  beforeAll(async () => {
    if (!ready) {
      throw new Error(
        `cluster binaries or images missing in ${defaults.BIN_DIR}: ${missing.join(', ')}. ` +
          'CI must build them first: .ci/run does (scripts/cluster/build.sh); set LABDECK_CLUSTER_BIN if they live elsewhere',
      );
    }
    stateRoot = mkdtempSync(path.join(tmpdir(), 'labdeck-cluster-test-'));
    env = await ownClusterEnv(stateRoot);
    paths = await clusterPaths(env);
    kubeconfig = path.join(env.LABDECK_CLUSTER_STATE!, 'admin.kubeconfig');
    const up = await script('up');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('eval "$(labdeck cluster env)"');
    expect(up.stderr).toMatch(/real node node1: kubelet v1\.33\.\d+, containerd 1\.\d+\.\d+, runc 1\.\d+\.\d+/);
  }, 240_000);

  afterAll(async () => {
    if (env.LABDECK_CLUSTER_STATE) await script('down');
    if (stateRoot) rmSync(stateRoot, { recursive: true, force: true });
  }, 120_000);

  it('a second up reuses the running cluster', async () => {
    const again = await script('up');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('reused');
  });

  it('env prints a KUBECONFIG export for eval', async () => {
    const res = await script('env');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`export KUBECONFIG='${kubeconfig}'`);
    expect(res.stdout).toContain('real node node1');
  });

  it('status lists every process, versions, ports, and names the node kind', async () => {
    const res = await script('status');
    expect(res.code, res.stdout + res.stderr).toBe(0);
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'registry', 'containerd', 'kubelet', 'kube-proxy']) {
      expect(res.stdout).toMatch(new RegExp(`${c}\\s+\\d+\\s+running`));
    }
    expect(res.stdout).toContain(`kubernetes v${defaults.KVER}`);
    expect(res.stdout).toContain(env.LABDECK_APISERVER_PORT!);
    expect(res.stdout).toMatch(/nodes: real node node1: kubelet v1\.33\.\d+, containerd 1\.\d+\.\d+, runc 1\.\d+/);
    expect(res.stdout).toContain(`mirror http://127.0.0.1:${env.LABDECK_REGISTRY_PORT} serves docker.io/library/alpine:latest`);
  });

  it('reports can tell the node is real, with its versions', async () => {
    const nodes = await detectNodes(kubeconfig);
    expect(nodes.kind).toBe('real');
    expect(nodes.realNodes).toEqual(['node1']);
    expect(nodes.labdeck).toBe(true);
    expect(nodes.label).toMatch(/^real node: kubelet v1\.33\.\d+, containerd 1\.\d+\.\d+, runc 1\.\d+\.\d+$/);
    expect(nodes.notice).toBeUndefined();
  });

  it('the control plane listens on 127.0.0.1 only; the node lives in its own network namespace', async () => {
    const { stdout } = await run('ss', ['-Hltnp']);
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'registry']) {
      const pid = pidOf(c);
      const mine = stdout.split('\n').filter((l) => l.includes(`pid=${pid},`));
      expect(mine.length, `${c} listens`).toBeGreaterThan(0);
      for (const l of mine) expect(l, c).toMatch(/\s127\.0\.0\.1:\d+\s/);
    }
    // kubelet, kube-proxy and containerd listen in the node's namespace, not on the host.
    for (const c of ['kubelet', 'kube-proxy', 'containerd']) expect(stdout, c).not.toContain(`pid=${pidOf(c)},`);
    const ino = statSync(paths.NETNS_FILE!).ino;
    const inNode = processesInNetns(ino);
    for (const c of ['kubelet', 'kube-proxy', 'containerd']) expect(inNode, c).toContain(pidOf(c));
    const node = JSON.parse(await kubectl('get', 'node', 'node1', '-o', 'json')) as { status: { addresses: { type: string; address: string }[] } };
    expect(node.status.addresses.find((a) => a.type === 'InternalIP')?.address).toMatch(/^198\.18\.\d+\.\d+$/);
  });

  it('kubectl run pingpong: a real container from the mirror, real ping lines, --tail 1 --follow streams new ones', async () => {
    const t0 = Date.now();
    await kubectl('run', 'pingpong', '--image', 'alpine', 'ping', '127.0.0.1');
    await kubectl('wait', 'pod/pingpong', '--for', 'condition=ready', '--timeout=60s');
    expect(await podPhase('pingpong')).toBe('Running');
    expect(Date.now() - t0).toBeLessThan(60_000);
    // The image came from the mirror: its access log shows the pull.
    const registryLog = readFileSync(path.join(env.LABDECK_CLUSTER_STATE!, 'logs', 'registry.log'), 'utf8');
    expect(registryLog).toMatch(/"(HEAD|GET) \/v2\/library\/alpine\/manifests\/latest\?ns=docker\.io HTTP\/1\.1" 200/);
    const first = await until('three ping replies', 30_000, async () => {
      const out = await kubectl('logs', 'pingpong');
      return seqs(out).length >= 3 ? out : undefined;
    });
    expect(first).toMatch(/^PING 127\.0\.0\.1 \(127\.0\.0\.1\): 56 data bytes$/m);
    expect(first).toMatch(/^64 bytes from 127\.0\.0\.1: seq=0 ttl=64 time=\d+\.\d+ ms$/m);
    const before = Math.max(...seqs(first));
    const streamed = await followUntil((o) => seqs(o).length >= 3, 20_000, 'pingpong', '--tail', '1', '--follow');
    const s = seqs(streamed);
    expect(s[0]).toBeGreaterThanOrEqual(before);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBe(s[i - 1]! + 1);
  }, 120_000);

  it('kubectl exec enters the container: its own hostname, processes and root file system', async () => {
    const out = await kubectl('exec', 'pingpong', '--', 'sh', '-c', 'hostname; cat /proc/1/cmdline | tr "\\0" " "; echo; head -n1 /etc/os-release; ls /');
    const [hostname, cmdline, os] = out.split('\n');
    expect(hostname).toBe('pingpong');
    expect(cmdline!.trim()).toBe('ping 127.0.0.1');
    expect(os).toBe('NAME="labdeck busybox"');
    expect(out).not.toContain(path.basename(stateRoot)); // not the host's file system
  });

  it('deleting a Deployment pod makes the ReplicaSet start a real new one', async () => {
    await kubectl('create', 'deployment', 'pingpong', '--image', 'alpine', '--', 'ping', '127.0.0.1');
    await kubectl('rollout', 'status', 'deploy/pingpong', '--timeout=60s');
    const podsOf = async () =>
      (JSON.parse(await kubectl('get', 'pods', '-l', 'app=pingpong', '-o', 'json')) as { items: { metadata: { name: string; uid: string; deletionTimestamp?: string }; status: { phase: string } }[] }).items;
    const [old] = await podsOf();
    expect(old).toBeDefined();
    expect(await kubectl('logs', 'deploy/pingpong', '--tail', '1')).toMatch(/seq=\d+ ttl=64/);
    // ping is PID 1 and ignores SIGTERM: the real pod waits out its grace period; do not wait here.
    await kubectl('delete', 'pod', old!.metadata.name, '--wait=false');
    const fresh = await until('a replacement pod Running', 60_000, async () => {
      const p = (await podsOf()).find((x) => x.metadata.uid !== old!.metadata.uid && !x.metadata.deletionTimestamp && x.status.phase === 'Running');
      return p;
    });
    expect(fresh.metadata.name).not.toBe(old!.metadata.name);
    const log = await until('the new pod pings', 30_000, async () => {
      const l = await kubectl('logs', fresh.metadata.name);
      return /seq=1 /.test(l) ? l : undefined;
    });
    expect(log).toMatch(/^64 bytes from 127\.0\.0\.1: seq=0 /m);
  }, 120_000);

  it('Services answer: a name resolves through CoreDNS in a pod, ClusterIP through kube-proxy, NodePort at the node address', async () => {
    await kubectl('create', 'deployment', 'web', '--image', 'nginx');
    await kubectl('expose', 'deploy/web', '--port', '80');
    await kubectl('expose', 'deploy/web', '--port', '80', '--type', 'NodePort', '--name', 'web-np');
    await kubectl('rollout', 'status', 'deploy/web', '--timeout=60s');
    const page = await until('web.default answers', 30_000, async () => {
      // No `-T`: Debian's busybox-static 1.35 wget crashes with it (docs/CLUSTER.md, the images).
      const r = await kubectlFails('exec', 'pingpong', '--', 'wget', '-qO-', 'http://web.default');
      return r.code === 0 ? r.out : undefined;
    });
    expect(page).toContain('<title>Welcome to nginx!</title>');
    expect(await kubectl('exec', 'pingpong', '--', 'nslookup', 'kubernetes.default.svc.cluster.local')).toMatch(/Address: 10\.96\.0\.1/);
    // Names outside the cluster do not resolve: no DNS query leaves the machine.
    expect((await kubectlFails('exec', 'pingpong', '--', 'nslookup', 'example.com')).out).toMatch(/NXDOMAIN/);
    const nodePort = (await kubectl('get', 'svc', 'web-np', '-o', 'jsonpath={.spec.ports[0].nodePort}')).trim();
    const nodeIp = (await kubectl('get', 'node', 'node1', '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}')).trim();
    const res = await fetch(`http://${nodeIp}:${nodePort}/`);
    expect(await res.text()).toContain('Welcome to nginx!');
    // nginx's access log is the container's output.
    expect(await kubectl('logs', 'deploy/web')).toMatch(/"GET \/ HTTP\/1\.1" 200/);
  }, 120_000);

  it('nothing leaves the machine: the node has no route out, and the host rejects what comes from the node', async () => {
    const route = await run('nsenter', [`--net=${paths.NETNS_FILE}`, 'ip', 'route', 'get', '1.1.1.1']).then(
      () => 'routable',
      (e: { stderr?: string }) => e.stderr ?? '',
    );
    expect(route).toMatch(/Network is unreachable/);
    const ping = await kubectlFails('exec', 'pingpong', '--', 'ping', '-c', '2', '-W', '1', '1.1.1.1');
    expect(ping.code).not.toBe(0);
    expect(ping.out).toMatch(/100% packet loss/);
    const rules = (await run('iptables-save', [])).stdout;
    expect(rules).toContain(`-A FORWARD -i ${paths.HOST_IF} -j ${paths.CHAIN}`);
    expect(rules).toMatch(new RegExp(`-A ${paths.CHAIN} -j REJECT`));
  });

  it('a pod whose image the mirror lacks stays in ErrImagePull, and the error says so', async () => {
    await kubectl('run', 'nothere', '--image', 'labdeck-no-such-image:1.0', 'sleep', '1');
    const reason = await until('ErrImagePull', 60_000, async () => {
      const r = await waitingReason('nothere');
      return /ErrImagePull|ImagePullBackOff/.test(r) ? r : undefined;
    });
    expect(reason).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(await eventsOf('nothere')).toMatch(/docker\.io\/library\/labdeck-no-such-image:1\.0.*not found/);
  }, 90_000);

  it('up fails on a port already taken, naming the port, the option and the variable', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const other = path.join(stateRoot, 'other');
      const res = await runClusterScript('up', ['--registry-port', String(taken)], { env: await ownClusterEnv(other) });
      expect(res.code).toBe(ClusterExit.portTaken);
      expect(res.stderr).toContain(`port ${taken} (registry mirror) on 127.0.0.1 is already in use by "node"`);
      expect(res.stderr).toContain('labdeck cluster up --registry-port N (or LABDECK_REGISTRY_PORT=N)');
      expect(existsSync(path.join(other, 'state', 'pids'))).toBe(false); // nothing was started
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('up without binaries says how to build them', async () => {
    const res = await script('up', { LABDECK_CLUSTER_BIN: path.join(stateRoot, 'no-bin'), LABDECK_CLUSTER_STATE: path.join(stateRoot, 'nobin-state') });
    expect(res.code).toBe(ClusterExit.missingBinaries);
    expect(res.stderr).toContain('labdeck cluster build');
  });

  it('a machine without containerd: up names the Debian package and its apt-get line', async () => {
    // A PATH where every tool is there but containerd's.
    const bin = path.join(stateRoot, 'path-without-containerd');
    await run('bash', ['-c', `mkdir -p "$1" && for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do for f in "$d"/*; do n=$(basename "$f"); case "$n" in containerd|containerd-shim*|ctr) ;; *) [ -e "$1/$n" ] || ln -s "$f" "$1/$n";; esac; done; done`, 'x', bin]);
    const res = await runClusterScript('up', [], { env: { ...(await ownClusterEnv(path.join(stateRoot, 'nopkg'))), PATH: bin } });
    expect(res.code).toBe(ClusterExit.missingPackages);
    expect(res.stderr).toContain('Debian package(s) containerd');
    expect(res.stderr).toContain('apt-get install -y containerd');
    expect(res.stderr).toContain('--nodes simulated');
  });

  it('a machine without cgroups: up says so and suggests --nodes simulated', async () => {
    // The same machine with no cgroup hierarchy mounted (in a private mount namespace).
    const upScript = path.join(import.meta.dirname, '../../scripts/cluster/up.sh');
    const res = await run('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'umount -R /sys/fs/cgroup && exec bash "$0"', upScript], {
      env: { ...process.env, ...(await ownClusterEnv(path.join(stateRoot, 'nocgroup'))) },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code?: number; stderr?: string }) => ({ code: e.code ?? 1, stderr: e.stderr ?? '' }),
    );
    expect(res.code).toBe(ClusterExit.noContainers);
    expect(res.stderr).toMatch(/cannot run a real node: .*cgroup v1 controller 'memory' not mounted/);
    expect(res.stderr).toContain('labdeck cluster up --nodes simulated');
  });

  it('a failed build names its log', async () => {
    const cache = path.join(stateRoot, 'cache');
    // A version no proxy serves makes the first step (etcd) fail fast.
    const res = await runClusterScript('build', [], {
      env: { LABDECK_CLUSTER_CACHE: cache, LABDECK_ETCD_VERSION: '0.0.1-labdeck-does-not-exist', LABDECK_ETCD_SOURCE: 'module-only' },
    });
    expect(res.code).toBe(ClusterExit.buildFailed);
    const log = path.join(cache, `k8s-v${defaults.KVER}`, 'build.log');
    expect(res.stderr).toContain(`full output in ${log}`);
    expect(readFileSync(log, 'utf8')).toContain('=== etcd FAILED');
  }, 120_000);

  it('the mirror down: pulls fail naming the mirror, and status says the registry is not running', async () => {
    process.kill(pidOf('registry'), 'SIGKILL');
    await until('registry gone', 10_000, async () => (runs(pidOf('registry')) ? undefined : true));
    await kubectl('run', 'nomirror', '--image', 'busybox', 'sleep', '3600');
    const events = await until('a pull error', 60_000, async () => {
      const e = await eventsOf('nomirror');
      return /Failed to pull image/.test(e) ? e : undefined;
    });
    expect(events).toMatch(new RegExp(`dial tcp 198\\.18\\.\\d+\\.\\d+:${env.LABDECK_REGISTRY_PORT}: connect: connection refused`));
    const status = await script('status');
    expect(status.code).toBe(ClusterExit.staleState);
    expect(status.stdout).toMatch(/registry\s+\d+\s+stopped/);
    expect(status.stdout).toContain('the registry mirror is not running');
  }, 90_000);

  it('kill -9 of kubelet and containerd: status notices each; up recovers without manual cleaning', async () => {
    const ino = statSync(paths.NETNS_FILE!).ino;
    process.kill(pidOf('kubelet'), 'SIGKILL');
    await until('kubelet gone', 10_000, async () => (runs(pidOf('kubelet')) ? undefined : true));
    let status = await script('status');
    expect(status.code).toBe(ClusterExit.staleState);
    expect(status.stdout).toMatch(/kubelet\s+\d+\s+stopped/);
    expect(status.stdout).toContain('kubelet is not running');
    process.kill(pidOf('containerd'), 'SIGKILL');
    await until('containerd gone', 10_000, async () => (runs(pidOf('containerd')) ? undefined : true));
    status = await script('status');
    expect(status.stdout).toContain('containerd is not running');
    // The containers still run (their shims outlive containerd; so does kube-proxy), until up cleans them.
    const orphans = processesInNetns(ino);
    expect(orphans.length).toBeGreaterThan(0);

    const up = await script('up');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('found stale state');
    // The old node's processes are gone (the kernel may give the new namespace the old inode number).
    expect(orphans.filter(runs)).toEqual([]);
    expect(await kubectl('get', 'nodes')).toMatch(/node1\s+Ready/);
    expect(await kubectl('get', 'pods', '-o', 'name')).toBe(''); // fresh cluster
    await kubectl('run', 'again', '--image', 'alpine', 'ping', '127.0.0.1');
    await kubectl('wait', 'pod/again', '--for', 'condition=ready', '--timeout=60s');
  }, 240_000);

  it('two up at once: one starts the cluster, the other waits for it and reuses it', async () => {
    expect((await script('down')).code).toBe(0);
    const [a, b] = await Promise.all([script('up'), script('up')]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [started, waited] = a.stderr.includes('started in') ? [a, b] : [b, a];
    expect(started.stderr).toContain('started in');
    expect(waited.stderr).toContain('another labdeck cluster up/down is working on');
    expect(waited.stderr).toContain('reused');
  }, 180_000);

  it('down stops everything and leaves nothing behind; down again is fine', async () => {
    const inNode = processesInNetns(statSync(paths.NETNS_FILE!).ino);
    const pids = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'registry', 'containerd', 'kubelet', 'kube-proxy'].map(pidOf);
    const down = await script('down');
    expect(down.code, down.stderr).toBe(0);
    expect(existsSync(env.LABDECK_CLUSTER_STATE!)).toBe(false);
    for (const pid of pids) expect(runs(pid), `pid ${pid}`).toBe(false);
    expect(inNode.length).toBeGreaterThan(3); // containerd, kubelet, kube-proxy, the shims
    expect(inNode.filter(runs)).toEqual([]);
    expect(await leftovers(env)).toEqual([]);
    expect((await run('ip', ['-o', 'link'])).stdout).not.toContain(paths.HOST_IF!);
    expect((await run('iptables-save', [])).stdout).not.toContain(paths.CHAIN!);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(env.LABDECK_CLUSTER_STATE!);
    const again = await script('down');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to stop');
    const status = await script('status');
    expect(status.code).toBe(ClusterExit.notRunning);
  }, 120_000);
});

describe.skipIf(missingBinaries(defaults, 'simulated').length > 0 && !process.env.CI)('labdeck cluster up --nodes simulated (kwok)', () => {
  let root = '';
  let senv: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'labdeck-cluster-sim-'));
    senv = await ownClusterEnv(root);
    const up = await runClusterScript('up', ['--nodes', 'simulated'], { env: senv });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('simulated kwok nodes');
  }, 120_000);
  afterAll(async () => {
    if (senv.LABDECK_CLUSTER_STATE) await runClusterScript('down', [], { env: senv });
    if (root) rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('is labelled simulated everywhere, and a simulated pod prints nothing (no synthesized output)', async () => {
    const kc = path.join(senv.LABDECK_CLUSTER_STATE!, 'admin.kubeconfig');
    const k = (...args: string[]) => run('kubectl', args, { env: { ...process.env, KUBECONFIG: kc } });
    const status = await runClusterScript('status', [], { env: senv });
    expect(status.stdout).toContain('nodes: 2 simulated by kwok: no container runs');
    const nodes = await detectNodes(kc);
    expect(nodes).toMatchObject({ kind: 'simulated', simulatedNodes: ['node1', 'node2'], labdeck: false });
    expect(nodes.label).toBe('2 simulated nodes (kwok): no container runs, pod logs are empty');
    await k('run', 'pingpong', '--image', 'alpine', 'ping', '127.0.0.1');
    await k('wait', 'pod/pingpong', '--for', 'condition=ready', '--timeout=30s');
    expect((await k('logs', 'pingpong')).stdout).toBe('');
    const exec = await k('exec', 'pingpong', '--', 'hostname').then(
      () => 'ran',
      (e: { stderr?: string }) => e.stderr ?? '',
    );
    expect(exec).toMatch(/no exec found/);
    // Asking for the other kind while this one runs is refused clearly.
    const real = await runClusterScript('up', [], { env: senv });
    expect(real.code).toBe(ClusterExit.usage);
    expect(real.stderr).toContain('a cluster with simulated nodes already runs');
  }, 60_000);
});

// A pid file pointing at an unrelated live process must never be signalled (pid reuse after a crash).
it('down never signals a process a stale pid file names', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'labdeck-cluster-stale-'));
  try {
    const state = path.join(root, 'state');
    await run('mkdir', ['-p', path.join(state, 'pids')]);
    writeFileSync(path.join(state, '.labdeck-cluster'), '');
    writeFileSync(path.join(state, 'cluster.env'), 'nodes=simulated\n');
    writeFileSync(path.join(state, 'pids', 'kube-apiserver.pid'), `${process.pid}\n`);
    const [p] = await freePorts(1);
    const res = await runClusterScript('down', [], { env: { LABDECK_CLUSTER_STATE: state, LABDECK_APISERVER_PORT: String(p) } });
    expect(res.code, res.stderr).toBe(0);
    expect(runs(process.pid)).toBe(true);
    expect(existsSync(state)).toBe(false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
