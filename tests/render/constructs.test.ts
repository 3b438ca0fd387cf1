import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDeck } from '../../src/render/deck.ts';
import { extractHighlightSpans, MAX_HIGHLIGHTED_LINE, sharedCodeHighlighter, type CodeHighlighter } from '../../src/render/highlight.ts';
import { loadLocale } from '../../src/shared/locale.ts';
import { loadTheme } from '../../src/render/theme.ts';
import { buildSite } from '../../src/build/site.ts';
import { deck, slide } from './fixtures.ts';
import { attr, inlineSlides, authorSections as allAuthorSections, contentTree, removeContentTrees, count, manifest, renderChapter, visibleText } from './helpers.ts';

afterAll(removeContentTrees);

/** A chapter file: its `# ` title slide (lines 1-4), then the given slides from line 5. */
const chapter = (...slides: string[]) => `# Chapter\n\n---\n\n${slides.join('\n\n---\n\n')}\n`;
/** The given slides' sections (the chapter's own `# ` slide left out). */
const authorSections = (r: Parameters<typeof allAuthorSections>[0]) => allAuthorSections(r).slice(1);

describe('slides, fragments and notes', () => {
  it('turns `--` steps into fragments of one section, in order', async () => {
    const r = await renderChapter(chapter('## Steps\n\n- one\n\n--\n\n- two\n\n--\n\n- three'));
    const [s, ...rest] = authorSections(r);
    expect(rest).toHaveLength(0);
    expect(count(s!, /<div class="fragment" data-fragment-step="\d">/)).toBe(2);
    expect(s!.indexOf('one')).toBeLessThan(s!.indexOf('class="fragment" data-fragment-step="1"'));
    expect(s!.indexOf('data-fragment-step="1"')).toBeLessThan(s!.indexOf('two'));
    expect(s!.indexOf('data-fragment-step="2"')).toBeLessThan(s!.indexOf('three'));
  });

  it('makes `???` notes a Reveal notes aside, outline lines excluded', async () => {
    const r = await renderChapter(chapter('## Talk\n\nbody\n\n???\n\nSay *hello* first.\n\n:EN:- Outline entry\n:FR:- Entrée du plan'));
    const s = authorSections(r)[0]!;
    const notes = s.match(/<aside class="notes">([\s\S]*?)<\/aside>/)?.[1];
    expect(notes).toContain('Say <em>hello</em> first.');
    expect(notes).not.toContain(':EN:');
    expect(notes).not.toContain('Outline entry');
    expect(visibleText(s)).not.toContain('hello');
  });

  it('writes no notes aside when a slide has none', async () => {
    const r = await renderChapter(chapter('## Plain\n\ntext'));
    expect(authorSections(r)[0]).not.toContain('<aside');
  });

  it('puts the slide classes on the <section>', async () => {
    const r = await renderChapter(chapter('class: pic, in-person\n\n## Classes'));
    expect(attr(authorSections(r)[0]!, 'class')).toBe('pic in-person');
  });

  it('drops the excluded variant', async () => {
    const r = await renderChapter(chapter('## Kept', 'class: self-paced\n\n## Dropped'));
    expect(r.html).toContain('Kept');
    expect(r.html).not.toContain('Dropped');
  });
});

