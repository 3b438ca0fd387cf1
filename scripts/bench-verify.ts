/**
 * Runner overhead per step: 100 trivial commands replayed through the real runner (private tmux
 * server, pinned shell, literal input through a buffer, completion from the prompt marker) against
 * the same 100 commands in one bash script. Target: < 15 ms per step.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSource } from '../src/parse/index.ts';
import type { VerifyEvent } from '../src/verify/events.ts';
import { unitFromFile } from '../src/verify/extract.ts';
import { runUnits } from '../src/verify/run.ts';

const STEPS = 100;
const ROUNDS = 5;
const commands = Array.from({ length: STEPS }, (_, i) => `echo step-${i} $((${i} * 2))`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function runnerRound(work: string): Promise<{ steps: number; total: number; passed: number }> {
  const md = ['# Bench', '', '## 100 steps', '', '.lab[', '', '  ```bash', ...commands.map((c) => `  ${c}`), '  ```', '', ']', ''].join('\n');
  const unit = unitFromFile(parseSource(md, { path: 'bench.md' }), work);
  const events: VerifyEvent[] = [];
  const t0 = performance.now();
  await runUnits({ units: [unit], runId: `bench${process.pid}`, jobs: 1, timeoutScale: 1, continueOnError: false, open: false, keep: false, width: 160, height: 48, signal: new AbortController().signal, workDir: work, emit: (e) => events.push(e) });
  const total = performance.now() - t0;
  const steps = events.filter((e) => e.type === 'step');
  // Wall time from entering the slide to the end of the last step (server start and teardown excluded).
  const stepsWall = steps.reduce((n, e) => n + (e.type === 'step' ? e.durationMs : 0), 0);
  return { steps: stepsWall, total, passed: steps.filter((e) => e.type === 'step' && e.status === 'passed').length };
}

function scriptRound(work: string): number {
  const script = join(work, 'bench.sh');
  writeFileSync(script, commands.join('\n') + '\n');
  const t0 = performance.now();
  spawnSync('bash', ['--noprofile', '--norc', script], { stdio: 'ignore' });
  return performance.now() - t0;
}

export async function run(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'labdeck-bench-verify-'));
  try {
    const runner: { steps: number; total: number; passed: number }[] = [];
    const script: number[] = [];
    await runnerRound(work); // warm-up (tsx, tmux binary, page cache)
    for (let i = 0; i < ROUNDS; i++) {
      runner.push(await runnerRound(work));
      script.push(scriptRound(work));
    }
    if (runner.some((r) => r.passed !== STEPS)) throw new Error(`not every step passed: ${runner.map((r) => r.passed).join(', ')}`);
    const steps = median(runner.map((r) => r.steps));
    const total = median(runner.map((r) => r.total));
    const bash = median(script);
    const perStep = (steps - bash) / STEPS;
    return [
      `${STEPS} trivial steps, median of ${ROUNDS} runs:`,
      `  runner, steps only        ${steps.toFixed(0)} ms  (${(steps / STEPS).toFixed(2)} ms/step)`,
      `  runner, whole run         ${total.toFixed(0)} ms  (tmux server start, shell, teardown included)`,
      `  same commands, one script ${bash.toFixed(0)} ms`,
      `  overhead per step         ${perStep.toFixed(2)} ms  (target < 15 ms) ${perStep < 15 ? 'OK' : 'OVER TARGET'}`,
    ].join('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
