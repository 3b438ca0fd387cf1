import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { it } from 'vitest';
import { parse as parseYaml } from 'yaml';

/**
 * What the course tests against the loopback cluster share: its kubeconfig (LABDECK_TEST_KUBECONFIG,
 * exported by .ci/run; locally a private cluster, see tests/course/verify-course.test.ts), the
 * course's decks, and `labdeck verify` run as its own process.
 */
export const REPO = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO, 'bin/labdeck.js');
export const KUBECONFIG = process.env.LABDECK_TEST_KUBECONFIG;

/** Skips with a note locally, fails in CI, when there is no cluster. */
export function needCluster(file: string): void {
  if (!KUBECONFIG && !process.env.CI) console.warn(`${file}: skipped, LABDECK_TEST_KUBECONFIG is not set (bring a cluster up and export it: see tests/course/verify-course.test.ts)`);
  it.runIf(!KUBECONFIG && process.env.CI)('CI provides the loopback cluster (LABDECK_TEST_KUBECONFIG)', () => {
    throw new Error('LABDECK_TEST_KUBECONFIG is not set: CI must verify the course against the loopback cluster (.ci/run exports it after `labdeck cluster up`)');
  });
}

/** Every deck of the course, as `labdeck verify content/decks/*.yml` gets them. */
export const courseDecks = (): string[] =>
  readdirSync(join(REPO, 'content/decks'))
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => `content/decks/${f}`);

export const currentContext = (kubeconfig: string): string => String((parseYaml(readFileSync(kubeconfig, 'utf8')) as { 'current-context'?: string })['current-context'] ?? '');

/** `labdeck verify …` from the repository, as its own process. */
export function verifyProcess(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'verify', ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stderr }));
  });
}

/** kubectl against `kubeconfig`; stdin optional. */
export function kubectl(kubeconfig: string, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Namespaces of a run still Active (teardown should have deleted them). */
export function activeNamespaces(kubeconfig: string, runId: string): string[] {
  const r = kubectl(kubeconfig, ['get', 'namespaces', '-l', `labdeck.io/run=${runId}`, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase}{"\\n"}{end}']);
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter((l) => l.endsWith('=Active'));
}
