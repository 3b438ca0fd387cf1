import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { countSteps } from './extract.ts';
import { runUnit, type Interaction } from './engine.ts';
import { unitRef, type Emit, type ShardInfo } from './events.ts';
import { LABDECK_VERSION } from '../shared/version.ts';
import { clusterFacts, explainPullFailures, needsCluster, namespaceName, prepareNamespace, type ClusterFacts, type ClusterTarget, type RunNamespace } from './cluster.ts';
import { CastRecorder } from './report/cast.ts';
import type { SlideRef, Unit } from './step.ts';
import { Terminal } from './terminal/terminal.ts';
import { INHERITED_VARIABLES, shellEnvironment } from './terminal/shell.ts';

export interface RunOptions {
  units: Unit[];
  runId: string;
  jobs: number;
  timeoutScale: number;
  continueOnError: boolean;
  fromSlide?: number;
  open: boolean;
  /** Keep the namespace and the run directory (home, kubeconfig, recordings) for debugging. */
  keep: boolean;
  width: number;
  height: number;
  signal: AbortSignal;
  emit: Emit;
  /** Required when a unit runs cluster tools; checked by the caller (chooseContext). */
  cluster?: ClusterTarget;
  /** Directory for asciicast recordings (one per pane per unit). */
  castDir?: string;
  /** Autopilot: told about every slide the runner enters. */
  onSlide?(unit: Unit, slide: SlideRef): void;
  interactive?: Interaction;
  /** Parent of the per-unit private directories (os.tmpdir() by default). */
  workDir?: string;
  /** `--update`: record transcript outputs instead of comparing them. */
  update?: boolean;
  /** `--shard i/n`: which part of which units this run is (written into run-start). */
  shard?: ShardInfo;
}

/** Sockets of live servers, killed synchronously if the process exits without cleaning up. */
const liveSockets = new Set<string>();
let exitHook = false;
function guardExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const s of liveSockets) {
      try {
        execFileSync('tmux', ['-L', s, 'kill-server'], { stdio: 'ignore' });
        rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, s), { force: true });
      } catch {
        /* already gone */
      }
    }
  });
}

/** Runs units in a pool of `jobs` workers, each with its own tmux server, directory and namespace. */
export async function runUnits(o: RunOptions): Promise<'passed' | 'failed' | 'interrupted'> {
  const started = Date.now();
  o.emit({ type: 'run-start', run: o.runId, time: new Date(started).toISOString(), units: o.units.map(unitRef), labdeck: LABDECK_VERSION, ...(o.shard ? { shard: o.shard } : {}) });
  const results: ('passed' | 'failed' | 'interrupted')[] = [];
  let next = 0;
  const worker = async () => {
    while (next < o.units.length) {
      const i = next++;
      const unit = o.units[i]!;
      results[i] = o.signal.aborted ? 'interrupted' : await runOne(unit, i, o);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs, o.units.length)) }, worker));
  const status = o.signal.aborted || results.includes('interrupted') ? 'interrupted' : results.includes('failed') ? 'failed' : 'passed';
  o.emit({ type: 'run-end', run: o.runId, status, durationMs: Date.now() - started });
  return status;
}

