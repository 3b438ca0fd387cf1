import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { VerifyEvent } from '../../src/verify/events.ts';
import { loadUnits } from '../../src/verify/load.ts';
import { summarize, type RunSummary } from '../../src/verify/report/summary.ts';
import { runUnits, type RunOptions } from '../../src/verify/run.ts';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/verify');
let counter = 0;

/** Replays fixture chapters through the real runner (real tmux) and returns the events and the verdict per slide. */
export async function replay(files: string[], options: Partial<RunOptions> = {}) {
  const { units, diagnostics } = await loadUnits(files.map((f) => join(FIXTURES, f)));
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(JSON.stringify(diagnostics));
  const runId = `t${process.pid.toString(36)}${(counter++).toString(36)}`;
  const workDir = mkdtempSync(join(tmpdir(), 'labdeck-vtest-'));
  const events: VerifyEvent[] = [];
  const status = await runUnits({
    units,
    runId,
    jobs: 1,
    timeoutScale: 1,
    continueOnError: false,
    open: false,
    keep: false,
    width: 120,
    height: 40,
    signal: new AbortController().signal,
    workDir,
    ...options,
    emit: (e) => {
      events.push(e);
      options.emit?.(e);
    },
  });
  const summary = summarize(events);
  return { status, events, summary, runId, workDir, verdicts: verdicts(summary) };
}

/** `{ unit: { slideNumber: status } }` */
export function verdicts(s: RunSummary): Record<string, Record<number, string>> {
  return Object.fromEntries(s.units.map((u) => [u.id, Object.fromEntries(u.slides.map((x) => [x.slide.number, x.status]))]));
}

/** tmux servers of a run still answering, and socket files left behind. */
export function leftovers(runId: string): { servers: string[]; sockets: string[] } {
  const dir = join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid!()}`);
  const sockets = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(`labdeck-${runId}-`)) : [];
  const servers = sockets.filter((s) => {
    try {
      execFileSync('tmux', ['-L', s, 'list-sessions'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  return { servers, sockets };
}

/** Private run directories left in a work dir. */
export function runDirs(workDir: string): string[] {
  return readdirSync(workDir).filter((f) => f.startsWith('labdeck-verify-'));
}
