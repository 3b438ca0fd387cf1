import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentTree as deck, removeContentTrees } from '../content-tree.ts';
import { runCli } from './run.ts';

afterAll(removeContentTrees);

const lint = (...args: string[]) => lintIn(process.cwd(), ...args);
const lintIn = (cwd: string, ...args: string[]) => runCli(['lint', ...args], { cwd });

describe('labdeck lint', () => {
  it('passes the course in content/; warns about the two images the loopback cluster\'s mirror lacks', async () => {
    const r = await lint();
    expect(r.stderr).toMatch(/decks, \d+ slides: 0 errors, 2 warnings/);
    expect(r.stderr).toMatch(/^fr\/intro\/kubernetes\.md:243:1: warning: this lab runs image gcr\.io\/google-samples\/kubernetes-bootcamp:v1, which labdeck's registry mirror does not have/m);
    expect(r.stderr).toMatch(/^fr\/prometheus\/kubernetes-prometheus\.md:419:1: warning: this lab runs image containous\/whoami:latest \(docker\.io\/containous\/whoami:latest\)/m);
    expect(r.status).toBe(0);
  });

  it('warns with file:line when a lab runs an image the mirror does not have', async () => {
    const dir = deck({
      'deck.yml': 'exclude: []\ncontent:\n- a.md\n',
      'a.md': '## T\n\n.lab[\n\n```bash\nkubectl run a --image alpine ping 127.0.0.1\nkubectl run b --image=labdeck/nosuch:2 -- sleep 1\nkubectl create deployment c --image=$REGISTRY/app:v1\nkubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec:\n  containers:\n  - name: d\n    image: quay.io/other/thing:1.0\nEOF\n```\n\n]\n',
    });
    const r = await lint(join(dir, 'deck.yml'));
    expect(r.status, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('[verify/image-not-mirrored]'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^a\.md:7:1: warning: this lab runs image labdeck\/nosuch:2 \(docker\.io\/labdeck\/nosuch:2\)/);
    expect(warnings[1]).toMatch(/^a\.md:9:1: warning: this lab runs image quay\.io\/other\/thing:1\.0,/);
    expect(r.stderr).toContain('hint: add it to');
  });

  it('reports parser, runner and import problems with file:line:col and exits 1', async () => {
    const dir = deck({
      'deck.yml': 'exclude: []\ncontent:\n- a.md\n',
      'a.md': '## T\n\n.lab[\n\n```bash\nkubectrl get pods\n```\n\n<!-- ```expect-exit maybe``` -->\n<!-- ```frobnicate``` -->\n\n]\n\n---\n\n## U\n\nclass: pic\n',
    });
    const r = await lint(join(dir, 'deck.yml'));
    expect(r.status).toBe(1);
    // Only `verify` runs directives: for `build` and `lint` an unknown verb is a warning.
    expect(r.stderr).toMatch(/^a\.md:10:6: warning: unknown automation directive `frobnicate`: `labdeck verify` will refuse this slide \[directive\/unknown-verb\]$/m);
    expect(r.stderr).toMatch(/^a\.md:9:\d+: error: .*expect-exit/m);
    expect(r.stderr).toMatch(/^a\.md:6:\d+: warning: .*kubectrl/m);
    expect(r.stderr).toMatch(/^a\.md:18:1: error: `class:` is not at the top of the slide/m);
  });

  it('reads a chapter file on its own, as verify does', async () => {
    const chapter = '# Pods\n\n---\n\n## Run\n\n.lab[\n\n```bash\nkuectl get pods\n```\n\n<!-- ```expect-exit maybe``` -->\n<!-- ```look at the pods``` -->\n\n]\n';
    const dir = deck({ 'content/en/pods.md': chapter, 'content/en/fine.md': '## Fine\n\n- nothing to say\n' });
    const r = await lint(join(dir, 'content/en/pods.md'));
    expect(r.stderr).not.toContain('invalid YAML');
    // Positions are relative to the content root, as verify gives them.
    expect(r.stderr).toMatch(/^en\/pods\.md:13:\d+: error: .*expect-exit/m);
    expect(r.stderr).toMatch(/^en\/pods\.md:14:6: warning: unknown automation directive `look`/m);
    expect(r.stderr).toMatch(/^en\/pods\.md:10:1: warning: `kuectl` is not a command/m);
    expect(r.stderr).toMatch(/^1 chapter, 2 slides: 1 error, 2 warnings$/m);
    expect(r.status).toBe(1);
    const fine = await lint(join(dir, 'content/en/fine.md'));
    expect(fine.stderr).toMatch(/^1 chapter, 1 slides: 0 errors, 0 warnings$/m);
    expect(fine.status).toBe(0);
    const missing = await lint(join(dir, 'content/en/nope.md'));
    expect(missing.stderr).toMatch(/error: no such file: .*nope\.md/);
    expect(missing.status).toBe(1);
  });

  it('takes verbs declared as notes to the presenter, in labdeck.yml or the manifest, for comments', async () => {
    const chapter = '## Run\n\n.lab[\n\n```bash\nls\n```\n\n<!-- ```look at the files``` -->\n<!-- ```copypaste x``` -->\n\n]\n';
    const dir = deck({ 'labdeck.yml': 'directives:\n  notes: [look]\n', 'a.md': chapter, 'deck.yml': 'exclude: []\ndirectives:\n  notes: [copypaste]\ncontent:\n- a.md\n', 'bad.yml': 'exclude: []\ndirectives:\n  notes: [wait]\ncontent:\n- a.md\n' });
    const chapterOnly = await lintIn(dir, 'a.md');
    expect(chapterOnly.stderr).not.toMatch(/`look`/);
    expect(chapterOnly.stderr).toMatch(/^a\.md:10:6: warning: unknown automation directive `copypaste`/m);
    const withDeck = await lintIn(dir, 'deck.yml');
    expect(withDeck.stderr).toMatch(/0 errors, 0 warnings/);
    expect(withDeck.status).toBe(0);
    const bad = await lintIn(dir, 'bad.yml');
    expect(bad.stderr).toMatch(/^bad\.yml:3:11: error: `wait` is an automation verb; it cannot be a note \[manifest\/directives\]$/m);
    expect(bad.status).toBe(1);
  });

  it('repairs mojibake in place with --fix-mojibake', async () => {
    const dir = deck({ 'deck.yml': 'exclude: []\ncontent:\n- a.md\n', 'a.md': '## T\n\nCr√©er √† la main\n' });
    expect((await lint(join(dir, 'deck.yml'))).status).toBe(1);
    const r = await lint('--fix-mojibake', join(dir, 'deck.yml'));
    expect(r.stderr).toContain('repaired mojibake in a.md');
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'a.md'), 'utf8')).toBe('## T\n\nCréer à la main\n');
  });
});
