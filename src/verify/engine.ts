import { spawn } from 'node:child_process';
import type { Emit, StepInfo, StepStatus } from './events.ts';
import { describeExit, exitMatches } from './grammar.ts';
import { pollHidden, runHidden } from './hidden.ts';
import { compareOutput, contains, lastMatch } from './match.ts';
import { describeMatcher, describeStep, type CommandStep, type ExitExpectation, type HiddenCommand, type Matcher, type SlidePlan, type SlideRef, type Step, type Unit } from './step.ts';
import { InterruptedError, TerminalGoneError, TimeoutError, formatMs, type Mark, type Marker, type PaneStream, type Terminal } from './terminal/terminal.ts';
import { TmuxCommandError } from './terminal/control.ts';

/** Default time each kind of step may take, before --timeout-scale (runner-parity.md §5.1). */
export const DEFAULT_TIMEOUTS = {
  command: 60_000,
  wait: 60_000,
  longwait: 600_000,
  until: 300_000,
  check: 60_000,
  copy: 10_000,
  input: 10_000,
  hidden: 120_000,
  cleanupOnInterrupt: 30_000,
} as const;

export interface Interaction {
  before(slide: SlidePlan, step: Step, index: number): Promise<'run' | 'skip' | 'quit'>;
  afterFailure(slide: SlidePlan, step: Step, outcome: Outcome): Promise<'retry' | 'skip' | 'quit'>;
}

export interface EngineOptions {
  terminal: Terminal;
  /** Environment and directory of hidden commands: the same as the panes'. */
  env: Record<string, string>;
  cwd: string;
  timeoutScale: number;
  signal: AbortSignal;
  continueOnError: boolean;
  /** Audience slide number to start from; earlier slides are reported as skipped. */
  fromSlide?: number;
  /** Run `open` directives with xdg-open instead of only recording them. */
  open: boolean;
  emit: Emit;
  /** Called when the runner enters a slide (autopilot, cast markers). */
  onSlide?(slide: SlideRef): void;
  /** Called after tmux steps change the panes (recordings track sizes). */
  onLayout?(): Promise<void>;
  interactive?: Interaction;
  /** `--update`: transcript outputs are recorded, not compared (the caller rewrites the blocks). */
  update?: boolean;
  /** What the cluster says about a failure (e.g. a pod whose image cannot be pulled), added to its message. */
  explainFailure?(): Promise<string | undefined>;
}

export interface Outcome {
  status: StepStatus;
  message?: string;
  exitCode?: number;
  screen?: string;
  output?: string;
  pane?: string;
  url?: string;
}

export interface UnitResult {
  status: 'passed' | 'failed' | 'interrupted';
  passed: number;
  failed: number;
  skipped: number;
}

class StepFailure extends Error {
  constructor(
    message: string,
    readonly extra: Partial<Outcome> = {},
  ) {
    super(message);
  }
}

/** Replays a unit's steps in order; cleanup directives always run. */
export async function runUnit(unit: Unit, o: EngineOptions): Promise<UnitResult> {
  return new UnitRun(unit, o).run();
}

type Stop = 'failed' | 'interrupted';

/** One run of a unit: its counts, where it stopped, which files' setup and cleanup have run. */
class UnitRun {
  readonly #started = Date.now();
  readonly #counts = { passed: 0, failed: 0, skipped: 0 };
  readonly #state = { clipboard: undefined as string | undefined };
  readonly #setupDone = new Set<number>();
  readonly #cleanupDone = new Set<number>();
  readonly #lastSlideOfFile = new Map<number, number>();
  #stopped: Stop | undefined;

