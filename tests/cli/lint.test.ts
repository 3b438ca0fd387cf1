import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentTree as deck, removeContentTrees } from '../content-tree.ts';

const BIN = join(import.meta.dirname, '../../bin/labdeck.js');
afterAll(removeContentTrees);

const lint = (...args: string[]) => spawnSync(process.execPath, [BIN, 'lint', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('labdeck lint', () => {
  it('passes the course in content/', () => {
    const r = lint();
    expect(r.stderr).toMatch(/decks, \d+ slides: 0 errors, 0 warnings/);
    expect(r.status).toBe(0);
  });

  it('reports parser, runner and import problems with file:line:col and exits 1', () => {
    const dir = deck({
      'deck.yml': 'exclude: []\ncontent:\n- a.md\n',
      'a.md': '## T\n\n.lab[\n\n```bash\nkubectrl get pods\n```\n\n<!-- ```expect-exit maybe``` -->\n<!-- ```frobnicate``` -->\n\n]\n\n---\n\n## U\n\nclass: pic\n',
    });
    const r = lint(join(dir, 'deck.yml'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^a\.md:10:6: error: unknown automation directive `frobnicate`/m);
    expect(r.stderr).toMatch(/^a\.md:9:\d+: error: .*expect-exit/m);
    expect(r.stderr).toMatch(/^a\.md:6:\d+: warning: .*kubectrl/m);
    expect(r.stderr).toMatch(/^a\.md:18:1: error: `class:` is not at the top of the slide/m);
  });

  it('repairs mojibake in place with --fix-mojibake', () => {
    const dir = deck({ 'deck.yml': 'exclude: []\ncontent:\n- a.md\n', 'a.md': '## T\n\nCr√©er √† la main\n' });
    expect(lint(join(dir, 'deck.yml')).status).toBe(1);
    const r = lint('--fix-mojibake', join(dir, 'deck.yml'));
    expect(r.stderr).toContain('repaired mojibake in a.md');
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'a.md'), 'utf8')).toBe('## T\n\nCréer à la main\n');
  });
});
