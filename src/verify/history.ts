import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import { warning } from '../model/diagnostic.ts';
import { writeFileAtomic } from '../shared/files.ts';
import type { VerifyEvent } from './events.ts';
import { readReport, type Report } from './report/read.ts';
import { failureLine, firstFailure, summarize } from './report/summary.ts';
import type { SlideRef } from './step.ts';

export { DEFAULT_KEEP, VERIFY_DIR } from './defaults.ts';

const runsDir = (dir: string) => join(dir, 'runs');

/** `2026-11-29T11-58-13Z-sc78a2f4.jsonl`: names sort by time. */
export function runFileName(start: Extract<VerifyEvent, { type: 'run-start' }>): string {
  // Both come from a report, which may come from anywhere (a merged CI artifact): no path in them.
  const safe = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^\.+/, '_').slice(0, 80);
  return `${safe(start.time.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-'))}-${safe(start.run)}.jsonl`;
}

/** Writes a run's events into the history and drops the oldest reports beyond `keep`. Nothing when keep is 0. */
export function recordRun(dir: string, events: readonly VerifyEvent[], keep: number): { file?: string; pruned: string[] } {
  const start = events[0];
  if (keep <= 0 || start?.type !== 'run-start') return { pruned: [] };
  const file = join(runsDir(dir), runFileName(start));
  writeFileAtomic(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const all = historyFiles(dir);
  const pruned = all.slice(0, Math.max(0, all.length - keep));
  for (const f of pruned) rmSync(f, { force: true });
  return { file, pruned };
}

/** Report files of the history, oldest first. */
export function historyFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(runsDir(dir));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .map((n) => join(runsDir(dir), n));
}

/** Every readable report of the history; unreadable ones are warnings (a history is never fatal). */
export function readHistory(dir: string): { reports: Report[]; diagnostics: Diagnostic[] } {
  const reports: Report[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of historyFiles(dir)) {
    const r = readReport(f);
    if (r.ok) reports.push(r.report);
    else diagnostics.push(warning(r.diagnostic.code, r.diagnostic.position, `${r.diagnostic.message} (left out of the history)`, r.diagnostic.hint));
  }
  return { reports, diagnostics };
}

export interface RunPoint {
  run: string;
  /** When the deck's run started. */
  time: string;
  file: string;
}

export type SlideRunStatus = 'passed' | 'failed' | 'not-run';

export interface SlideHistory {
  /** As the newest run that has the slide names it. */
  slide: SlideRef;
  /** One per run of the deck, oldest first; `not-run` when that run did not reach it (or did not have it). */
  statuses: SlideRunStatus[];
  /** Status in the newest run of the deck. */
  latest: SlideRunStatus;
  /** The run where the failures that go on to the newest run began, and how many runs failed since. */
  failingSince?: RunPoint & { runs: number };
  lastPassed?: RunPoint;
  /** The newest failure: its step and the first line of its error. */
  lastFailure?: { step: string; message: string };
  /** Why the newest run that had the slide did not run it (`skip` reason, an earlier failure…). */
  notRunReason?: string;
}

export interface DeckHistory {
  unit: string;
  title: string;
  /** Runs of this deck, oldest first. */
  runs: RunPoint[];
  slides: SlideHistory[];
}

/**
 * Per deck (or chapter) and per slide, from the reports of the history: since when it has failed
 * and the last run it passed. A shard run whose merged report is also in the history counts once.
 */
