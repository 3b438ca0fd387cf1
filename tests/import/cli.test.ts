import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run.ts';

const REPO = join(import.meta.dirname, '../..');
const FIXTURES = join(REPO, 'tests/fixtures/import');
let dir: string;

async function labdeck(...args: string[]) {
  const r = await runCli(args, { cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'labdeck-import-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('labdeck import', () => {
  it('writes the chapter, reports what it found, and refuses to overwrite it without --force', async () => {
    const out = join(dir, 'content/fr/tp4/tp4.md');
    const first = await labdeck('import', join(FIXTURES, '004-lab-sheet.txt'), '--as', 'lab-sheet', '--out', out);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('8 slides written');
    expect(first.stderr).toMatch(/tp4\.md:\d+:1: warning: a second prompt in `dev \$ \$ kubectl get no -o wide`/);
    const written = readFileSync(out, 'utf8');
    expect(written).toMatch(/^# Docker \/ Kubernetes - TP4/);

    writeFileSync(out, 'reviewed by a human\n');
    const again = await labdeck('import', join(FIXTURES, '004-lab-sheet.txt'), '--as', 'lab-sheet', '--out', out);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists: not overwritten');
    expect(again.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('reviewed by a human\n');

    const forced = await labdeck('import', join(FIXTURES, '004-lab-sheet.txt'), '--as', 'lab-sheet', '--out', out, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(written);
  });

  it('prints to stdout without --out, guessing the shape when --as is absent', async () => {
    const r = await labdeck('import', join(FIXTURES, '003-pdf-text.txt'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Kubernetes & Prometheus\n/);
    expect(r.stderr).toContain('`kubectrl` is not a command (did you mean `kubectl`?)');
  });

  it('refuses a file that is not text, an empty file, a missing file', async () => {
    const binary = join(dir, 'deck.pdf');
    writeFileSync(binary, Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x01]));
    const b = await labdeck('import', binary, '--as', 'pdf-text');
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('deck.pdf is not UTF-8 text');
    expect(b.stderr).toContain('pdftotext');

    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n  \n');
    const e = await labdeck('import', empty, '--as', 'notes');
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('empty.txt is empty');

    const m = await labdeck('import', join(dir, 'nope.txt'));
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('nope.txt: no such file');
  });

  it('says which --as to use for a document in an unknown shape or imported as the wrong one', async () => {
    const prose = join(dir, 'prose.txt');
    writeFileSync(prose, 'Juste un paragraphe de texte, sans titre ni structure, qui continue sur une deuxième ligne.\n');
    const u = await labdeck('import', prose);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('cannot tell what kind of document');
    expect(u.stderr).toMatch(/--as notes .*--as pdf-text .*--as lab-sheet/);

    const wrong = await labdeck('import', join(FIXTURES, '003-pdf-text.txt'), '--as', 'lab-sheet');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('does not look like a lab-sheet');
    expect(wrong.stderr).toContain('use --as pdf-text');

    const unknown = await labdeck('import', prose, '--as', 'slides');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown --as slides');
  });
});
