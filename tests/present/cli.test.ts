import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'labdeck-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = async (args: string[]) => {
  const r = await runCli(args);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('labdeck outline', () => {
  it('prints the French outline of the English seed deck under its French title, and writes HTML by extension', async () => {
    const md = await cli(['outline', '--lang', 'fr', 'kubernetes-en']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Premiers pas avec Kubernetes\n\n\*environ .+\*\n\n- Créer un pod et un déploiement\n$/);
    const out = join(dir, 'syllabus.html');
    const html = await cli(['outline', '--lang', 'en', 'kubernetes-en', '--out', out]);
    expect(html.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<li>Running pods and deployments</li>');
  }, 30_000);

  it('rejects an unknown language and an unknown deck', async () => {
    const lang = await cli(['outline', '--lang', 'de']);
    expect(lang.code).toBe(1);
    expect(lang.stderr).toContain('--lang must be en or fr');
    const deck = await cli(['outline', '--lang', 'en', 'nope']);
    expect(deck.code).toBe(1);
    expect(deck.stderr).toContain('no deck named nope');
    expect(deck.stderr).toContain('kubernetes-en, kubernetes-fr');
  }, 30_000);
});

describe('labdeck serve', () => {
  it('refuses a folder that is not a built site', async () => {
    const r = await cli(['serve', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a built site');
    expect(r.stderr).toContain('labdeck build --out');
  }, 30_000);
});