  constructor(
    readonly unit: Unit,
    readonly o: EngineOptions,
  ) {
    unit.slides.forEach((s, i) => this.#lastSlideOfFile.set(s.file, i));
  }

  readonly scale = (ms: number): number => Math.round(ms * this.o.timeoutScale);

  async run(): Promise<UnitResult> {
    try {
      for (let si = 0; si < this.unit.slides.length; si++) {
        const sp = this.unit.slides[si]!;
        if (this.#stopped) {
          this.skipSlide(sp, this.stoppedReason());
          continue;
        }
        await this.runSlide(sp);
        if (this.#lastSlideOfFile.get(sp.file) === si && !this.#stopped) await this.runCleanup(sp.file, this.o.signal);
      }
    } finally {
      // Cleanup always runs, even after a failure or Ctrl-C (with its own time budget then).
      const signal = this.o.signal.aborted ? AbortSignal.timeout(this.scale(DEFAULT_TIMEOUTS.cleanupOnInterrupt)) : this.o.signal;
      for (const f of [...this.#setupDone].reverse()) await this.runCleanup(f, signal, this.o.signal.aborted ? this.scale(DEFAULT_TIMEOUTS.cleanupOnInterrupt) : undefined);
    }
    const status = this.#stopped === 'interrupted' || this.o.signal.aborted ? 'interrupted' : this.#counts.failed > 0 ? 'failed' : 'passed';
    return { status, ...this.#counts };
  }

  private stoppedReason(): string {
    return this.#stopped === 'interrupted' ? 'not run: interrupted' : 'not run: an earlier step failed (use --continue-on-error to go on)';
  }

  /** A slide: skipped (before --from, `skip`), or its file's setup when first entered, then its steps. */
  private async runSlide(sp: SlidePlan): Promise<void> {
    const o = this.o;
    if (o.fromSlide !== undefined && sp.slide.number < o.fromSlide) return this.skipSlide(sp, `before --from ${o.fromSlide}`);
    if (sp.skip !== undefined) return this.skipSlide(sp, sp.skip);
    o.emit({ type: 'slide', unit: this.unit.id, slide: sp.slide, of: this.unit.slideCount, elapsedMs: Date.now() - this.#started });
    o.onSlide?.(sp.slide);
    if (!(await this.runSetup(sp))) return;
    for (let i = 0; i < sp.steps.length; i++) {
      if (await this.attemptStep(sp, sp.steps[i]!, i)) continue;
      this.skipSlide(sp, this.#stopped ? this.stoppedReason() : 'not run: an earlier step of this slide failed', i + 1);
      return;
    }
  }

  /** The setup commands of the slide's file, the first time one of its slides runs. False when one failed. */
  private async runSetup(sp: SlidePlan): Promise<boolean> {
    if (this.#setupDone.has(sp.file)) return true;
    this.#setupDone.add(sp.file);
    let ok = true;
    for (const h of this.unit.files[sp.file]!.setup) if (ok) ok = await this.hidden(sp, 'setup', h, this.o.signal);
    if (!ok) {
      this.skipSlide(sp, 'not run: setup failed');
      this.#stopped = this.o.signal.aborted ? 'interrupted' : 'failed';
    }
    return ok;
  }

  /** One step, asking first and retrying on failure when interactive. False when the slide cannot go on. */
  private async attemptStep(sp: SlidePlan, step: Step, i: number): Promise<boolean> {
    const o = this.o;
    const info = stepInfo(step, i);
    for (let attempt = 1; ; attempt++) {
      const choice = o.interactive && attempt === 1 ? await o.interactive.before(sp, step, i) : 'run';
      if (choice === 'quit') {
        // This step here; the rest of the slide with the other steps after it.
        this.#stopped = 'interrupted';
        this.report(sp.slide, info, { status: 'skipped', reason: 'not run: quit' }, 0);
        return false;
      }
      if (choice === 'skip') {
        this.report(sp.slide, info, { status: 'skipped', reason: 'skipped interactively' }, 0);
        return true;
      }
      const t0 = Date.now();
      let outcome = await runStep(step, o, this.#state, this.scale);
      if (outcome.status === 'failed' && !o.signal.aborted && o.explainFailure) {
        const why = await o.explainFailure().catch(() => undefined);
        if (why) outcome = { ...outcome, message: outcome.message ? `${outcome.message}\n${why}` : why };
      }
      if (outcome.status === 'failed' && o.signal.aborted) {
        this.report(sp.slide, info, { ...outcome, message: 'interrupted' }, Date.now() - t0, attempt);
        this.#stopped = 'interrupted';
        return false;
      }
      if (outcome.status === 'failed' && o.interactive) {
        const next = await o.interactive.afterFailure(sp, step, outcome);
        if (next === 'retry') continue;
        this.report(sp.slide, info, outcome, Date.now() - t0, attempt);
        if (next === 'quit') this.#stopped = 'failed';
        return next === 'skip';
      }
      this.report(sp.slide, info, outcome, Date.now() - t0, attempt);
      if (outcome.status !== 'failed') return true;
      if (!o.continueOnError) this.#stopped = 'failed';
      return false;
    }
  }

  private report(slide: SlideRef, info: StepInfo, outcome: Outcome & { reason?: string }, durationMs: number, attempt?: number): void {
    this.#counts[outcome.status]++;
    this.o.emit({ type: 'step', unit: this.unit.id, slide, step: info, durationMs, ...(attempt && attempt > 1 ? { attempt } : {}), ...outcome });
  }

  private skipSlide(sp: SlidePlan, reason: string, from = 0): void {
    sp.steps.slice(from).forEach((step, i) => this.report(sp.slide, stepInfo(step, from + i), { status: 'skipped', reason }, 0));
  }

  /** A setup or cleanup command, outside the terminal, reported as a step of `sp`. */
  private async hidden(sp: SlidePlan, kind: 'setup' | 'cleanup', h: HiddenCommand, signal: AbortSignal, cap?: number): Promise<boolean> {
    const t0 = Date.now();
    const timeout = Math.min(this.scale(h.timeoutMs ?? DEFAULT_TIMEOUTS.hidden), cap ?? Infinity);
    const r = await runHidden(h.command, this.o.env, this.o.cwd, timeout, signal);
    const info: StepInfo = { index: -1, kind, text: `${kind}: ${h.command.split('\n')[0]}`, file: h.position.file, line: h.position.line, hidden: true };
    const ok = r.status === 0 && !r.timedOut;
    const message = ok ? undefined : r.timedOut ? `${kind} timed out after ${formatMs(timeout)}` : signal.aborted ? `${kind} interrupted` : `${kind} exited with status ${r.status}`;
    this.report(sp.slide, info, { status: ok ? 'passed' : 'failed', exitCode: r.status, output: r.output, ...(message ? { message } : {}) }, Date.now() - t0);
    return ok;
  }

  /** The cleanup commands of a file whose setup ran, once, reported on its last slide. */
  private async runCleanup(file: number, signal: AbortSignal, cap?: number): Promise<void> {
    if (!this.#setupDone.has(file) || this.#cleanupDone.has(file)) return;
    this.#cleanupDone.add(file);
    const sp = this.unit.slides[this.#lastSlideOfFile.get(file)!]!;
    for (const h of this.unit.files[file]!.cleanup) await this.hidden(sp, 'cleanup', h, signal, cap);
  }
}

export function stepInfo(step: Step, index: number): StepInfo {
  return {
    index,
    kind: step.kind,
    text: describeStep(step),
    file: step.position.file,
    line: step.position.line,
    ...(step.kind === 'command' && step.hidden ? { hidden: true } : {}),
  };
}

/** Runs one step and turns every failure into an Outcome with the screen of the pane at that moment. */
async function runStep(step: Step, o: EngineOptions, state: { clipboard?: string | undefined }, scale: (ms: number) => number): Promise<Outcome> {
  const t = o.terminal;
  const pane = t.active;
  try {
    const outcome = await execute(step, o, state, scale);
    // Every failure carries the screen at that moment, assertion failures included.
    if (outcome.status === 'failed' && outcome.screen === undefined && !t.closed) outcome.screen = await t.capture(outcome.pane ?? pane).catch(() => '');
    return outcome;
  } catch (e) {
    const extra = e instanceof StepFailure ? e.extra : {};
    const target = extra.pane ?? pane;
    let screen: string | undefined;
    try {
      if (!t.closed) screen = await t.capture(target);
    } catch {
      /* the pane may be gone */
    }
    const message =
      e instanceof InterruptedError ? 'interrupted' : e instanceof TimeoutError ? `${describeStep(step)}: ${e.message}` : e instanceof Error ? e.message : String(e);
    if (!t.closed && !o.signal.aborted) await recover(o, target).catch(() => {});
    return { status: 'failed', message, pane: target, ...(screen !== undefined ? { screen } : {}), ...extra };
  }
}

/** After a failure, give the pane back a prompt: Ctrl-C, then a fresh shell in its place if that is not enough. */
async function recover(o: EngineOptions, pane: string): Promise<void> {
  const t = o.terminal;
  const p = t.pane(pane);
  const last = p.markers[p.markers.length - 1];
  if (last?.kind === 'D') return;
  if (last?.kind !== 'X') {
    const from = p.mark();
    await t.keys(pane, ['C-c']);
    const back = await t.waitFor(() => p.markerSince('DX', from), 2000).catch(() => undefined);
    if (back?.kind === 'D') return;
  }
  await t.replace(pane);
  await o.onLayout?.();
}

function isBusy(p: PaneStream): boolean {
  return p.markers[p.markers.length - 1]?.kind === 'S';
}

async function execute(step: Step, o: EngineOptions, state: { clipboard?: string | undefined }, scale: (ms: number) => number): Promise<Outcome> {
  const t = o.terminal;
  const timeout = (fallback: number) => scale(step.timeoutMs ?? fallback);
  const pane = t.active;
  const p = t.pane(pane);
  switch (step.kind) {
    case 'command':
      return command(step, o, timeout(step.wait?.long ? DEFAULT_TIMEOUTS.longwait : step.wait ? DEFAULT_TIMEOUTS.wait : DEFAULT_TIMEOUTS.command));
    case 'check': {
      const ms = timeout(DEFAULT_TIMEOUTS.check);
      const m = await t.waitFor(() => p.markerSince('DX', p.lastInput), ms, o.signal).catch(rethrow(`no prompt came back within ${formatMs(ms)}: the typed command is still running`, pane));
      if (m.kind === 'X') throw new StepFailure(`the shell in pane ${pane} exited (status ${m.status})`, { pane, exitCode: m.status! });
      const start = p.markerSince('S', p.lastInput);
      return assess(step, m.status!, start ? p.text(start.offset, m.offset) : '', pane);
    }
    case 'key': {
      const wasIdle = !isBusy(p);
      const from = p.mark();
      await t.keys(pane, step.keys);
      // ^D at an idle prompt ends the shell: close the pane as tmux would, or give the last one a new shell.
      if (wasIdle && step.keys.includes('C-d')) {
        const m = await t.waitFor(() => p.markerSince('XD', from), timeout(DEFAULT_TIMEOUTS.input), o.signal).catch(rethrow('the shell did not exit after ^D', pane));
        if (m.kind === 'X') {
          await t.closePane(pane, o.signal);
          await o.onLayout?.();
        }
      }
      return { status: 'passed', pane };
    }
    case 'type':
      await t.type(pane, step.text, false);
      return { status: 'passed', pane };
    case 'paste':
      if (state.clipboard === undefined) throw new StepFailure('nothing to paste: no `copy` has succeeded in this run', { pane });
      await t.type(pane, state.clipboard, false);
      return { status: 'passed', pane, output: state.clipboard };
    case 'copy': {
      const ms = timeout(DEFAULT_TIMEOUTS.copy);
      const value = await t
        .waitFor(async () => lastMatch(await t.capture(pane), step.regex), ms, o.signal)
        .catch(rethrow(`nothing on pane ${pane} matches /${step.regex}/ (waited ${formatMs(ms)})`, pane));
      state.clipboard = value;
      return { status: 'passed', pane, output: value };
    }
    case 'wait': {
      const ms = timeout(step.long ? DEFAULT_TIMEOUTS.longwait : DEFAULT_TIMEOUTS.wait);
      const from = p.lastInput;
      const seen = screenWatcher(t, pane);
      const r = await t
        .waitFor(async () => {
          if (contains(p.text(from.offset), step.matcher) || (await seen(from, step.matcher))) return 'found' as const;
          if (p.markerSince('X', from)) return 'dead' as const;
          return undefined;
        }, ms, o.signal)
        .catch(rethrow(`${describeMatcher(step.matcher)} did not appear on pane ${pane} within ${formatMs(ms)}`, pane, () => p.text(from.offset)));
      if (r === 'dead') throw new StepFailure(`the shell in pane ${pane} exited while waiting for ${describeMatcher(step.matcher)}`, { pane });
      return { status: 'passed', pane };
    }
    case 'until': {
      const ms = timeout(DEFAULT_TIMEOUTS.until);
      const r = await pollHidden(step.command, o.env, o.cwd, ms, 1000, o.signal);
      if (o.signal.aborted) throw new InterruptedError();
      if (r.status !== 0) throw new StepFailure(r.timedOut ? `\`${step.command}\` did not succeed within ${formatMs(ms)}` : `\`${step.command}\` exited with status ${r.status}`, { output: r.output, exitCode: r.status, pane });
      return { status: 'passed', output: r.output, exitCode: 0 };
    }
    case 'tmux': {
      try {
        const r = await t.tmux(step.args, o.signal);
        await o.onLayout?.();
        return { status: 'passed', pane: t.active, ...(r.output.length ? { output: r.output.join('\n') } : {}) };
      } catch (e) {
        if (e instanceof TmuxCommandError && /no space for new pane/.test(e.output))
          throw new StepFailure(`\`tmux ${step.args.join(' ')}\`: no space for a new pane`, { pane, message: `\`tmux ${step.args.join(' ')}\`: no space for a new pane (the window is too small for this many splits; close a pane first, or run with a larger --size)` });
        if (e instanceof TmuxCommandError) throw new StepFailure(`\`tmux ${step.args.join(' ')}\` failed: ${e.output}`, { pane });
        throw e;
      }
    }
    case 'open':
      if (o.open) spawn('xdg-open', [step.url], { detached: true, stdio: 'ignore' }).on('error', () => {}).unref();
      return { status: 'passed', url: step.url, ...(o.open ? {} : { message: 'recorded, not opened (use --open)' }) };
  }
}

async function command(step: CommandStep, o: EngineOptions, ms: number): Promise<Outcome> {
  const t = o.terminal;
  const pane = t.active;
  const p = t.pane(pane);
  const lastMarker = p.markers[p.markers.length - 1];
  if (lastMarker?.kind === 'X') throw new StepFailure(`the shell in pane ${pane} has exited; nothing can be typed there`, { pane });
  if (isBusy(p)) {
    // Something still runs in this pane (e.g. after `nowait`): wait for its prompt, as a person would.
    const since = { offset: lastMarker!.offset, markers: p.markers.length };
    await t.waitFor(() => p.markerSince('DX', since), ms, o.signal).catch(rethrow(`pane ${pane} is still busy with the previous command; end it first (e.g. \`key ^C\`)`, pane));
  }
  const from = p.mark();
  await t.type(pane, step.command, true);
  const output = (end?: Marker) => {
    const s = p.markerSince('S', from);
    return s ? p.text(s.offset, end?.offset) : '';
  };
  if (step.nowait) {
    await t.waitFor(() => p.markerSince('SX', from), Math.min(ms, 10_000), o.signal).catch(rethrow('the shell did not start the command', pane));
    return { status: 'passed', pane };
  }
  if (step.wait) {
    const w = step.wait;
    const seen = screenWatcher(t, pane);
    const r = await t
      .waitFor(async () => {
        const end = p.markerSince('DX', from);
        if (contains(output(end), w.matcher) || (!end && (await seen(from, w.matcher)))) return { found: true, end };
        if (end) return { found: false, end };
        return undefined;
      }, ms, o.signal)
      .catch(rethrow(`${describeMatcher(w.matcher)} did not appear within ${formatMs(ms)}`, pane, () => output()));
    if (r.end?.kind === 'X') throw new StepFailure(`the shell exited (status ${r.end.status}) while running this command`, { pane, exitCode: r.end.status!, output: output(r.end) });
    // A `wait` after a command still checks that the command did not fail, if it has ended.
    if (r.end) {
      const assessed = assess(step, r.end.status!, output(r.end), pane, o.update);
      if (assessed.status === 'failed' || !r.found) {
        const why = !r.found ? `the command ended (status ${r.end.status}) without printing ${describeMatcher(w.matcher)}` : assessed.message;
        return { ...assessed, status: 'failed', ...(why ? { message: why } : {}) };
      }
      return assessed;
    }
    return { status: 'passed', pane, output: output() };
  }
  const end = await t.waitFor(() => p.markerSince('DX', from), ms, o.signal).catch(rethrow(`no prompt after ${formatMs(ms)}: the command is still running`, pane, () => output()));
  if (end.kind === 'X') throw new StepFailure(`the shell exited (status ${end.status}) while running this command`, { pane, exitCode: end.status!, output: output(end) });
  return assess(step, end.status!, output(end), pane, o.update);
}

/** Exit status, `expect` and `output` assertions of a finished command. */
function assess(step: { exit: ExitExpectation; expects: Matcher[]; output?: { text: string }; transcript?: unknown }, status: number, output: string, pane: string, update = false): Outcome {
  const base = { pane, exitCode: status, output };
  if (!exitMatches(step.exit, status)) return { ...base, status: 'failed', message: `exit status ${status}, expected ${describeExit(step.exit)}${step.exit.kind === 'zero' ? ' (if this failure is intended, add `<!-- ```expect-fail``` -->` after it)' : ''}` };
  for (const m of step.expects) if (!contains(output, m)) return { ...base, status: 'failed', message: `the output does not contain ${describeMatcher(m)}` };
  if (step.output && !(update && step.transcript)) {
    // A transcript's backticks are highlight spans: gone from the expected text, so from the actual one too.
    const diff = compareOutput(step.output.text, step.transcript ? output.replace(/`/g, '') : output);
    if (diff !== undefined)
      return step.transcript
        ? { ...base, status: 'failed', message: `the output differs from the transcript:\n${diff}\n(\`labdeck verify --update\` writes the new output into the block)` }
        : { ...base, status: 'failed', message: `the output differs from the expected output:\n${diff}` };
  }
  return { ...base, status: 'passed' };
}

/**
 * Full-screen programs (watch, vim) redraw by cursor moves, so their text is read from the screen
 * while the pane is in the alternate screen and has drawn since `from`. Captures are throttled.
 */
function screenWatcher(t: Terminal, pane: string) {
  let last = 0;
  return async (from: Mark, m: Matcher): Promise<boolean> => {
    const p = t.pane(pane);
    if (!p.inAlternateScreen || p.raw.length <= from.offset || Date.now() - last < 100) return false;
    last = Date.now();
    return contains(await t.capture(pane), m);
  };
}

function rethrow(message: string, pane: string, output?: () => string) {
  return (e: unknown): never => {
    if (e instanceof TimeoutError) throw new StepFailure(message, { pane, ...(output ? { output: output() } : {}) });
    if (e instanceof TerminalGoneError) throw new StepFailure(e.message, { pane });
    throw e;
  };
}
