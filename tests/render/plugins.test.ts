import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSiteCached } from '../../src/build/cache.ts';
import { buildSite } from '../../src/build/site.ts';
import { main } from '../../src/cli/main.ts';
import { loadCourse } from '../../src/manifest/index.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { contentTree, removeContentTrees } from '../content-tree.ts';
import { authorSections, sectionsOf } from './helpers.ts';

afterAll(removeContentTrees);

const REPO = join(import.meta.dirname, '../..');

/**
 * A course folder of its own: a package.json naming its plugins and a node_modules holding them
 * (labdeck's installed copies, linked: no network here), a manifest, a chapter.
 */
function course(manifestExtra: string, chapter: string, extraFiles: Record<string, string> = {}, dependencies = ['remark-math', 'rehype-katex', 'katex']): string {
  const dir = contentTree({
    'package.json': JSON.stringify({ name: 'a-course', private: true, dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) }),
    'decks/deck.yml': `title: Plugins\nroot: ..\nexclude: [self-paced]\n${manifestExtra}content:\n- en/a.md\n`,
    'en/a.md': chapter,
    ...extraFiles,
  });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  for (const name of ['remark-math', 'rehype-katex', 'katex']) {
    if (dependencies.includes(name)) symlinkSync(join(REPO, 'node_modules', name), join(dir, 'node_modules', name));
  }
  return dir;
}

/** A transform-only remark plugin (no syntax: it works with the fast parser) that throws on `boom`. */
const REMARK_BOOM = `export default function remarkBoom() {
  return (tree) => {
    const text = JSON.stringify(tree);
    if (text.includes('boom')) throw new Error('cannot handle boom');
    tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'checked by remark-boom' }] });
  };
}
`;
const BOOM_PACKAGE = {
  'node_modules/remark-boom/package.json': JSON.stringify({ name: 'remark-boom', type: 'module', exports: './index.js' }),
  'node_modules/remark-boom/index.js': REMARK_BOOM,
};

/** The CLI in-process, its output kept quiet: the exit code. */
async function quietMain(argv: string[]): Promise<number> {
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await main(argv);
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
  }
}

const where = (d: Diagnostic) => `${d.position.file}:${d.position.line}`;

const MATH_MANIFEST = 'markdown: remark\nplugins:\n- remark-math\n- [rehype-katex, { output: html }]\nstyles:\n- katex/dist/katex.min.css\n';
const EULER = '# Maths\n\n---\n\n## Euler\n\nInline $e^{i\\pi} + 1 = 0$, and displayed:\n\n$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$\n';

