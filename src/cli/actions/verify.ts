import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pc from 'picocolors';
import { hasErrors } from '../../model/diagnostic.ts';
import { writeFileAtomic } from '../../shared/files.ts';
import { displayPath } from '../../shared/paths.ts';
import { chooseContext, leftoverNamespaces, needsCluster, sourceKubeconfig, whoAmI, type ClusterTarget } from '../../verify/cluster.ts';
import { readVerifyConfig } from '../../verify/config.ts';
import type { ShardInfo, VerifyEvent } from '../../verify/events.ts';
import { countSteps } from '../../verify/extract.ts';
import { follower, slideNotice } from '../../verify/follow.ts';
import { DEFAULT_KEEP, deckHistories, formatHistory, readHistory, recordRun } from '../../verify/history.ts';
import { terminalInteraction } from '../../verify/interactive.ts';
import { loadUnits, onlyChapter } from '../../verify/load.ts';
import { htmlReport } from '../../verify/report/html.ts';
import { junitXml } from '../../verify/report/junit.ts';
import { mergeReports } from '../../verify/report/merge.ts';
import { progressPrinter } from '../../verify/report/progress.ts';
import { readReport } from '../../verify/report/read.ts';
import { summarize } from '../../verify/report/summary.ts';
import { runUnits } from '../../verify/run.ts';
import { parseShard, shardUnits, unitDurations } from '../../verify/shard.ts';
import { describeStep, type Unit } from '../../verify/step.ts';
import { transcriptEdits, writeEdits } from '../../verify/update.ts';
import { printDiagnostics } from '../shared.ts';

export interface VerifyFlags {
  plan?: boolean;
  from?: string;
  only?: string;
  step?: boolean;
  continueOnError?: boolean;
  jobs: string;
  timeoutScale: string;
  context?: string;
  kubeconfig?: string;
  keep?: boolean;
  open?: boolean;
  junit?: string;
  json?: string;
  html?: string;
  cast?: string;
  follow?: string;
  size: string;
  verbose?: boolean;
  update?: boolean;
  transcripts?: boolean;
  shard?: string;
  durations?: string;
  history?: string;
  historyDir: string;
  namespaceRole?: string;
}

export interface MergeFlags {
  json?: string;
  junit?: string;
  html?: string;
  history?: string;
  historyDir: string;
}

const err = (s: string) => process.stderr.write(s + '\n');
const bad = (message: string, hint?: string) => {
  err(`${pc.red('error:')} ${message}${hint ? `\n    hint: ${hint}` : ''}`);
  return 2;
};

/** Reports kept: --history, else labdeck.yml's verify.history, else the default. */
function keepCount(flag: string | undefined): { keep: number } | { error: string } {
  if (flag !== undefined) {
    const n = Number(flag);
    return Number.isInteger(n) && n >= 0 ? { keep: n } : { error: `--history ${flag}: expected a whole number of reports to keep (0: none)` };
  }
  const { config, error } = readVerifyConfig(process.cwd());
  return error ? { error } : { keep: config.history ?? DEFAULT_KEEP };
}

/** Adds a finished run to the history, and says where. */
function record(dir: string, events: readonly VerifyEvent[], keep: number): void {
  try {
    const { file, pruned } = recordRun(dir, events, keep);
    if (file) err(pc.dim(`report kept in ${displayPath(file)}${pruned.length ? ` (${pruned.length} older dropped, keeping ${keep})` : ''}`));
  } catch (e) {
    err(pc.yellow(`warning: could not keep the report in ${dir}: ${(e as Error).message}`));
  }
}

