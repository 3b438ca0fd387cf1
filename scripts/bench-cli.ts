/**
 * CLI start: `labdeck --help` and `labdeck --version` as a user runs them (a new Node process
 * through bin/labdeck.js), wall time from spawn to exit. Goal (issue 14): < 150 ms.
 * Node's own start (`node -e 0`) is measured beside them: labdeck cannot go below it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { median, ms, REPO } from './course-runs.ts';

const RUNS = 9;

function time(args: string[]): { median: number; best: number; status: number | null } {
  const walls: number[] = [];
  let status: number | null = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8' });
    walls.push(performance.now() - started);
    status = run.status;
  }
  return { median: median(walls), best: Math.min(...walls), status };
}

export async function run(): Promise<string> {
  const bin = join(REPO, 'bin/labdeck.js');
  const node = time(['-e', '0']);
  const lines = [`node -e 0: ${ms(node.median)} (best ${ms(node.best)}), median of ${RUNS}`];
  for (const flag of ['--help', '--version']) {
    const t = time([bin, flag]);
    lines.push(`labdeck ${flag}: ${ms(t.median)} (best ${ms(t.best)}, exit ${t.status}); goal < 150 ms: ${t.median < 150 ? 'met' : 'MISSED'}`);
  }
  return lines.join('\n');
}