async function runOne(unit: Unit, n: number, o: RunOptions): Promise<'passed' | 'failed' | 'interrupted'> {
  const started = Date.now();
  const base = o.workDir ?? tmpdir();
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `labdeck-verify-${o.runId}-`));
  const home = join(dir, 'home');
  const tmp = join(dir, 'tmp');
  mkdirSync(home);
  mkdirSync(tmp);
  const warnings: string[] = [];
  let ns: RunNamespace | undefined;
  let terminal: Terminal | undefined;
  let casts: CastRecorder | undefined;
  const socket = `labdeck-${o.runId}-${n}`;
  const fail = (message: string): 'failed' => {
    o.emit({ type: 'unit-start', run: o.runId, unit: unit.id, title: unit.title, kind: unit.kind, source: unit.source, root: unit.root, time: new Date().toISOString() });
    const slide = unit.slides[0]?.slide ?? { index: 0, number: 0, id: unit.id, file: unit.source, line: 1, title: unit.title, hash: '' };
    o.emit({ type: 'step', unit: unit.id, slide, step: { index: -1, kind: 'setup', text: 'prepare the run', file: slide.file, line: slide.line }, status: 'failed', durationMs: Date.now() - started, message });
    o.emit({ type: 'unit-end', unit: unit.id, status: 'failed', durationMs: Date.now() - started, passed: 0, failed: 1, skipped: countSteps(unit) });
    return 'failed';
  };
  try {
    let kubeconfig = join(dir, 'kubeconfig');
    let facts: ClusterFacts = {};
    let labdeckNode = false;
    const namespace = namespaceName(o.runId, unit.id);
    if (needsCluster(unit)) {
      if (!o.cluster) return fail('this deck runs kubectl but no cluster context was chosen');
      try {
        ns = await prepareNamespace(o.cluster, dir, namespace, o.runId);
      } catch (e) {
        return fail(`could not prepare namespace ${namespace}: ${(e as Error).message}`);
      }
      kubeconfig = ns.kubeconfig;
      ({ labdeckNode = false, ...facts } = await clusterFacts(o.cluster));
    }
    const inherited = Object.fromEntries(INHERITED_VARIABLES.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
    const env = shellEnvironment({
      home,
      tmpdir: tmp,
      kubeconfig,
      path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      extra: { ...inherited, LABDECK_RUN: o.runId, ...(ns ? { LABDECK_NAMESPACE: ns.namespace } : {}) },
    });
    if (o.castDir) casts = new CastRecorder(o.castDir, `${unit.id}`, unit.title, { width: o.width, height: o.height });
    guardExit();
    liveSockets.add(socket);
    try {
      terminal = await Terminal.start({ dir: join(dir, 'tmux'), socket, width: o.width, height: o.height, env, cwd: home, ...(casts ? { onOutput: (p, t, at) => casts!.output(p, t, at) } : {}) });
    } catch (e) {
      return fail(`could not start tmux: ${(e as Error).message}`);
    }
    const t = terminal;
    o.emit({ type: 'unit-start', run: o.runId, unit: unit.id, title: unit.title, kind: unit.kind, source: unit.source, root: unit.root, time: new Date().toISOString(), ...(ns ? { namespace: ns.namespace, context: o.cluster!.context } : {}), ...facts, ...(unit.transcripts ? { transcripts: true } : {}) });
    const r = await runUnit(unit, {
      terminal: t,
      env,
      cwd: home,
      timeoutScale: o.timeoutScale,
      signal: o.signal,
      continueOnError: o.continueOnError,
      ...(o.fromSlide !== undefined ? { fromSlide: o.fromSlide } : {}),
      open: o.open,
      emit: o.emit,
      onSlide: (slide) => {
        casts?.marker(`slide ${slide.number}: ${slide.title}`);
        o.onSlide?.(unit, slide);
      },
      ...(casts ? { onLayout: async () => casts!.resize(await t.paneSizes()) } : {}),
      ...(o.interactive ? { interactive: o.interactive } : {}),
      ...(o.update ? { update: true } : {}),
      ...(ns ? { explainFailure: () => explainPullFailures(ns!.kubeconfig, ns!.namespace, labdeckNode) } : {}),
    });
    await t.close();
    liveSockets.delete(socket);
    const files = casts?.close();
    if (ns && !o.keep) {
      const w = await ns.teardown();
      ns = undefined;
      if (w) warnings.push(w);
    }
    if (o.keep) warnings.push(`kept ${dir}${ns ? ` and namespace ${ns.namespace}` : ''} (--keep)`);
    o.emit({ type: 'unit-end', unit: unit.id, status: r.status, durationMs: Date.now() - started, passed: r.passed, failed: r.failed, skipped: r.skipped, ...(warnings.length ? { warnings } : {}), ...(files && Object.keys(files).length ? { casts: files } : {}) });
    return r.status;
  } finally {
    // Every path out: the server, the namespace and the private directory go (unless --keep).
    if (terminal) await terminal.close().catch(() => {});
    liveSockets.delete(socket);
    if (ns && !o.keep) await ns.teardown().catch(() => undefined);
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}