describe('extra details and lab boxes, labelled in the deck language', () => {
  const md = chapter('class: extra-details\n\n## Deep dive\n\ntext', '## Lab\n\n.lab[\n\n- Run it:\n  ```bash\n  kubectl get pods\n  ```\n\n]', '## Exercise\n\n.exercise[\n\n- Try\n\n]');

  it.each([
    ['en', 'Extra details', 'Exercise'],
    ['fr', 'Pour aller plus loin', 'Exercice'],
  ] as const)('%s', async (lang, extra, lab) => {
    expect(loadLocale(lang).extraDetails).toBe(extra);
    expect(loadLocale(lang).labBox).toBe(lab);
    const r = await renderChapter(md, { lang });
    const [deep, labSlide, exercise] = authorSections(r);
    expect(attr(deep!, 'class')).toBe('extra-details');
    expect(deep).toMatch(new RegExp(`<div class="ld-flag ld-flag-extra"><span class="ld-flag-icon" aria-hidden="true"></span>${extra}</div>`));
    expect(labSlide).toMatch(new RegExp(`<div class="lab">\\s*<div class="ld-box-label" aria-hidden="true">${lab}</div>`));
    expect(labSlide).toMatch(/<div class="lab">[\s\S]*<pre class="shiki[^"]*"[^>]*data-lang="bash"[\s\S]*<\/div>/);
    // `.exercise[` is a lab box too, styled by the same class.
    expect(exercise).toMatch(new RegExp(`<div class="exercise lab">\\s*<div class="ld-box-label" aria-hidden="true">${lab}</div>`));
  });

  it('the theme styles both visibly', () => {
    const css = readFileSync(join(loadTheme().dir, 'theme.css'), 'utf8');
    expect(css).toMatch(/\.lab\b[^{]*\{[^}]*(border|background)/);
    expect(css).toMatch(/\.ld-flag-extra[^{]*\{[^}]*(color|background)/);
    expect(css).toMatch(/\.ld-box-label[^{]*\{/);
  });
});

describe('code', () => {
  let highlighter: CodeHighlighter;
  beforeAll(async () => {
    highlighter = await sharedCodeHighlighter();
    await highlighter.prepare(['bash', 'yaml']);
  });

  it('highlights with shiki at build time: coloured spans, no client highlighter', async () => {
    const r = await renderChapter(chapter('## Code\n\n```yaml\napiVersion: v1\nkind: Pod\n```'));
    const s = authorSections(r)[0]!;
    expect(s).toMatch(/<pre class="shiki github-light-high-contrast"[^>]*data-lang="yaml"/);
    expect(count(s, /<span style="color:#[0-9A-Fa-f]{6}">/)).toBeGreaterThan(2);
    expect(r.html).not.toMatch(/highlight\.js|hljs/);
  });

  it('colours by the input alone: no time limit per line (a busy machine gave other colours), a length limit instead', () => {
    const short = highlighter.highlight('bash', 'echo "$HOME"');
    const long = highlighter.highlight('bash', `echo "${'x'.repeat(MAX_HIGHLIGHTED_LINE)}"`);
    expect(count(short, /<span style="color:/)).toBeGreaterThan(1);
    // Past the limit shiki gives the whole line one token in the default colour.
    expect(long).not.toMatch(/<span style="color:/);
    expect(long).toContain(`echo "${'x'.repeat(100)}`);
  });

  it('keeps the dialect highlight spans: backticks inside a code block mark that text', async () => {
    expect(extractHighlightSpans('kubectl `get` pods `-o wide`')).toEqual({ code: 'kubectl get pods -o wide', spans: [{ start: 8, end: 11 }, { start: 17, end: 24 }] });
    const r = await renderChapter(chapter('## Spans\n\n```bash\nkubectl `logs` pingpong\n```'));
    const s = authorSections(r)[0]!;
    expect(s).toMatch(/<mark class="hl">(<span[^>]*>)?logs(<\/span>)?<\/mark>/);
    expect(visibleText(s)).toContain('kubectl logs pingpong');
    expect(visibleText(s)).not.toContain('`');
  });

  it('shows an unknown language as plain text, marked, with one warning per build', async () => {
    const r = await renderChapter(chapter('## A\n\n```nosuchlang\nx `y`\n```', '## B\n\n```nosuchlang\nz\n```'));
    const [a, b] = authorSections(r);
    expect(a).toContain('<pre class="plain" data-lang="nosuchlang" style="--ld-cols:3"><code><span class="line">x <mark class="hl">y</mark></span></code></pre>');
    expect(b).toContain('<pre class="plain" data-lang="nosuchlang" style="--ld-cols:1">');
    const warnings = r.report.diagnostics.filter((d) => d.code === 'render/unknown-language');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.position).toMatchObject({ file: 'en/a.md', line: 7 });
  });

  it('substitutes deck values inside code', async () => {
    const r = await renderChapter(chapter('## Repo\n\n```bash\ngit clone https://@@GITREPO@@\n```'), { files: {} });
    expect(visibleText(authorSections(r)[0]!)).not.toContain('@@GITREPO@@');
  });
});

describe('hidden directives', () => {
  it('never reach the HTML, not even as comments', async () => {
    const r = await renderChapter(
      chapter(
        '## Lab\n\n.lab[\n\n- Start:\n  ```bash\n  kubectl run pingpong --image alpine ping 127.0.0.1\n  ```\n\n<!-- ```hide kubectl wait pod --selector=run=pingpong --for condition=ready``` -->\n<!--\n```wait seq=3```\n```key ^C```\n-->\n\n]',
        '## After\n\n<!-- a plain author comment -->\ntext',
      ),
    );
    expect(r.report.course.decks[0]!.slides.some((s) => s.directives.length >= 2)).toBe(true);
    for (const needle of ['hide kubectl wait', 'wait seq=3', 'key ^C', '<!--', 'plain author comment']) expect(r.html).not.toContain(needle);
    expect(visibleText(r.html)).toContain('kubectl run pingpong --image alpine ping 127.0.0.1');
  });
});

describe('provenance attributes', () => {
  it('author slides carry data-source = path relative to the content root : line; generated ones data-generated', async () => {
    const dir = contentTree({
      'en/shared/title.md': 'class: title\n\n@@TITLE@@\n',
      'en/shared/toc.md': '@@TOC@@\n',
      'en/k8s/one.md': '# First chapter\n\n---\n\n## Slide A\n\n---\n\n\n## Slide B on line 10\n',
      // The chapter file is a part of its own (a nested list), as in the seed manifests.
      'decks/d.yml': manifest('en', ['en/shared/title.md', 'en/shared/toc.md', '- en/k8s/one.md']),
    });
    const report = await buildSite({ manifests: [join(dir, 'decks/d.yml')] });
    const sections = [...report.site.pages.get('d.html')!.matchAll(/<section[^>]*>/g)].map((m) => m[0]);
    const origin = sections.map((s) => s.match(/data-source="([^"]*)"/)?.[1] ?? `generated:${s.match(/data-generated="([^"]*)"/)?.[1]}`);
    expect(origin).toEqual(['en/shared/title.md:1', 'generated:toc', 'generated:chapter-title', 'en/k8s/one.md:1', 'en/k8s/one.md:5', 'en/k8s/one.md:10']);
    for (const s of sections) expect(s.includes('data-source=') !== s.includes('data-generated=')).toBe(true);
  });
});

describe('images', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

  it('are copied into the output, next-to-file and root-relative', async () => {
    const dir = contentTree({
      'en/a.md': chapter('## Pics\n\n![near](pic.png)\n\n![root](images/logo.png)'),
      'decks/deck.yml': manifest('en', ['en/a.md']),
    });
    mkdirSync(join(dir, 'images'));
    writeFileSync(join(dir, 'en/pic.png'), png);
    writeFileSync(join(dir, 'images/logo.png'), png);
    const out = `${dir}-out`;
    const report = await buildSite({ manifests: [join(dir, 'decks/deck.yml')], outDir: out });
    expect(report.ok).toBe(true);
    const html = readFileSync(join(out, 'deck.html'), 'utf8');
    expect(html).toContain('<img src="images/en/pic.png" alt="near">');
    expect(html).toContain('<img src="images/logo.png" alt="root">');
    expect(readFileSync(join(out, 'images/en/pic.png'))).toEqual(png);
    expect(readFileSync(join(out, 'images/logo.png'))).toEqual(png);
  });

  it('a missing image is an error at its line', async () => {
    const r = await renderChapter(chapter('## Pic\n\n![gone](nowhere.png)'));
    const d = r.report.diagnostics.find((x) => x.code === 'render/missing-image');
    expect(d).toMatchObject({ severity: 'error', position: { file: 'en/a.md', line: 7 } });
    expect(r.report.ok).toBe(false);
  });

  it('a missing image inside a paragraph, a list item, a macro or a link is reported where it is, not at its block', async () => {
    // Chapter lines 1-4, then: 5 `## Pics`, 7-8 a paragraph, 10 a list item, 12 an inline macro, 14 a link.
    const r = await renderChapter(chapter('## Pics\n\nSome text\nand an ![gone](a.png) here.\n\n- item *with ![gone](b.png)*\n\n.small[see ![gone](c.png)]\n\n[![gone](d.png)](https://example.com)'));
    const found = r.report.diagnostics.filter((x) => x.code === 'render/missing-image').map((d) => `${d.position.line}:${d.position.column}`);
    expect(found).toEqual(['8:8', '10:14', '12:12', '14:2']);
  });
});

describe('lenient builds', () => {
  it('render anyway and show the problem on its slide', async () => {
    const r = await renderChapter(chapter('## Fine', '## Broken\n\n![gone](nowhere.png)'), { lenient: true });
    expect(r.report.ok).toBe(true);
    const [fine, broken] = authorSections(r);
    expect(fine).not.toContain('ld-diagnostics');
    expect(broken).toMatch(/<div class="ld-diagnostics" role="alert"><p class="ld-diagnostics-title">Problems on this slide<\/p>/);
    expect(broken).toContain('<code>en/a.md:11:1</code> error: image "nowhere.png" not found');
  });
});

describe('offline output', () => {
  it('loads nothing from the network: no remote script, stylesheet, font or image', async () => {
    const dir = contentTree({
      'en/a.md': chapter('## Links are fine\n\nSee [the docs](https://kubernetes.io/docs/).\n\n```bash\ncurl https://example.com\n```'),
      'decks/deck.yml': manifest('en', ['en/a.md']),
    });
    const out = `${dir}-out`;
    const report = await buildSite({ manifests: [join(dir, 'decks/deck.yml')], outDir: out });
    expect(report.ok).toBe(true);
    const html = inlineSlides(readFileSync(join(out, 'deck.html'), 'utf8'));
    const loads = [...html.matchAll(/<(script|link|img|iframe|source)\b[^>]*\b(src|href)="([^"]*)"/g)].map((m) => m[3]!);
    expect(loads.length).toBeGreaterThanOrEqual(4);
    for (const url of loads) expect(url).not.toMatch(/^(https?:)?\/\//);
    // A `data:` URL (the favicon) is in the page itself.
    for (const url of loads.filter((u) => !u.startsWith('data:'))) expect(existsSync(join(out, url)), url).toBe(true);
    expect(html).toContain('href="https://kubernetes.io/docs/"');
    const css = (readdirSync(out, { recursive: true }) as string[]).filter((f) => f.endsWith('.css'));
    expect(css.length).toBeGreaterThanOrEqual(3);
    for (const f of css) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text, f).not.toMatch(/@import\s+(url\()?["']?(https?:)?\/\//);
      expect(text, f).not.toMatch(/url\(\s*["']?(https?:)?\/\//);
      expect(text, f).not.toMatch(/fonts\.(googleapis|gstatic)/);
    }
  });
});

describe('pure renderer on hand-built model objects', () => {
  it('renderDeck: one section per slide, config, and Reveal loaded from assets/', async () => {
    const highlighter = await sharedCodeHighlighter();
    const d = deck([slide('a', ['## One', 'two']), slide('b', ['## Three'], { classes: ['extra-details'] }), slide('t', ['# Title'], { kind: 'chapter-title', file: 'decks/test-en.yml' })]);
    const out = renderDeck(d, { highlighter, theme: loadTheme(), assetExists: () => false });
    expect(out.slideCount).toBe(3);
    expect(out.diagnostics).toEqual([]);
    expect(out.html).toContain('<html lang="en">');
    expect(out.html).toContain('<title>Test deck</title>');
    expect(out.html).toContain('<script defer src="assets/labdeck/deck.js"></script>');
    expect(out.html).toMatch(/<section data-slide-id="a" data-number="1" data-source="en\/k8s\/test.md:10"><h2>One<\/h2>\s*<div class="fragment" data-fragment-step="1"><p>two<\/p><\/div><\/section>/);
    expect(out.html).toContain('<section data-slide-id="t" data-number="3" data-generated="chapter-title">');
    const config = JSON.parse(out.html.match(/<script type="application\/json" id="labdeck-config">([\s\S]*?)<\/script>/)![1]!);
    expect(config).toMatchObject({ deck: 'test-en', lang: 'en', reveal: { width: 1600, height: 900, hash: true } });
  });

  it('a dead #link on a generated slide is an error (a labdeck bug), on an author slide a warning', async () => {
    const highlighter = await sharedCodeHighlighter();
    const d = deck([slide('a', ['[x](#nowhere)']), slide('g', ['[y](#nowhere-either)'], { kind: 'toc' })]);
    const out = renderDeck(d, { highlighter, theme: loadTheme(), assetExists: () => false });
    expect(out.diagnostics.map((x) => `${x.severity} ${x.code}`)).toEqual(['warning render/dead-link', 'error render/dead-link']);
  });
});

describe('reuse of converted slides across builds (dev)', () => {
  it('gives the same page again, and follows what lies outside the slide (definitions, values, images)', async () => {
    const dir = contentTree({
      'en/a.md': '# Chapter\n\n---\n\n## Uses\n\nSee [the docs][docs] and ![pic](pic.png).\n\n```bash\ngit clone https://@@GITREPO@@\n```\n',
      'en/defs.md': '# Defs\n\n[docs]: https://one.example/\n',
      'en/pic.png': 'png',
      'decks/deck.yml': manifest('en', ['en/a.md', 'en/defs.md'], 'gitrepo: github.com/one/repo\n'),
    });
    const { ParseCache } = await import('../../src/manifest/index.ts');
    const cache = new ParseCache();
    const build = async () => {
      const report = await buildSite({ manifests: [join(dir, 'decks/deck.yml')], cache });
      return { html: report.site.pages.get('deck.html')!, images: [...report.site.images.keys()] };
    };
    const first = await build();
    expect(first.html).toContain('href="https://one.example/"');
    expect(first.images).toEqual(['en/pic.png']);
    expect(await build()).toEqual(first);
    writeFileSync(join(dir, 'en/defs.md'), '# Defs\n\n[docs]: https://two.example/\n');
    writeFileSync(join(dir, 'decks/deck.yml'), manifest('en', ['en/a.md', 'en/defs.md'], 'gitrepo: github.com/two/repo\n'));
    const second = await build();
    expect(second.html).toContain('href="https://two.example/"');
    expect(visibleText(second.html)).toContain('git clone https://github.com/two/repo');
    expect(second.images).toEqual(['en/pic.png']);
  });
});

describe('slides inserted by another stage (a missing translation)', () => {
  it('keep their language, take no audience number and join the chapter of the slide they follow', async () => {
    const highlighter = await sharedCodeHighlighter();
    const d = deck([slide('fr-1', ['## Un'], { chapter: 2 }), slide('fr-2', ['## Deux'], { chapter: 2 })], { lang: 'fr' });
    const english = slide('en:en/x.md:7', ['## Seven'], { chapter: 5, number: 7, file: 'en/x.md' });
    const out = renderDeck(d, { highlighter, theme: loadTheme(), assetExists: () => false, annotations: { badges: new Map(), insertions: [{ after: 'fr-1', slide: english, lang: 'en' }] } });
    const tags = [...out.html.matchAll(/<section[^>]*>/g)].map((m) => m[0]);
    expect(tags).toEqual([
      '<section data-slide-id="fr-1" data-number="1" data-source="en/k8s/test.md:10" data-chapter="2">',
      '<section lang="en" data-slide-id="en:en/x.md:7" data-inserted="" data-source="en/x.md:10" data-chapter="2">',
      '<section data-slide-id="fr-2" data-number="2" data-source="en/k8s/test.md:10" data-chapter="2">',
    ]);
  });
});
