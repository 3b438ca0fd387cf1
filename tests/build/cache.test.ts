import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSiteCached, labdeckFingerprint, type CachedBuildReport } from '../../src/build/cache.ts';
import { runCli } from '../cli/run.ts';
import { contentTree, removeContentTrees } from '../content-tree.ts';

const made: string[] = [];
afterAll(() => {
  removeContentTrees();
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A bilingual course that reads every kind of input: chapters, an include, a nested manifest, parity stamps, an image. */
function course(): { root: string; manifests: string[]; cacheDir: string; out: string } {
  const root = contentTree({
    'decks/en.yml': 'title: Course\nlang: en\ngroup: g\nroot: ..\nincluderoot: .\nexclude: []\ncontent:\n- en/a.md\n- decks/more-en.yml\n',
    'decks/fr.yml': 'title: Cours\nlang: fr\ngroup: g\nroot: ..\nincluderoot: .\nexclude: []\ncontent:\n- fr/a.md\n- decks/more-fr.yml\n',
    'decks/more-en.yml': 'content:\n- en/b.md\n',
    'decks/more-fr.yml': 'content:\n- fr/b.md\n',
    'en/a.md': '# Chapter A\n\n---\n\n## First @@OVERRIDE_TEST@@\n\n![logo](../images/logo.png)\n\n@@INCLUDE[snippets/x.md]\n',
    'fr/a.md': '# Chapitre A\n\n---\n\n## Premier\n\n![logo](../images/logo.png)\n\n@@INCLUDE[snippets/x.md]\n',
    'en/b.md': '## Second\n\n```bash\nkubectl get pods\n```\n',
    'fr/b.md': '## Deuxième\n\n```bash\nkubectl get pods\n```\n',
    'snippets/x.md': 'included text\n',
    'images/logo.png': 'png',
  });
  const cacheDir = mkdtempSync(join(tmpdir(), 'labdeck-cache-'));
  made.push(cacheDir);
  return { root, manifests: [join(root, 'decks/en.yml'), join(root, 'decks/fr.yml')], cacheDir, out: `${root}-out` };
}

async function build(c: ReturnType<typeof course>, env: Record<string, string> = {}): Promise<CachedBuildReport> {
  const r = await buildSiteCached({ manifests: c.manifests, outDir: c.out, cacheDir: c.cacheDir, env });
  expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
  return r;
}

const page = (c: ReturnType<typeof course>, deck = 'en') => readFileSync(join(c.out, `${deck}.html`), 'utf8');

describe('the persistent build cache', () => {
  it('writes the same site from the cache when nothing changed, without loading the course', async () => {
    const c = course();
    const cold = await build(c);
    expect(cold.cache).toBe('miss');
    const html = () => Object.fromEntries(readdirSync(c.out).filter((f) => f.endsWith('.html')).map((f) => [f, readFileSync(join(c.out, f), 'utf8')]));
    const pages = html();
    const first = page(c);
    const warm = await build(c);
    expect(warm.cache).toBe('hit');
    expect(warm.course).toBeUndefined();
    expect(page(c)).toBe(first);
    expect(html()).toEqual(pages);
    expect(Object.keys(pages)).toEqual(['en.html', 'fr.html', 'index.html']);
    expect(warm.summaries).toEqual(cold.summaries);
  });

  it('builds again when an input or a setting changes (a chapter, an include, a nested manifest, the stamps, an image, an OVERRIDE_ variable, the read policy), not for a file no deck reads', async () => {
    const c = course();
    await build(c);
    // A file no deck reads changes nothing.
    writeFileSync(join(c.root, 'en/c.md'), '## Third\n');
    expect((await build(c)).cache).toBe('hit');
    const changes: [string, () => void, (html: string) => boolean][] = [
      ['chapter', () => writeFileSync(join(c.root, 'en/b.md'), '## Second, edited\n'), (h) => h.includes('Second, edited')],
      ['include', () => writeFileSync(join(c.root, 'snippets/x.md'), 'included, edited\n'), (h) => h.includes('included, edited')],
      ['nested manifest', () => writeFileSync(join(c.root, 'decks/more-en.yml'), 'content:\n- en/b.md\n- en/c.md\n'), (h) => h.includes('Third')],
      ['stamps', () => (mkdirSync(join(c.root, 'parity')), writeFileSync(join(c.root, 'parity/fr.yml'), 'version: 1\nfiles: {}\n')), () => true],
    ];
    for (const [what, change, shows] of changes) {
      change();
      const r = await build(c);
      expect(r.cache, what).toBe('miss');
      expect(shows(page(c)), what).toBe(true);
    }
    expect((await build(c, { OVERRIDE_TEST: 'x' })).cache).toBe('miss');
    expect((await build(c, { OVERRIDE_TEST: 'x' })).cache).toBe('hit');
    // What the course may read is a setting too (--max-file-size, --allow-read).
    const policy = { allow: [], maxFileSize: 1024 * 1024 };
    expect((await buildSiteCached({ manifests: c.manifests, outDir: c.out, cacheDir: c.cacheDir, env: { OVERRIDE_TEST: 'x' }, policy })).cache).toBe('miss');
    rmSync(join(c.root, 'images/logo.png'));
    const r = await buildSiteCached({ manifests: c.manifests, outDir: c.out, cacheDir: c.cacheDir, env: {} });
    expect(r.cache).toBe('miss');
    expect(r.diagnostics.map((d) => d.code)).toContain('render/missing-image');
  });

  it('builds again for another labdeck, another option or another working folder', async () => {
    const c = course();
    const request = { manifests: c.manifests, outDir: c.out, cacheDir: c.cacheDir, env: {} };
    expect((await buildSiteCached(request)).cache).toBe('miss');
    expect((await buildSiteCached(request)).cache).toBe('hit');
    // An upgrade (labdeck's fingerprint: its files, version and lock file) is a miss.
    expect((await buildSiteCached({ ...request, labdeck: 'another labdeck' })).cache).toBe('miss');
    const options: [string, Partial<Parameters<typeof buildSiteCached>[0]>, (html: string) => boolean][] = [
      ['--lenient', { lenient: true }, () => true],
      ['--missing-translations omit', { missingTranslations: 'omit' }, () => true],
      ['live reload (dev)', { liveReload: '/__live' }, (h) => h.includes('/__live')],
      ['verification reports', { verifyReports: [] }, () => true],
    ];
    for (const [what, option, shows] of options) {
      const r = await buildSiteCached({ ...request, ...option });
      expect(r.cache, what).toBe('miss');
      expect(shows(page(c)), what).toBe(true);
      expect((await buildSiteCached({ ...request, ...option })).cache, what).toBe('hit');
    }
    expect((await buildSiteCached(request)).cache).toBe('hit');
    expect(page(c)).not.toContain('/__live');
    // labdeck.yml is read in the working folder, and messages name paths from there.
    const cwd = process.cwd();
    process.chdir(c.root);
    try {
      expect((await buildSiteCached(request)).cache).toBe('miss');
    } finally {
      process.chdir(cwd);
    }
  });

  it('changes in labdeck itself change its fingerprint: a source file, its version, the version of a package it uses as installed', () => {
    const pkg = (version: string) => JSON.stringify({ name: 'labdeck', version, dependencies: { shiki: '^4.0.0' } });
    const root = contentTree({ 'package.json': pkg('1.0.0'), 'src/a.ts': 'export const a = 1;\n', 'themes/t/deck.html': '<html>\n', 'node_modules/shiki/package.json': '{"version":"4.6.0"}' });
    const seen = [labdeckFingerprint(root)];
    expect(labdeckFingerprint(root)).toBe(seen[0]);
    for (const [file, text] of [
      ['src/a.ts', 'export const a = 2;\n'],
      ['package.json', pkg('1.0.1')],
      // `npm update` where there is no lock file: same labdeck, another highlighter.
      ['node_modules/shiki/package.json', '{"version":"4.7.0"}'],
    ]) {
      writeFileSync(join(root, file!), text!);
      const now = labdeckFingerprint(root);
      expect(seen, file).not.toContain(now);
      seen.push(now);
    }
  });

  it('copies no image that became a link to a file outside the course since it was cached: the build runs and refuses it', async () => {
    const c = course();
    const secret = join(c.cacheDir, 'secret.png');
    writeFileSync(secret, 'SECRET');
    // Lenient: the refused image is shown as missing and the site written, as a course's PR preview would be.
    const request = { manifests: c.manifests, outDir: c.out, cacheDir: c.cacheDir, env: {}, lenient: true };
    expect((await buildSiteCached(request)).cache).toBe('miss');
    const image = readdirSync(join(c.out, 'images'))[0]!;
    rmSync(join(c.root, 'images/logo.png'));
    symlinkSync(secret, join(c.root, 'images/logo.png'));
    const r = await buildSiteCached(request);
    expect(r.cache).toBe('miss');
    expect(r.diagnostics.map((d) => d.code)).toContain('sandbox/outside');
    const copied = join(c.out, 'images', image);
    expect(existsSync(copied) ? readFileSync(copied, 'utf8') : '').not.toContain('SECRET');
  });

  it('builds again when a manifest appears beside a deck built alone (its translations are looked for there)', async () => {
    const c = course();
    const alone = { manifests: [c.manifests[0]!], outDir: c.out, cacheDir: c.cacheDir, env: {} };
    expect((await buildSiteCached(alone)).cache).toBe('miss');
    expect((await buildSiteCached(alone)).cache).toBe('hit');
    writeFileSync(join(c.root, 'decks/notes.txt'), 'not a manifest\n');
    expect((await buildSiteCached(alone)).cache).toBe('hit');
    writeFileSync(join(c.root, 'decks/fr-bis.yml'), 'title: Cours bis\nlang: fr\ngroup: g\nroot: ..\nincluderoot: .\nexclude: []\ncontent:\n- fr/a.md\n');
    expect((await buildSiteCached(alone)).cache).toBe('miss');
  });

  it('rebuilds, never serves, an entry whose page or body fails its checksum', async () => {
    const c = course();
    await build(c);
    const pagesDir = join(c.cacheDir, 'pages');
    const tampered = readdirSync(pagesDir).find((f) => readFileSync(join(pagesDir, f), 'utf8').includes('Premier'))!;
    writeFileSync(join(pagesDir, tampered), readFileSync(join(pagesDir, tampered), 'utf8').replace('Premier', 'Tampered'));
    const r = await build(c);
    expect(r.cache).toBe('corrupt');
    expect(page(c, 'fr')).toContain('Premier');
    expect(page(c, 'fr')).not.toContain('Tampered');
    expect((await build(c)).cache).toBe('hit');

    const entry = readdirSync(c.cacheDir).find((f) => f.endsWith('.json'))!;
    const raw = readFileSync(join(c.cacheDir, entry), 'utf8');
    writeFileSync(join(c.cacheDir, entry), raw.replace('"title":"Course"', '"title":"Coarse"'));
    expect((await build(c)).cache).toBe('corrupt');
    writeFileSync(join(c.cacheDir, entry), 'not json');
    expect((await build(c)).cache).toBe('corrupt');
    expect(page(c)).toContain('Chapter A');
  });

  it('labdeck build uses $LABDECK_CACHE_DIR/build, and --no-cache neither reads nor writes it', async () => {
    const c = course();
    const env = { LABDECK_CACHE_DIR: c.cacheDir };
    const args = ['build', ...c.manifests, '--out', c.out];
    const none = await runCli([...args, '--no-cache'], { env });
    expect(none.status, none.stderr).toBe(0);
    expect(existsSync(join(c.cacheDir, 'build'))).toBe(false);
    expect((await runCli(args, { env })).stderr).not.toContain('build cache');
    const warm = await runCli(args, { env });
    expect(warm.stderr).toMatch(/built 2 decks .* nothing changed: pages from the build cache/);
    expect((await runCli([...args, '--no-cache'], { env })).stderr).not.toContain('build cache');
  });
});
