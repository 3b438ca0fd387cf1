import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run.ts';
import type { ParityReport } from '../../src/parity/report.ts';

const REPO = join(import.meta.dirname, '../..');
let content: string;

async function labdeck(...args: string[]) {
  const r = await runCli(args, { cwd: content });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  // A copy of the real content: the test stamps it, the committed seed stays as it is.
  content = join(mkdtempSync(join(tmpdir(), 'labdeck-parity-')), 'content');
  cpSync(join(REPO, 'content'), content, { recursive: true });
  rmSync(join(content, 'parity'), { recursive: true, force: true });
});
afterAll(() => rmSync(join(content, '..'), { recursive: true, force: true }));

describe('labdeck parity', () => {
  it('rejects the seed translation with --fail-on divergent-code (the CI gate) and reports as JSON', async () => {
    const r = await labdeck('parity', '--content', content, '--format', 'json', '--fail-on', 'divergent-code');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('divergent-code found');
    const report = JSON.parse(r.stdout) as ParityReport;
    const chapter = report.files.find((f) => f.fr === 'fr/k8s/kubectl-run.md')!;
    expect(chapter.summary.counts['divergent-code']).toBeGreaterThan(0);
    expect(report.decks.map((d) => d.deck)).toContain('kubernetes-fr');
    // French-first material (imported decks with no English deck) is reported as such, not as orphans.
    const intro = report.files.find((f) => f.fr === 'fr/intro/kubernetes.md')!;
    expect(intro.enExists).toBe(false);
    expect(intro.pairs).toEqual([]);
    expect(intro.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['info parity/no-english-version']);
    expect((await labdeck('parity', 'fr/k8s/kubectl-run.md', '--content', content, '--fail-on', 'stale')).code).toBe(0);
  });

  it('stamps a slide, refuses one whose code diverges, and then reports the stamped one ok', async () => {
    const refused = await labdeck('parity', 'stamp', 'fr/k8s/kubectl-run.md:17', '--content', content);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('parity/stamp-refused');
    expect(existsSync(join(content, 'parity/fr.yml'))).toBe(false);

    const ok = await labdeck('parity', 'stamp', 'fr/k8s/kubectl-run.md:1', '--content', content);
    expect(ok.stderr).toContain('1 written');
    expect(ok.code).toBe(0);
    const stamps = readFileSync(join(content, 'parity/fr.yml'), 'utf8');
    expect(stamps).toContain('gérer-nos-premiers-conteneurs-sur-kubernetes:');
    expect(stamps).toContain('en: running-our-first-containers-on-kubernetes');

    const md = await labdeck('parity', 'fr/k8s/kubectl-run.md', '--content', content, '--format', 'md', '--all');
    expect(md.stdout).toMatch(/\| ok \| en\/k8s\/kubectl-run.md:1 “Running our first containers on Kubernetes” \|/);
  });

  it('never rewrites a malformed stamp file and says where it is broken', async () => {
    mkdirSync(join(content, 'parity'), { recursive: true });
    const broken = 'version: 1\nfiles:\n  fr/k8s/kubectl-run.md: [\n';
    writeFileSync(join(content, 'parity/fr.yml'), broken);
    const r = await labdeck('parity', 'stamp', 'fr/k8s/kubectl-run.md:1', '--content', content);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/parity\/fr\.yml:\d+:\d+: error: invalid YAML/);
    expect(readFileSync(join(content, 'parity/fr.yml'), 'utf8')).toBe(broken);
    expect((await labdeck('parity', '--content', content)).code).toBe(2);
  });

  it('names a bad target', async () => {
    const r = await labdeck('parity', 'nope.txt', '--content', content);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('parity/target');
  });
});
