import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentTree as deck, removeContentTrees } from '../content-tree.ts';

const BIN = join(import.meta.dirname, '../../bin/labdeck.js');
afterAll(removeContentTrees);

const lint = (...args: string[]) => lintIn(process.cwd(), ...args);
const lintIn = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

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
    // Only `verify` runs directives: for `build` and `lint` an unknown verb is a warning.
    expect(r.stderr).toMatch(/^a\.md:10:6: warning: unknown automation directive `frobnicate`: `labdeck verify` will refuse this slide \[directive\/unknown-verb\]$/m);
    expect(r.stderr).toMatch(/^a\.md:9:\d+: error: .*expect-exit/m);
    expect(r.stderr).toMatch(/^a\.md:6:\d+: warning: .*kubectrl/m);
    expect(r.stderr).toMatch(/^a\.md:18:1: error: `class:` is not at the top of the slide/m);
  });

  it('takes verbs declared as notes to the presenter, in labdeck.yml or the manifest, for comments', () => {
    const chapter = '## Run\n\n.lab[\n\n```bash\nls\n```\n\n<!-- ```look at the files``` -->\n<!-- ```copypaste x``` -->\n\n]\n';
    const dir = deck({ 'labdeck.yml': 'directives:\n  notes: [look]\n', 'a.md': chapter, 'deck.yml': 'exclude: []\ndirectives:\n  notes: [copypaste]\ncontent:\n- a.md\n', 'bad.yml': 'exclude: []\ndirectives:\n  notes: [wait]\ncontent:\n- a.md\n' });
    const withDeck = lintIn(dir, 'deck.yml');
    expect(withDeck.stderr).toMatch(/0 errors, 0 warnings/);
    expect(withDeck.status).toBe(0);
    const bad = lintIn(dir, 'bad.yml');
    expect(bad.stderr).toMatch(/^bad\.yml:3:11: error: `wait` is an automation verb; it cannot be a note \[manifest\/directives\]$/m);
    expect(bad.status).toBe(1);
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