describe("authors' plugins, from the course's own node_modules", () => {
  it('renders a formula with remark-math + rehype-katex, offline: KaTeX CSS and fonts copied into the site, no CDN', async () => {
    const dir = course(MATH_MANIFEST, EULER);
    const out = `${dir}-out`;
    const report = await buildSite({ manifests: [join(dir, 'decks/deck.yml')], outDir: out, allowPlugins: true });
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const html = readFileSync(join(out, 'deck.html'), 'utf8');
    const slide = authorSections({ sections: sectionsOf(html) } as never).at(-1)!;
    expect(slide).toContain('<span class="katex">');
    expect(slide).toContain('<span class="katex-display">');
    // KaTeX's own markup for the fraction and the integral sign, not the TeX source.
    expect(slide).toMatch(/class="mfrac"/);
    expect(slide).not.toContain('\\frac');
    expect(html).toContain('<link rel="stylesheet" href="assets/styles/katex/dist/katex.min.css">');
    expect(html).not.toMatch(/https?:\/\/[^"]*katex/);
    const css = readFileSync(join(out, 'assets/styles/katex/dist/katex.min.css'), 'utf8');
    const fonts = [...css.matchAll(/url\((fonts\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(fonts.length).toBeGreaterThan(10);
    for (const font of fonts) expect(existsSync(join(out, 'assets/styles/katex/dist', font))).toBe(true);
  });

  it('a build that ran the course\'s plugins is never served from the build cache (their code is not an input); without plugins it is', async () => {
    const dir = course(MATH_MANIFEST, EULER);
    const cacheDir = `${dir}-out/cache`;
    const request = { manifests: [join(dir, 'decks/deck.yml')], outDir: `${dir}-site`, cacheDir, allowPlugins: true, env: {} };
    expect((await buildSiteCached(request)).cache).toBe('miss');
    const again = await buildSiteCached(request);
    expect(again.cache).toBe('miss');
    expect(readFileSync(join(`${dir}-site`, 'deck.html'), 'utf8')).toMatch(/class="mfrac"/);
    // The same course without plugins: stored, then served.
    writeFileSync(join(dir, 'decks/deck.yml'), `title: Plugins\nroot: ..\nexclude: [self-paced]\ncontent:\n- en/a.md\n`);
    expect((await buildSiteCached(request)).cache).toBe('miss');
    expect((await buildSiteCached(request)).cache).toBe('hit');
  });

  it('runs nothing of the course unless told to: the deck is refused, naming what it would load', async () => {
    const dir = course(MATH_MANIFEST, EULER);
    const report = await buildSite({ manifests: [join(dir, 'decks/deck.yml')], allowPlugins: false });
    const refused = report.diagnostics.filter((d) => d.code === 'plugin/not-allowed');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.message).toContain('remark-math, rehype-katex');
    expect(refused[0]!.position).toMatchObject({ file: 'decks/deck.yml', line: 5 });
    expect(report.ok).toBe(false);
  });

  it('says a syntax plugin needs `markdown: remark` with the fast parser', async () => {
    const dir = course('plugins:\n- remark-math\n', EULER);
    const report = await buildSite({ manifests: [join(dir, 'decks/deck.yml')], allowPlugins: true });
    const d = report.diagnostics.find((x) => x.code === 'plugin/needs-remark');
    expect(d?.message).toContain('remark-math');
    expect(d?.hint).toContain('markdown: remark');
  });

  it("takes plugins from the course's package only: one it does not name is refused, even if labdeck has it", async () => {
    const dir = course('markdown: remark\nplugins:\n- remark-gfm\n', EULER, {}, []);
    const report = await buildSite({ manifests: [join(dir, 'decks/deck.yml')], allowPlugins: true });
    expect(report.diagnostics.find((x) => x.code === 'plugin/not-a-dependency')?.message).toContain('remark-gfm');
  });

  it('a plugin that throws is a diagnostic naming it and the slide; the other slides build (fast parser, transform plugin)', async () => {
    const rehype = `export default function rehypeCrash() {
  return (tree) => { if (JSON.stringify(tree).includes('crash')) throw new Error('crashed on purpose'); };
}
`;
    const dir = course('plugins:\n- remark-boom\n- rehype-crash\n', '# Chapter\n\n---\n\n## Fine\n\ntext\n\n---\n\n## Bad\n\nboom\n\n---\n\n## Worse\n\ncrash\n', {
      ...BOOM_PACKAGE,
      'node_modules/rehype-crash/package.json': JSON.stringify({ name: 'rehype-crash', type: 'module', main: 'index.js' }),
      'node_modules/rehype-crash/index.js': rehype,
    }, ['remark-boom', 'rehype-crash']);
    const report = await buildSite({ manifests: [join(dir, 'decks/deck.yml')], allowPlugins: true, lenient: true });
    const failed = report.diagnostics.filter((d) => d.code === 'plugin/failed');
    expect(failed.map((d) => `${d.position.file}:${d.position.line} ${d.message}`).sort()).toEqual([
      'en/a.md:11 remark plugin `remark-boom` failed on this slide: cannot handle boom',
      'en/a.md:17 rehype plugin `rehype-crash` failed on this slide: crashed on purpose',
    ]);
    const html = report.site.pages.get('deck.html')!;
    expect(html).toContain('checked by remark-boom');
    // --lenient draws each failure on its slide.
    const bad = sectionsOf(html).find((s) => s.includes('<h2>Bad</h2>'))!;
    expect(bad).toContain('remark plugin `remark-boom` failed on this slide');
  });

  it('`--allow-plugins` is the switch on the command line, for every command that reads the course (build, lint)', async () => {
    const dir = course(MATH_MANIFEST, EULER);
    const manifest = join(dir, 'decks/deck.yml');
    const out = `${dir}-site`;
    expect(await quietMain(['build', manifest, '--out', out])).not.toBe(0);
    expect(await quietMain(['build', manifest, '--out', out, '--allow-plugins'])).toBe(0);
    expect(readdirSync(out)).toContain('deck.html');
    // lint builds the decks too: without the switch the deck is refused, with it the deck is clean.
    expect(await quietMain(['lint', manifest])).not.toBe(0);
    expect(await quietMain(['--allow-plugins', 'lint', manifest])).toBe(0);
  });

  it("a single-file deck lists its plugins in front matter; refused at the front matter's line without the switch", async () => {
    const talk = `---\ntitle: Maths\n${MATH_MANIFEST}---\n\n${EULER}`;
    const dir = course('', '', { 'talk.md': talk });
    const refused = await buildSite({ manifests: [join(dir, 'talk.md')], allowPlugins: false });
    expect(refused.diagnostics.filter((d) => d.code === 'plugin/not-allowed').map(where)).toEqual(['talk.md:4']);
    const report = await buildSite({ manifests: [join(dir, 'talk.md')], outDir: `${dir}-out`, allowPlugins: true });
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const html = readFileSync(join(`${dir}-out`, 'talk.html'), 'utf8');
    expect(html).toMatch(/class="mfrac"/);
    expect(html).toContain('assets/styles/katex/dist/katex.min.css');
    // The formula's slide keeps its line in the file: front matter lines are counted.
    const slide = report.course.decks[0]!.slides.find((s) => s.title?.text === 'Euler');
    expect(slide?.position).toMatchObject({ file: 'talk.md', line: 15 });
  });

  it("labdeck.yml lists plugins for every deck; a deck's own `plugins:` replaces the list; a refusal is said once, at labdeck.yml's line", async () => {
    const dir = course('', '# Chapter\n\n---\n\n## Fine\n\ntext\n', {
      'labdeck.yml': 'directives: { notes: [look] }\nplugins:\n- remark-boom\n',
      'decks/other.yml': 'title: Other\nroot: ..\nexclude: [self-paced]\nplugins: []\ncontent:\n- en/a.md\n',
      'decks/third.yml': 'title: Third\nroot: ..\nexclude: [self-paced]\ncontent:\n- en/a.md\n',
      ...BOOM_PACKAGE,
    }, ['remark-boom']);
    const manifests = ['deck', 'other', 'third'].map((m) => join(dir, `decks/${m}.yml`));
    const refused = await loadCourse(manifests, { env: {}, projectDir: dir, allowPlugins: false });
    expect(refused.diagnostics.filter((d) => d.code === 'plugin/not-allowed').map(where)).toEqual(['labdeck.yml:2']);
    const course2 = await loadCourse(manifests, { env: {}, projectDir: dir, allowPlugins: true });
    expect(course2.diagnostics).toEqual([]);
    const checked = (id: string) => JSON.stringify(course2.decks.find((d) => d.id === id)!.slides.map((s) => s.fragments.map((f) => f.tree))).includes('checked by remark-boom');
    expect([checked('deck'), checked('other'), checked('third')]).toEqual([true, false, true]);
  });
});
