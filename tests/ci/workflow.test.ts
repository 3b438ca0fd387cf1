import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * Issue 15: .github/workflows/verify.yml, the course verified as a matrix of shards on GitHub
 * Actions. Its syntax, expressions and shell scripts are checked by actionlint, built here from
 * Go modules (github.com/rhysd/actionlint, pinned); without Go the lint is skipped with a note.
 */
const REPO = resolve(import.meta.dirname, '../..');
const WORKFLOW = join(REPO, '.github/workflows/verify.yml');
const ACTIONLINT = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';
const TOOLS = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'labdeck', 'tools', 'actionlint-v1.7.12');

const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
const hasShellcheck = spawnSync('shellcheck', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasGo && !hasShellcheck) console.warn('tests/ci/workflow.test.ts: actionlint runs without shellcheck (apt-get install shellcheck): the workflows\' scripts are not checked');
if (!hasGo) console.warn('tests/ci/workflow.test.ts: actionlint skipped, Go is not installed (it is built from Go modules: go install ' + ACTIONLINT + ')');

type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { needs?: string | string[]; if?: string; strategy?: { matrix: { shard: number[] } }; steps: { name?: string; run?: string; uses?: string; if?: string; with?: Record<string, unknown> }[] }> };
const workflow = () => parse(readFileSync(WORKFLOW, 'utf8')) as Workflow;
const runs = (job: string) => workflow().jobs[job]!.steps.map((s) => s.run ?? '').join('\n');

describe('the verification workflow', () => {
  it('fans the course out as a matrix of shards, each bringing up its own loopback cluster with the project’s scripts', () => {
    const w = workflow();
    const shard = w.jobs.shard!;
    const n = shard.strategy!.matrix.shard;
    expect(n).toEqual(Array.from({ length: n.length }, (_, i) => i + 1));
    expect(n.length).toBeGreaterThan(1);
    const script = runs('shard');
    for (const s of ['scripts/cluster/build.sh', 'scripts/cluster/up.sh', 'scripts/cluster/env.sh']) expect(script).toContain(`bash ${s}`);
    expect(script).toContain('--shard "$SHARD/$SHARDS"');
    expect(script).toMatch(/--json "reports\/shard-\$SHARD\.jsonl"/);
    // The cluster goes down whatever happened, and the report is uploaded even when a lab failed.
    expect(shard.steps.find((s) => s.run?.endsWith('bash scripts/cluster/down.sh'))!.if).toBe('always()');
    expect(shard.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!.if).toBe('${{ !cancelled() }}');
  });

  it('merges the shard reports into one, builds the site with the verdicts, and uploads them', () => {
    const merge = workflow().jobs.merge!;
    expect(merge.needs).toBe('shard');
    expect(merge.if).toBe('${{ !cancelled() }}');
    const script = runs('merge');
    expect(script).toContain('node bin/labdeck.js verify merge reports/shard-*.jsonl');
    expect(script).toContain('node bin/labdeck.js build --verify-report verify/merged.jsonl');
    expect(merge.steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
  });

  it('holds no secret and reads the repository only: pull requests run the course’s commands', () => {
    const w = workflow();
    const text = readFileSync(WORKFLOW, 'utf8');
    expect(Object.keys(w.on)).not.toContain('pull_request_target');
    expect(w.permissions).toEqual({ contents: 'read' });
    expect(text).not.toMatch(/secrets\./);
    for (const job of Object.values(w.jobs)) for (const s of job.steps) if (s.uses?.startsWith('actions/checkout')) expect(s.with?.['persist-credentials']).toBe(false);
  });
});

describe.skipIf(!hasGo)('actionlint', () => {
  let bin = '';
  let dir = '';
  beforeAll(() => {
    bin = join(TOOLS, 'actionlint');
    if (!existsSync(bin)) {
      mkdirSync(TOOLS, { recursive: true });
      execFileSync('go', ['install', ACTIONLINT], { env: { ...process.env, GOBIN: TOOLS }, stdio: 'pipe', timeout: 600_000 });
    }
    dir = mkdtempSync(join(tmpdir(), 'labdeck-actionlint-'));
  }, 600_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing wrong in .github/workflows/verify.yml', () => {
    const r = spawnSync(bin, ['-no-color', WORKFLOW], { cwd: REPO, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('is a real check: it refuses the workflow with a mistyped matrix value and a broken script', () => {
    const broken = readFileSync(WORKFLOW, 'utf8').replace('SHARD: ${{ matrix.shard }}', 'SHARD: ${{ matrix.shards }}').replace('if [[ -f durations.jsonl ]]; then', 'if [[ -f durations.jsonl ]] then');
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    const file = join(dir, '.github/workflows/verify.yml');
    writeFileSync(file, broken);
    const r = spawnSync(bin, ['-no-color', file], { cwd: dir, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/property "shards" is not defined/);
    if (hasShellcheck) expect(r.stdout).toMatch(/shellcheck reported issue in this script: SC1010/);
  });
});
