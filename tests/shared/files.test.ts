import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RenderedSite } from '../../src/render/site.ts';
import { loadTheme } from '../../src/render/theme.ts';
import { writeSiteAtomically } from '../../src/render/write.ts';
import { writeFileAtomic } from '../../src/shared/files.ts';

const dir = mkdtempSync(join(tmpdir(), 'labdeck-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o7777;
/** The mode a plain mkdir/open gives under this process's umask. */
function defaultMode(kind: 'file' | 'folder'): number {
  const probe = join(dir, `probe-${kind}`);
  if (kind === 'file') writeFileSync(probe, '');
  else mkdirSync(probe);
  const m = mode(probe);
  rmSync(probe, { recursive: true });
  return m;
}

describe('writeFileAtomic', () => {
  it('replaces a file and keeps its mode', () => {
    const path = join(dir, 'stamps.yml');
    writeFileSync(path, 'old\n');
    chmodSync(path, 0o640);
    writeFileAtomic(path, 'new\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(mode(path)).toBe(0o640);
    chmodSync(path, 0o755);
    writeFileAtomic(path, Buffer.from('bytes\n'), { durable: false });
    expect(readFileSync(path, 'utf8')).toBe('bytes\n');
    expect(mode(path)).toBe(0o755);
  });

  it('creates a new file, and the folders above it, with the usual mode', () => {
    const path = join(dir, 'out/deep/new.txt');
    writeFileAtomic(path, 'x');
    expect(readFileSync(path, 'utf8')).toBe('x');
    expect(mode(path)).toBe(defaultMode('file'));
  });

  it('leaves no temporary file behind, and the target as it was, when the write fails', () => {
    const parent = join(dir, 'failing');
    const target = join(parent, 'target');
    mkdirSync(join(target, 'inside'), { recursive: true });
    writeFileSync(join(parent, 'other.txt'), 'kept');
    // The temporary file is written, then the rename over a non-empty folder fails.
    expect(() => writeFileAtomic(target, 'data')).toThrow();
    expect(readdirSync(parent).sort()).toEqual(['other.txt', 'target']);
    expect(readdirSync(target)).toEqual(['inside']);
  });
});

describe('the output folder swap', () => {
  const site: RenderedSite = { pages: new Map([['index.html', '<p>hi</p>']]), images: new Map(), assets: [], summaries: [], diagnostics: [], timings: { highlightPrepare: 0, render: 0, index: 0 } };
  const content = join(dir, 'content');
  mkdirSync(content, { recursive: true });

  it('gives a first build the usual folder mode (not a temporary folder’s 0700)', () => {
    const out = join(dir, 'site-a');
    writeSiteAtomically(site, out, content, loadTheme());
    expect(mode(out)).toBe(defaultMode('folder'));
  });

  it('keeps the permissions of the folder it replaces, and leaves no sibling behind', () => {
    const out = join(dir, 'site-b');
    writeSiteAtomically(site, out, content, loadTheme());
    chmodSync(out, 0o750);
    writeSiteAtomically({ ...site, pages: new Map([['index.html', '<p>again</p>']]) }, out, content, loadTheme());
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('<p>again</p>');
    expect(mode(out)).toBe(0o750);
    expect(readdirSync(dir).filter((f) => f.startsWith('site-b'))).toEqual(['site-b']);
  });
});
