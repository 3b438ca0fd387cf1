import type { VerifyEvent } from '../events.ts';
import type { SlideRef } from '../step.ts';

export type StepEvent = Extract<VerifyEvent, { type: 'step' }>;

export interface SlideResult {
  slide: SlideRef;
  steps: StepEvent[];
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
}

export interface UnitSummary {
  id: string;
  title: string;
  kind: 'deck' | 'chapter';
  source: string;
  root: string;
  time: string;
  status: 'passed' | 'failed' | 'interrupted';
  durationMs: number;
  slides: SlideResult[];
  /** setup, cleanup and run preparation: reported apart so they do not change a slide's verdict. */
  hooks: StepEvent[];
  namespace?: string;
  context?: string;
  /** What ran the pods (real or simulated nodes, versions), in one line. */
  nodeLabel?: string;
  /** What simulated nodes mean for the results, when they are. */
  simulation?: string;
  warnings: string[];
  casts: Record<string, string>;
}

export interface RunSummary {
  run: string;
  status: 'passed' | 'failed' | 'interrupted';
  durationMs: number;
  units: UnitSummary[];
}

/** Folds the event stream into per-unit, per-slide results: the one input of JUnit and HTML. */
export function summarize(events: readonly VerifyEvent[]): RunSummary {
  const units = new Map<string, UnitSummary>();
  let run: RunSummary = { run: '', status: 'interrupted', durationMs: 0, units: [] };
  for (const e of events) {
    if (e.type === 'run-start') run = { ...run, run: e.run };
    else if (e.type === 'unit-start')
      units.set(e.unit, { id: e.unit, title: e.title, kind: e.kind, source: e.source, root: e.root, time: e.time, status: 'interrupted', durationMs: 0, slides: [], hooks: [], warnings: [], casts: {}, ...(e.namespace ? { namespace: e.namespace } : {}), ...(e.context ? { context: e.context } : {}), ...(e.nodeLabel ? { nodeLabel: e.nodeLabel } : {}), ...(e.simulation ? { simulation: e.simulation } : {}) });
    else if (e.type === 'step') {
      const u = units.get(e.unit);
      if (!u) continue;
      if (e.step.kind === 'setup' || e.step.kind === 'cleanup') {
        u.hooks.push(e);
        continue;
      }
      let s = u.slides.find((x) => x.slide.index === e.slide.index && x.slide.id === e.slide.id);
      if (!s) u.slides.push((s = { slide: e.slide, steps: [], status: 'skipped', durationMs: 0 }));
      s.steps.push(e);
      s.durationMs += e.durationMs;
      if (e.status === 'failed') s.status = 'failed';
      else if (e.status === 'passed' && s.status === 'skipped') s.status = 'passed';
    } else if (e.type === 'unit-end') {
      const u = units.get(e.unit);
      if (u) Object.assign(u, { status: e.status, durationMs: e.durationMs, warnings: e.warnings ?? [], casts: e.casts ?? {} });
    } else if (e.type === 'run-end') run = { ...run, status: e.status, durationMs: e.durationMs };
  }
  return { ...run, units: [...units.values()] };
}

export function firstFailure(s: SlideResult): StepEvent | undefined {
  return s.steps.find((x) => x.status === 'failed');
}

/**
 * The first line of a failed step's error: what a command that exited non-zero printed first
 * (kubectl's `Error from server (NotFound): …`), else the runner's message (a timeout, an
 * expectation that did not hold).
 */
export function failureLine(step: StepEvent): string {
  const printed = step.exitCode !== undefined && step.exitCode !== 0 ? step.output?.split('\n').find((l) => l.trim() !== '') : undefined;
  return (printed ?? step.message ?? 'failed').split('\n')[0]!.trim();
}
