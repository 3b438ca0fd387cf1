/**
 * What the course and page benchmarks run: markmaker (its re-implementation, or the original from
 * a real checkout) one process per manifest as container.training's build.sh does, `labdeck build`
 * as a user runs it, and a copy of a real checkout when LABDECK_CONTAINER_TRAINING names one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
export const MARKMAKER_MODEL = join(REPO, 'scripts/markmaker-model.py');
const LABDECK_BIN = join(REPO, 'bin/labdeck.js');

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const ms = (n: number): string => `${Math.round(n)} ms`;
export const seconds = (n: number): string => `${(n / 1000).toFixed(2)} s`;

/** Why markmaker cannot run here (no python3 or no PyYAML), or undefined when it can. */
export function markmakerMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
  if (probe.error) return 'python3 not found (apt-get install -y python3 python3-yaml)';
  if (probe.status !== 0) return 'PyYAML not found (apt-get install -y python3-yaml)';
  return undefined;
}

/**
 * Runs markmaker on each manifest, one process after the other in the manifests' folder, pages
 * written next to them (`<manifest>.html`); returns the wall time. fragments/ (its side output)
 * is removed first so every run does the same work.
 */
export function runMarkmaker(slidesDir: string, manifests: readonly string[], script = MARKMAKER_MODEL): number {
  rmSync(join(slidesDir, 'fragments'), { recursive: true, force: true });
  const started = performance.now();
  for (const manifest of manifests) {
    const html = execFileSync('python3', [script, manifest], { cwd: slidesDir, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
    writeFileSync(`${manifest}.html`, html);
  }
  return performance.now() - started;
}

export interface LabdeckRun {
  wall: number;
  status: number | null;
  stderr: string;
}

/** `labdeck build MANIFESTS --out OUT` in a new process, as a user runs it; returns its wall time. */
export function runLabdeckBuild(manifests: readonly string[], outDir: string, options: { lenient?: boolean; env?: NodeJS.ProcessEnv } = {}): LabdeckRun {
  const started = performance.now();
  const run = spawnSync(process.execPath, [LABDECK_BIN, 'build', ...manifests, '--out', outDir, ...(options.lenient ? ['--lenient'] : [])], {
    cwd: dirname(outDir),
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    maxBuffer: 1 << 26,
  });
  const wall = performance.now() - started;
  if (run.status !== 0) throw new Error(`labdeck build failed (${run.status}): ${run.stderr.slice(-2000)}`);
  return { wall, status: run.status, stderr: run.stderr };
}

export interface RealCourse {
  slidesDir: string;
  manifests: string[];
  /** remark.js 0.14 as the checkout ships it. */
  remark?: string;
  markmaker?: string;
}

/**
 * A copy of the real checkout's slides/ and k8s/ (include targets) under `into`, so markmaker's
 * side output (fragments/, pages) never lands in the checkout; undefined when
 * LABDECK_CONTAINER_TRAINING is not set (the caller prints a note).
 */
export function copyRealCourse(into: string): RealCourse | undefined {
  const real = process.env.LABDECK_CONTAINER_TRAINING;
  if (!real) return undefined;
  const from = join(real, 'slides');
  if (!existsSync(from)) throw new Error(`LABDECK_CONTAINER_TRAINING=${real} has no slides/ folder`);
  mkdirSync(into, { recursive: true });
  // verbatimSymlinks: cpSync otherwise points relative links (slides/logistics.md) at the checkout,
  // outside the copy, which the build refuses to read.
  cpSync(from, join(into, 'slides'), { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith('/fragments') && !src.endsWith('.yml.html') });
  if (existsSync(join(real, 'k8s'))) cpSync(join(real, 'k8s'), join(into, 'k8s'), { recursive: true, verbatimSymlinks: true });
  const slidesDir = join(into, 'slides');
  const manifests = readdirSync(slidesDir)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => join(slidesDir, f));
  const remark = join(slidesDir, 'remark-0.14.min.js');
  const markmaker = join(slidesDir, 'markmaker.py');
  return { slidesDir, manifests, remark: existsSync(remark) ? remark : undefined, markmaker: existsSync(markmaker) ? markmaker : undefined };
}

/** remark.js 0.14 from the remark-slide package (MIT; a dev dependency, never committed). */
export function npmRemark(): string | undefined {
  const path = join(REPO, 'node_modules/remark-slide/out/remark.min.js');
  return existsSync(path) ? path : undefined;
}
