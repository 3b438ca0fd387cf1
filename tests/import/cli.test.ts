import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');
const FIXTURES = join(REPO, 'tests/fixtures/import');
let dir: string;

function labdeck(...args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/labdeck.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'labdeck-import-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('labdeck import', () => {
  it('writes the chapter, reports what it found, and refuses to overwrite it without --force', () => {
    const out = join(dir, 'content/fr/tp4/tp4.md');
    const first = labdeck('import', join(FIXTURES, '004-lab-sheet.txt'), '--as', 'lab-sheet', '--out', out);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('8 slides written');
    expect(first.stderr).toMatch(/tp4\.md:\d+:1: warning: a second prompt in `dev \$ \$ kubectl get no -o wide`/);
    const written = readFileSync(out, 'utf8');
    expect(written).toMatch(/^# Docker \/ Kubernetes - TP4/);

    writeFileSync(out, 'reviewed by a human\n');
    const again = labdeck('import', join(FIXTURES, '004-lab-sheet.txt'), '--as', 'lab-sheet', '--out', out);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists: not overwritten');
    expect(again.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('reviewed by a human\n');

    const forced = labdeck('import', join(FIXTURES, '004-lab-sheet.txt'), '--as', 'lab-sheet', '--out', out, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(written);
  });

  it('prints to stdout without --out, guessing the shape when --as is absent', () => {
    const r = labdeck('import', join(FIXTURES, '003-pdf-text.txt'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Kubernetes & Prometheus\n/);
    expect(r.stderr).toContain('`kubectrl` is not a command (did you mean `kubectl`?)');
  });

  it('refuses a file that is not text, an empty file, a missing file', () => {
    const binary = join(dir, 'deck.pdf');
    writeFileSync(binary, Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x01]));
    const b = labdeck('import', binary, '--as', 'pdf-text');
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('deck.pdf is not UTF-8 text');
    expect(b.stderr).toContain('pdftotext');

    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n  \n');
    const e = labdeck('import', empty, '--as', 'notes');
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('empty.txt is empty');

    const m = labdeck('import', join(dir, 'nope.txt'));
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('nope.txt: no such file');
  });

  it('says which --as to use for a document in an unknown shape or imported as the wrong one', () => {
    const prose = join(dir, 'prose.txt');
    writeFileSync(prose, 'Juste un paragraphe de texte, sans titre ni structure, qui continue sur une deuxième ligne.\n');
    const u = labdeck('import', prose);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('cannot tell what kind of document');
    expect(u.stderr).toMatch(/--as notes .*--as pdf-text .*--as lab-sheet/);

    const wrong = labdeck('import', join(FIXTURES, '003-pdf-text.txt'), '--as', 'lab-sheet');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('does not look like a lab-sheet');
    expect(wrong.stderr).toContain('use --as pdf-text');

    const unknown = labdeck('import', prose, '--as', 'slides');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown --as slides');
  });
});