export function deckHistories(reports: readonly Report[]): DeckHistory[] {
  const mergedRuns = new Set(reports.flatMap((r) => (r.runStart.merged ?? []).map((m) => m.run)));
  const decks = new Map<string, { title: string; runs: { point: RunPoint; slides: ReturnType<typeof summarize>['units'][number]['slides'] }[] }>();
  for (const r of reports) {
    if (mergedRuns.has(r.runStart.run)) continue;
    for (const u of summarize(r.events).units) {
      const d = decks.get(u.id) ?? { title: u.title, runs: [] };
      d.title = u.title;
      d.runs.push({ point: { run: r.runStart.run, time: u.time, file: r.file }, slides: u.slides });
      decks.set(u.id, d);
    }
  }
  return [...decks].map(([unit, d]) => {
    const runs = d.runs.sort((a, b) => (a.point.time < b.point.time ? -1 : a.point.time > b.point.time ? 1 : 0));
    const refs = new Map<string, SlideRef>();
    for (const run of runs) for (const s of run.slides) refs.set(s.slide.id, s.slide);
    const slides = [...refs.values()]
      .sort((a, b) => a.number - b.number || a.index - b.index)
      .map((slide): SlideHistory => {
        const results = runs.map((run) => run.slides.find((s) => s.slide.id === slide.id));
        const statuses = results.map((s): SlideRunStatus => (s?.status === 'passed' ? 'passed' : s?.status === 'failed' ? 'failed' : 'not-run'));
        const h: SlideHistory = { slide, statuses, latest: statuses.at(-1) ?? 'not-run' };
        let streak = 0;
        for (let i = runs.length - 1; i >= 0; i--) {
          if (statuses[i] === 'not-run') continue;
          if (statuses[i] === 'passed') {
            h.lastPassed ??= runs[i]!.point;
            break;
          }
          streak++;
          h.failingSince = { ...runs[i]!.point, runs: streak };
        }
        if (!h.lastPassed) {
          const i = statuses.lastIndexOf('passed');
          if (i >= 0) h.lastPassed = runs[i]!.point;
        }
        const lastFailed = results.findLast((s) => s?.status === 'failed');
        const f = lastFailed && firstFailure(lastFailed);
        if (f) h.lastFailure = { step: f.step.text, message: failureLine(f) };
        const newest = results.at(-1);
        if (newest?.status === 'skipped') h.notRunReason = (newest.steps[0]?.reason ?? '').replace(/^not run: /, '');
        return h;
      });
    return { unit, title: d.title, runs: runs.map((r) => r.point), slides };
  });
}

const clock = (time: string) => `${time.slice(0, 19).replace('T', ' ')} UTC`;
const when = (p: RunPoint) => `${clock(p.time)} (run ${p.run})`;

/** `verify history` as text: per deck, a line per slide, failing slides with their last failure. */
export function formatHistory(decks: readonly DeckHistory[]): string {
  const out: string[] = [];
  for (const d of decks) {
    const first = d.runs[0]!;
    const last = d.runs.at(-1)!;
    out.push(`${d.unit} — ${d.title}: ${d.runs.length} run${d.runs.length === 1 ? '' : 's'}, ${clock(first.time)} → ${clock(last.time)}`);
    const width = String(Math.max(...d.slides.map((s) => s.slide.number), 1)).length;
    for (const s of d.slides) {
      const head = `  slide ${String(s.slide.number).padStart(width)}  ${s.slide.title || '(untitled)'}  ${s.slide.file}:${s.slide.line}`;
      const passed = s.lastPassed ? `last passed ${when(s.lastPassed)}` : `never passed in ${d.runs.length} run${d.runs.length === 1 ? '' : 's'}`;
      if (s.failingSince) {
        out.push(`${head}`, `      ✗ failing since ${when(s.failingSince)}, ${s.failingSince.runs} run${s.failingSince.runs === 1 ? '' : 's'} in a row; ${passed}`);
        if (s.lastFailure) out.push(`        ${s.lastFailure.step.split('\n')[0]}: ${s.lastFailure.message}`);
      } else if (s.latest === 'passed') out.push(`${head}`, `      ✓ passing; ${passed}`);
      else out.push(`${head}`, `      – not run${s.notRunReason ? ` (${s.notRunReason})` : ''}; ${passed}`);
    }
  }
  return out.join('\n') + '\n';
}
