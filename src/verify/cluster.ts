import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeNodes, type NodeList } from '../cluster/nodes.ts';
import { imageListPath } from '../cluster/mirror.ts';
import type { NodeKind } from './events.ts';
import type { Unit } from './step.ts';

/**
 * Kubernetes safety. A run touches a cluster only through a kubeconfig of its own, holding one
 * context that the user allowed explicitly, with a namespace of its own as default. Nothing here
 * reads the user's kubeconfig beyond `kubectl config view --minify` of that one context.
 */

const CLUSTER_TOOLS = /(?:^|[\s;|&(`$])(?:kubectl|helm|kustomize|stern|k9s|kubectx|kubens)\b/m;

/** Whether a unit runs anything that talks to a cluster (commands, waits, setup, cleanup). */
export function needsCluster(unit: Unit): boolean {
  for (const s of unit.slides)
    for (const step of s.steps) if ((step.kind === 'command' || step.kind === 'until') && CLUSTER_TOOLS.test(step.command)) return true;
  return unit.files.some((f) => [...f.setup, ...f.cleanup].some((h) => CLUSTER_TOOLS.test(h.command)));
}

export interface ClusterTarget {
  /** Kubeconfig the context is read from. */
  kubeconfig: string;
  context: string;
  /**
   * `--namespace-role`: a ClusterRole bound in each namespace the run creates, to the identity the
   * kubeconfig authenticates as, so the labs get their permissions there only (in-cluster shards
   * with a service account that holds no lab permission anywhere else: docs/VERIFY.md).
   */
  namespaceRole?: { clusterRole: string; subject: RoleSubject };
}

/** Who a RoleBinding names: the run's service account, or a user. */
export type RoleSubject = { kind: 'ServiceAccount'; namespace: string; name: string } | { kind: 'User'; name: string };

/** The identity the context authenticates as (`kubectl auth whoami`), as a RoleBinding subject. */
export async function whoAmI(target: ClusterTarget): Promise<RoleSubject> {
  const name = (await kubectl(['--kubeconfig', target.kubeconfig, '--context', target.context, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'])).trim();
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
  return sa ? { kind: 'ServiceAccount', namespace: sa[1]!, name: sa[2]! } : { kind: 'User', name };
}

export type ContextChoice = { ok: true; target: ClusterTarget } | { ok: false; message: string; hint: string };

/** `--kubeconfig`, else $KUBECONFIG (first entry), else ~/.kube/config. */
export function sourceKubeconfig(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.KUBECONFIG?.split(':').find(Boolean) ?? join(homedir(), '.kube', 'config');
}

/**
 * The context to use: `--context` names it (that is the explicit permission), otherwise the
 * kubeconfig's current context, which must be in the allow-list (config or LABDECK_VERIFY_CONTEXTS).
 */
export async function chooseContext(o: { context?: string; allowed: readonly string[]; kubeconfig: string }): Promise<ContextChoice> {
  const contexts = await kubectl(['--kubeconfig', o.kubeconfig, 'config', 'get-contexts', '-o', 'name']).catch((e: Error) => ({ error: e.message }));
  if (typeof contexts !== 'string')
    return { ok: false, message: `cannot read contexts from ${o.kubeconfig}: ${contexts.error.split('\n')[0]}`, hint: 'point --kubeconfig (or KUBECONFIG) at a kubeconfig, e.g. eval "$(labdeck cluster env)"' };
  const names = contexts.split('\n').filter(Boolean);
  const wanted = o.context ?? (await kubectl(['--kubeconfig', o.kubeconfig, 'config', 'current-context']).catch(() => '')).trim();
  if (!wanted) return { ok: false, message: `no current context in ${o.kubeconfig}`, hint: 'pass --context NAME' };
  if (!names.includes(wanted)) return { ok: false, message: `context "${wanted}" is not in ${o.kubeconfig}`, hint: `known contexts: ${names.join(', ') || 'none'}` };
  if (o.context === undefined && !o.allowed.includes(wanted))
    return {
      ok: false,
      message: `refusing to run against context "${wanted}": it is not explicitly allowed`,
      hint: `pass --context ${wanted} if this cluster may be used for verification, or add it to verify.contexts in labdeck.yml (or LABDECK_VERIFY_CONTEXTS)`,
    };
  return { ok: true, target: { kubeconfig: o.kubeconfig, context: wanted } };
}

/** DNS-1123 label: `labdeck-<run>-<unit>`, at most 63 characters. */
export function namespaceName(runId: string, unitId: string): string {
  const slug = unitId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `labdeck-${runId}-${slug}`.slice(0, 63).replace(/-+$/, '');
}

export interface RunNamespace {
  kubeconfig: string;
  namespace: string;
  /** Deletes the namespace (and waits a little for it); returns a warning when it could not. */
  teardown(): Promise<string | undefined>;
}

/**
 * Writes the run's own kubeconfig (one context, flattened) and creates the namespace, labelled in
 * the same request (so an admission policy can require the label of every namespace a runner
 * creates), then binds `--namespace-role` in it when asked.
 */
export async function prepareNamespace(target: ClusterTarget, dir: string, namespace: string, runId: string): Promise<RunNamespace> {
  const kubeconfig = join(dir, 'kubeconfig');
  const view = await kubectl(['--kubeconfig', target.kubeconfig, 'config', 'view', '--minify', '--flatten', '--context', target.context]);
  writeFileSync(kubeconfig, view, { mode: 0o600 });
  const k = (...args: string[]) => kubectl(['--kubeconfig', kubeconfig, '--context', target.context, ...args]);
  await k('config', 'use-context', target.context);
  const manifest = join(dir, 'namespace.json');
  writeFileSync(manifest, JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'labdeck.io/run': runId } } }));
  await k('create', '-f', manifest);
  if (target.namespaceRole) {
    const { clusterRole, subject } = target.namespaceRole;
    await k('create', 'rolebinding', 'labdeck-lab', '-n', namespace, `--clusterrole=${clusterRole}`, subject.kind === 'ServiceAccount' ? `--serviceaccount=${subject.namespace}:${subject.name}` : `--user=${subject.name}`);
  }
  await k('config', 'set-context', '--current', `--namespace=${namespace}`);
  return {
    kubeconfig,
    namespace,
    teardown: async () => {
      try {
        await k('delete', 'namespace', namespace, '--ignore-not-found', '--wait=true', '--timeout=60s');
        return undefined;
      } catch (e) {
        return `namespace ${namespace} may be left behind: ${(e as Error).message.split('\n')[0]}`;
      }
    },
  };
}

/** What reports say about the cluster a unit ran against. */
export interface ClusterFacts {
  /** The API server's version, `v1.33.13`. */
  kubernetes?: string;
  nodes?: NodeKind;
  /** What ran the pods, in one line (`real node: kubelet v1.33.13, containerd 1.6.20, runc 1.1.5`). */
  nodeLabel?: string;
  /**
   * On kwok-simulated nodes no container runs, so a passing lab proves the commands, not the
   * containers: reports say so. Undefined for real nodes.
   */
  simulation?: string;
}

/** Asks the cluster its version and what its nodes are; what cannot be read is left out. */
export async function clusterFacts(target: ClusterTarget): Promise<ClusterFacts & { labdeckNode?: boolean }> {
  const base = ['--kubeconfig', target.kubeconfig, '--context', target.context];
  const [nodes, version] = await Promise.all([kubectl([...base, 'get', 'nodes', '-o', 'json']).catch(() => ''), kubectl([...base, 'version', '-o', 'json']).catch(() => '')]);
  const facts: ClusterFacts & { labdeckNode?: boolean } = {};
  try {
    const v = (JSON.parse(version) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion;
    if (v) facts.kubernetes = v;
  } catch {
    /* unknown version */
  }
  try {
    const c = describeNodes(JSON.parse(nodes) as NodeList);
    if (c.kind !== 'none') facts.nodes = c.kind === 'simulated' ? 'kwok' : c.kind;
    facts.nodeLabel = c.label;
    if (c.notice) facts.simulation = c.notice;
    // labdeck's own node: its images come from labdeck's mirror, which pull errors can name.
    if (c.labdeck) facts.labdeckNode = true;
  } catch {
    /* unknown nodes */
  }
  return facts;
}

interface PodList {
  items: {
    metadata: { name: string };
    status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
  }[];
}
interface ContainerStatus {
  name: string;
  image: string;
  state?: { waiting?: { reason?: string; message?: string } };
}
interface EventList {
  items: { involvedObject: { name: string }; reason?: string; message?: string; lastTimestamp?: string }[];
}

const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/**
 * Why a failed step's pods did not start, when it is their image: a step that waits on such a pod
 * only times out, and the reason is in the pod's status and events. On labdeck's real node it
 * says whether the image is missing from the registry mirror (and where to add it) or the mirror
 * does not answer.
 */
export async function explainPullFailures(kubeconfig: string, namespace: string, labdeckMirror: boolean): Promise<string | undefined> {
  const k = (...args: string[]) => kubectl(['--kubeconfig', kubeconfig, '-n', namespace, ...args]);
  const pods = JSON.parse(await k('get', 'pods', '-o', 'json')) as PodList;
  const stuck = pods.items.flatMap((p) =>
    [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]
      .filter((c) => PULL_FAILURES.has(c.state?.waiting?.reason ?? ''))
      .map((c) => ({ pod: p.metadata.name, container: c })),
  );
  if (stuck.length === 0) return undefined;
  const events = JSON.parse(await k('get', 'events', '-o', 'json')) as EventList;
  return explainPulls(stuck, events, labdeckMirror);
}

/** Pure part of explainPullFailures: one line per image. */
export function explainPulls(stuck: { pod: string; container: ContainerStatus }[], events: EventList, labdeckMirror: boolean): string {
  const lines = new Map<string, string>();
  for (const { pod, container } of stuck) {
    if (lines.has(container.image)) continue;
    // kubelet's "Failed to pull image …: <containerd's error>" event holds the reason; the pod's own status only says "Back-off".
    const pulls = events.items.filter((e) => e.involvedObject.name === pod && e.reason === 'Failed' && /^Failed to pull image/.test(e.message ?? ''));
    const error = pulls.at(-1)?.message ?? container.state?.waiting?.message ?? container.state?.waiting?.reason ?? '';
    const where = `pod ${pod} cannot pull image ${container.image}`;
    if (labdeckMirror && /not found|manifest unknown/i.test(error))
      lines.set(container.image, `${where}: labdeck's registry mirror does not have it (${imageListPath()} lists what it has; add the image there, with a recipe in images.sh, and run labdeck cluster build)`);
    else if (labdeckMirror && /connection refused|dial tcp|no such host|i\/o timeout|no route/i.test(error))
      lines.set(container.image, `${where}: labdeck's registry mirror does not answer (${oneLine(error)}); see labdeck cluster status, and labdeck cluster up to restart it`);
    else lines.set(container.image, `${where}: ${oneLine(error)}`);
  }
  return [...lines.values()].join('\n');
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Namespaces earlier runs left (label labdeck.io/run), to report at the start of a run. */
export async function leftoverNamespaces(target: ClusterTarget): Promise<string[]> {
  const out = await kubectl(['--kubeconfig', target.kubeconfig, '--context', target.context, 'get', 'namespaces', '-l', 'labdeck.io/run', '-o', 'name']).catch(() => '');
  return out.split('\n').filter(Boolean);
}

function kubectl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', args, { timeout: 90_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message));
      else resolve(stdout);
    });
  });
}
