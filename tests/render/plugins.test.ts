import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/site.ts';
import { main } from '../../src/cli/main.ts';
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
    // A transform-only plugin (no syntax): it works with the fast parser.
    const plugin = `export default function remarkBoom() {
  return (tree) => {
    const text = JSON.stringify(tree);
    if (text.includes('boom')) throw new Error('cannot handle boom');
    tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'checked by remark-boom' }] });
  };
}
`;
    const rehype = `export default function rehypeCrash() {
  return (tree) => { if (JSON.stringify(tree).includes('crash')) throw new Error('crashed on purpose'); };
}
`;
    const dir = course('plugins:\n- remark-boom\n- rehype-crash\n', '# Chapter\n\n---\n\n## Fine\n\ntext\n\n---\n\n## Bad\n\nboom\n\n---\n\n## Worse\n\ncrash\n', {
      'node_modules/remark-boom/package.json': JSON.stringify({ name: 'remark-boom', type: 'module', exports: './index.js' }),
      'node_modules/remark-boom/index.js': plugin,
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

  it('`labdeck build --allow-plugins` is the switch on the command line', async () => {
    const dir = course(MATH_MANIFEST, EULER);
    const out = `${dir}-site`;
    const quiet = { stdout: process.stdout.write, stderr: process.stderr.write };
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    let refused: number;
    let allowed: number;
    try {
      refused = await main(['build', join(dir, 'decks/deck.yml'), '--out', out]);
      allowed = await main(['build', join(dir, 'decks/deck.yml'), '--out', out, '--allow-plugins']);
    } finally {
      process.stdout.write = quiet.stdout;
      process.stderr.write = quiet.stderr;
    }
    expect(refused).not.toBe(0);
    expect(allowed).toBe(0);
    expect(readdirSync(out)).toContain('deck.html');
  });
});