export function mergeCommand(files: string[], flags: MergeFlags): number {
  const keep = keepCount(flags.history);
  if ('error' in keep) return bad(keep.error);
  const read = files.map(readReport);
  const unreadable = read.flatMap((r) => (r.ok ? [] : [r.diagnostic]));
  if (unreadable.length) {
    printDiagnostics(unreadable);
    return bad(`nothing merged: ${unreadable.length} of ${files.length} report${files.length === 1 ? '' : 's'} cannot be read (listed above)`);
  }
  const { events, diagnostics } = mergeReports(read.flatMap((r) => (r.ok ? [r.report] : [])));
  if (diagnostics.length) printDiagnostics(diagnostics);
  if (hasErrors(diagnostics)) return bad('nothing merged (the reasons are above)');
  if (flags.json) writeFileAtomic(flags.json, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const summary = summarize(events);
  if (flags.junit) writeFileAtomic(flags.junit, junitXml(summary));
  if (flags.html) writeFileAtomic(join(flags.html, 'index.html'), htmlReport(summary));
  record(flags.historyDir, events, keep.keep);
  const slides = summary.units.flatMap((u) => u.slides);
  const failed = slides.filter((s) => s.status === 'failed').length;
  const incomplete = diagnostics.some((d) => d.code === 'verify/merge-missing');
  const line = `merged ${files.length} report${files.length === 1 ? '' : 's'}: ${summary.status}, ${summary.units.length} deck${summary.units.length === 1 ? '' : 's'}, ${slides.length} slides, ${failed} failed${incomplete ? ', some decks not verified' : ''}`;
  err(summary.status === 'passed' && !incomplete ? pc.green(line) : pc.red(line));
  return summary.status === 'passed' && !incomplete ? 0 : summary.status === 'interrupted' ? 130 : 1;
}

export function history(deck: string | undefined, dir: string): number {
  const { reports, diagnostics } = readHistory(dir);
  if (diagnostics.length) printDiagnostics(diagnostics);
  const decks = deckHistories(reports);
  if (decks.length === 0) return (err(`${pc.red('error:')} no verification report in ${displayPath(resolve(dir))}\n    hint: run \`labdeck verify <decks>\`: it keeps its reports there`), 1);
  const id = deck === undefined ? undefined : basename(deck).replace(/\.ya?ml$/, '');
  const chosen = id === undefined ? decks : decks.filter((d) => d.unit === id);
  if (chosen.length === 0) return bad(`no run of ${deck} in the history (${displayPath(resolve(dir))})`, `decks in the history: ${decks.map((d) => d.unit).join(', ')}`);
  process.stdout.write(formatHistory(chosen));
  return 0;
}

export async function run(inputs: string[], flags: VerifyFlags): Promise<number> {
  const jobs = Number(flags.jobs);
  const scale = Number(flags.timeoutScale);
  const size = /^(\d+)x(\d+)$/.exec(flags.size);
  const from = flags.from === undefined ? undefined : Number(flags.from);
  if (!Number.isInteger(jobs) || jobs < 1) return bad(`--jobs ${flags.jobs}: expected a whole number ≥ 1`);
  if (!(scale > 0)) return bad(`--timeout-scale ${flags.timeoutScale}: expected a positive number`);
  if (!size || Number(size[1]) < 20 || Number(size[2]) < 5) return bad(`--size ${flags.size}: expected WIDTHxHEIGHT, e.g. 160x48`);
  if (from !== undefined && !(Number.isInteger(from) && from >= 1)) return bad(`--from ${flags.from}: expected a slide number`);
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  if (shard && !shard.ok) return bad(shard.message, shard.hint);
  if (flags.durations && !shard) return bad('--durations balances shards: give it with --shard i/n');
  let durations: Map<string, number> | undefined;
  if (flags.durations) {
    const earlier = readReport(flags.durations);
    if (!earlier.ok) {
      printDiagnostics([earlier.diagnostic]);
      return bad(`--durations ${flags.durations}: not a report verify can read (above)`);
    }
    durations = unitDurations(earlier.report.events);
  }
  const keep = keepCount(flags.history);
  if ('error' in keep) return bad(keep.error);

  const { units: loaded, diagnostics } = await loadUnits(inputs, process.cwd(), { transcripts: flags.transcripts === true });
  if (diagnostics.length) printDiagnostics(diagnostics);
  if (hasErrors(diagnostics)) return bad('the decks have errors (listed above); nothing was run', 'fix them, or check them with `labdeck lint`');
  const units: Unit[] = flags.only ? loaded.map((u) => onlyChapter(u, flags.only!)) : loaded;

  if (flags.plan && !shard) {
    process.stdout.write(planText(units));
    return 0;
  }
  const withSteps = units.filter((u) => countSteps(u) > 0);
  if (!flags.plan) for (const u of units) if (countSteps(u) === 0) err(pc.yellow(`warning: ${u.source} has no steps to run${flags.only ? ` (with --only ${flags.only})` : ''}`));
  if (withSteps.length === 0)
    return (err(`${pc.red('error:')} nothing to verify: no step in ${inputs.join(', ')}\n    hint: verify runs \`\`\`bash fences inside .lab[ boxes and hidden <!-- \`\`\`directives\`\`\` --> (docs/VERIFY.md)`), 1);
  let runnable = withSteps;
  let shardInfo: ShardInfo | undefined;
  if (shard?.ok) {
    ({ mine: runnable, info: shardInfo } = shardUnits(withSteps, shard.shard, durations));
    const mine = runnable.map((u) => `${u.id} (${countSteps(u)} steps)`).join(', ');
    err(`shard ${shard.shard.index}/${shard.shard.total}: ${mine || 'no deck'} — ${runnable.length} of ${withSteps.length} deck${withSteps.length === 1 ? '' : 's'}, balanced by ${durations ? `the durations in ${flags.durations}` : 'step count'}`);
    if (flags.plan) {
      process.stdout.write(runnable.length ? planText(runnable) : '');
      return 0;
    }
  }

  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
  } catch {
    return bad('tmux is not installed (or not on PATH); verify drives a private tmux server', 'install it: `sudo apt-get install tmux` (Debian/Ubuntu), `sudo dnf install tmux` (Fedora), `brew install tmux` (macOS)');
  }

  let cluster: ClusterTarget | undefined;
  if (runnable.some(needsCluster)) {
    const { config, error } = readVerifyConfig(process.cwd());
    if (error) return bad(error);
    const choice = await chooseContext({ ...(flags.context ? { context: flags.context } : {}), allowed: config.contexts, kubeconfig: sourceKubeconfig(flags.kubeconfig) });
    if (!choice.ok) return bad(choice.message, choice.hint);
    cluster = choice.target;
    if (flags.namespaceRole) {
      const subject = await whoAmI(cluster).catch((e: Error) => e);
      if (subject instanceof Error) return bad(`--namespace-role: cannot tell who ${cluster.context} authenticates as: ${subject.message.split('\n')[0]}`, 'kubectl auth whoami must work with this context');
      cluster = { ...cluster, namespaceRole: { clusterRole: flags.namespaceRole, subject } };
    }
    const left = await leftoverNamespaces(cluster);
    if (left.length) err(pc.yellow(`warning: earlier runs left ${left.join(', ')} on ${cluster.context}`));
  }

  const runId = `${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex')}`;
  const events: VerifyEvent[] = [];
  const jsonFd = flags.json ? openFile(flags.json) : undefined;
  const castDir = flags.cast ? resolve(flags.cast) : flags.html ? resolve(flags.html, 'casts') : undefined;
  const progress = progressPrinter(process.stderr, { verbose: flags.verbose === true });
  const follow = flags.follow ? follower(flags.follow, (m) => err(pc.yellow(`warning: ${m}`))) : undefined;

  // Ctrl-C, a cancelled CI job (SIGTERM), a closed terminal (SIGHUP) or a parent that died: stop the
  // current step, run cleanup, tear down. A second signal leaves at once (the exit hook still kills tmux).
  const abort = new AbortController();
  const stop = (why: string) => {
    if (abort.signal.aborted) process.exit(130);
    // With the terminal or the parent gone, stderr may be gone too: cleaning up matters more than saying so.
    process.stderr.on('error', () => {});
    err(pc.yellow(`\ninterrupted (${why}): cleaning up${why === 'Ctrl-C' ? ' (Ctrl-C again to leave now)' : ''}`));
    abort.abort();
  };
  const onSigint = () => stop('Ctrl-C');
  const onSigterm = () => stop('SIGTERM');
  const onSighup = () => stop('SIGHUP: the terminal was closed');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('SIGHUP', onSighup);
  // Nothing signals a process whose parent was killed outright (kill -9 of a CI step): it is handed to init.
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid !== parent && !abort.signal.aborted) stop('its parent process is gone');
  }, 1000);
  orphaned.unref();
  let status: 'passed' | 'failed' | 'interrupted';
  try {
    status = await runUnits({
      units: runnable,
      runId,
      jobs,
      timeoutScale: scale,
      continueOnError: flags.continueOnError === true,
      ...(from !== undefined ? { fromSlide: from } : {}),
      open: flags.open === true,
      keep: flags.keep === true,
      width: Number(size[1]),
      height: Number(size[2]),
      signal: abort.signal,
      ...(cluster ? { cluster } : {}),
      ...(castDir ? { castDir } : {}),
      ...(follow ? { onSlide: (unit: Unit, slide) => follow.notify(slideNotice(runId, unit, slide)) } : {}),
      ...(flags.step ? { interactive: terminalInteraction(process.stdin, process.stderr) } : {}),
      ...(flags.update ? { update: true } : {}),
      ...(shardInfo ? { shard: shardInfo } : {}),
      emit: (e) => {
        events.push(e);
        progress(e);
        if (jsonFd !== undefined) writeSync(jsonFd, JSON.stringify(e) + '\n');
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('SIGHUP', onSighup);
    clearInterval(orphaned);
    if (jsonFd !== undefined) closeSync(jsonFd);
    if (flags.step) process.stdin.pause();
  }
  await follow?.flush();
  record(flags.historyDir, events, keep.keep);
  const summary = summarize(events);
  if (flags.junit) writeFileAtomic(flags.junit, junitXml(summary));
  if (flags.html) writeFileAtomic(join(flags.html, 'index.html'), htmlReport(summary, castDir));
  const slides = summary.units.flatMap((u) => u.slides);
  const failed = slides.filter((s) => s.status === 'failed').length;
  const line = `${status}: ${slides.length} slides, ${failed} failed, in ${(summary.durationMs / 1000).toFixed(1)} s`;
  err(status === 'passed' ? pc.green(line) : pc.red(line));
  const updated = flags.update && status !== 'interrupted' ? update(runnable, events) : true;
  return status === 'passed' ? (updated ? 0 : 1) : status === 'interrupted' ? 130 : 1;
}

/** `--update`: rewrite the transcripts whose output changed, print the diff; false when one could not be written. */
function update(units: Unit[], events: VerifyEvent[]): boolean {
  if (!units.some((u) => u.slides.some((s) => s.steps.some((step) => step.kind === 'command' && step.transcript)))) {
    process.stderr.write(pc.yellow('update: no console transcript to update (the deck does not say `transcripts: true`; add --transcripts)\n'));
    return true;
  }
  const { edits, diagnostics } = transcriptEdits(units, events);
  const { written, diagnostics: unwritten } = writeEdits(edits);
  for (const w of written) process.stdout.write(w.patch);
  const problems = [...diagnostics, ...unwritten];
  if (problems.length) printDiagnostics(problems);
  const files = written.length;
  const n = written.reduce((k, w) => k + w.edits, 0);
  process.stderr.write(`${files ? pc.green(`updated: ${n} transcript output${n === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`) : 'update: every transcript output is up to date'}${problems.length ? pc.red(`, ${problems.length} not updated (listed above)`) : ''}\n`);
  return problems.length === 0;
}

function planText(units: Unit[]): string {
  const out: string[] = [];
  for (const u of units) {
    out.push(`${u.title} (${u.source}): ${u.slides.length} slides with steps, ${countSteps(u)} steps`);
    for (const f of u.files) for (const h of f.setup) out.push(`  setup    ${h.position.file}:${h.position.line}  ${h.command.split('\n')[0]}`);
    for (const s of u.slides) {
      out.push(`  slide ${s.slide.number}/${u.slideCount}  ${s.slide.title}${s.skip !== undefined ? `  [skip: ${s.skip}]` : ''}`);
      for (const step of s.steps) out.push(`    ${step.position.file}:${step.position.line}  ${describeStep(step).split('\n').join('\n      ')}${planModifiers(step)}`);
    }
    for (const f of u.files) for (const h of f.cleanup) out.push(`  cleanup  ${h.position.file}:${h.position.line}  ${h.command.split('\n')[0]}`);
  }
  return out.join('\n') + '\n';
}

function planModifiers(step: Unit['slides'][number]['steps'][number]): string {
  const m: string[] = [];
  if (step.kind === 'command' || step.kind === 'check') {
    if (step.exit.kind !== 'zero') m.push(step.exit.kind === 'code' ? `exit ${step.exit.code}` : `exit ${step.exit.kind}`);
    for (const e of step.expects) m.push(`expect ${e.kind === 'text' ? JSON.stringify(e.text) : `/${e.source}/`}`);
    if (step.output) m.push('output');
  }
  if (step.kind === 'command' && step.wait) m.push(`${step.wait.long ? 'longwait' : 'wait'} ${step.wait.matcher.kind === 'text' ? JSON.stringify(step.wait.matcher.text) : `/${step.wait.matcher.source}/`}`);
  if (step.kind === 'command' && step.nowait) m.push('nowait');
  if (step.kind === 'command' && step.transcript) m.push(`transcript, ${step.transcript.end - step.transcript.start} output line${step.transcript.end - step.transcript.start === 1 ? '' : 's'}`);
  if (step.timeoutMs !== undefined) m.push(`timeout ${step.timeoutMs} ms`);
  return m.length ? `   [${m.join(', ')}]` : '';
}

function openFile(path: string): number {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  return openSync(path, 'w');
}
