import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/site.ts';
import { main } from '../../src/cli/main.ts';
import { loadCourse } from '../../src/manifest/index.ts';
import { frontMatter } from '../../src/manifest/single-file.ts';
import { startDev } from '../../src/server/dev.ts';
import { runCli } from '../cli/run.ts';
import { contentTree, removeContentTrees } from '../content-tree.ts';

afterAll(removeContentTrees);

const TALK = `---
title: Kubernetes in 20 minutes
lang: fr
exclude: [self-paced]
---

# Bonjour

Premier point

---

class: self-paced

## Pour les curieux

---

## La fin

![manquante](nowhere.png)
`;

describe('single-file decks: front matter holds the manifest keys (gray-matter)', () => {
  it('reads title, lang and exclude from the front matter; the slides keep their lines', async () => {
    const dir = contentTree({ 'talk.md': TALK });
    const course = await loadCourse([join(dir, 'talk.md')], { env: {} });
    const deck = course.decks[0]!;
    expect(deck).toMatchObject({ id: 'talk', lang: 'fr', exclude: ['self-paced'] });
    expect(deck.values.title).toBe('Kubernetes in 20 minutes');
    const authored = deck.slides.filter((s) => s.kind === 'author');
    // The front matter is not a slide; the self-paced slide is excluded.
    expect(authored.map((s) => `${s.position.file}:${s.position.line} ${s.title?.text}`)).toEqual(['talk.md:7 Bonjour', 'talk.md:19 La fin']);
    const report = await buildSite({ manifests: [join(dir, 'talk.md')] });
    expect(report.diagnostics.find((d) => d.code === 'render/missing-image')?.position).toMatchObject({ file: 'talk.md', line: 21, column: 1 });
  });

  it('a manifest problem in the front matter is reported at its line in the file', async () => {
    const dir = contentTree({ 'talk.md': '---\ntitle: T\nlang: de\n---\n\n# Hallo\n' });
    const course = await loadCourse([join(dir, 'talk.md')], { env: {} });
    expect(course.diagnostics.find((d) => d.code === 'manifest/lang')?.position).toMatchObject({ file: 'talk.md', line: 3 });
  });

  it('a plain Markdown file is a deck too, titled by its name', async () => {
    const dir = contentTree({ 'notes.md': '# Notes\n\n---\n\n## One\n' });
    const course = await loadCourse([join(dir, 'notes.md')], { env: {} });
    expect(course.diagnostics).toEqual([]);
    expect(course.decks[0]!.values.title).toBe('notes');
  });

  it('container.training files are unaffected: a first `---` and slide properties are a slide, not front matter', () => {
    for (const text of [
      // A separator, then the first slide's properties.
      '---\n\nclass: title\n\n# Hello\n\n---\n\n## Next\n',
      '---\nname: intro\nclass: in-person\n---\n\n## Slide\n',
      // remark.js's `layout: true` template slide.
      '---\nlayout: true\nclass: x\n---\n',
      // A first slide that merely starts with a `key: value` line (no `---` before it).
      'title: not front matter\n\n# Slide\n',
      // A YAML-looking block whose keys are not manifest keys.
      '---\nauthor: me\nfavourite: yaml\n---\n\n# Slide\n',
    ]) {
      expect(frontMatter(text), text).toBeUndefined();
    }
    expect(frontMatter('---\ntitle: A talk\n---\n\n# Slide\n')).toMatchObject({ yaml: 'title: A talk\n' });
  });

  it('`labdeck build talk.md` whose first slide starts with `key: value` lines: properties of that slide, not front matter', async () => {
    const dir = contentTree({
      'title.md': 'title: not front matter\n\n# Slide\n\n---\n\n## Next\n',
      'props.md': '---\nclass: title\nname: intro\n---\n\n## Second\n',
    });
    const course = await loadCourse([join(dir, 'title.md'), join(dir, 'props.md')], { env: {} });
    expect(course.diagnostics).toEqual([]);
    const [title, props] = course.decks;
    // No front matter: the deck is titled by its file, the `title:` line stays the slide's.
    expect(title!.values.title).toBe('title');
    const first = title!.slides.filter((s) => s.kind === 'author');
    expect(first.map((s) => `${s.position.line} ${s.title?.text}`)).toEqual(['1 Slide', '7 Next']);
    expect(first[0]!.properties).toEqual({ title: 'not front matter' });
    // `---` then slide properties: an empty first slide, then the `class: title` one (remark.js's cut).
    expect(props!.values.title).toBe('props');
    const slides = props!.slides.filter((s) => s.kind === 'author');
    expect(slides.map((s) => s.position.line)).toEqual([1, 2, 6]);
    expect(slides[1]!.classes).toEqual(['title']);
    expect(slides[1]!.name).toBe('intro');
  });

  it('in a deck of a manifest, a file starting like front matter is read as slides, as remark.js reads it', async () => {
    const dir = contentTree({
      'decks/deck.yml': 'title: Deck\nroot: ..\nexclude: [self-paced]\ncontent:\n- en/a.md\n',
      'en/a.md': '---\ntitle: looks like front matter\n---\n\n## Second slide\n',
    });
    const course = await loadCourse([join(dir, 'decks/deck.yml')], { env: {} });
    const authored = course.decks[0]!.slides.filter((s) => s.kind === 'author');
    // An empty slide before the first `---`, the `title:` one, the next one: remark.js's cut.
    expect(authored.map((s) => s.position.line)).toEqual([1, 2, 5]);
    expect(authored[1]!.properties).toEqual({ title: 'looks like front matter' });
  });

  it('`labdeck build talk.md` writes talk.html in the language of the front matter', async () => {
    const dir = contentTree({ 'talk.md': TALK.replace('![manquante](nowhere.png)\n', '') });
    const out = `${dir}-out`;
    const quiet = { stdout: process.stdout.write, stderr: process.stderr.write };
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['build', join(dir, 'talk.md'), '--out', out]);
    } finally {
      process.stdout.write = quiet.stdout;
      process.stderr.write = quiet.stderr;
    }
    expect(code).toBe(0);
    const html = readFileSync(join(out, 'talk.html'), 'utf8');
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<title>Kubernetes in 20 minutes</title>');
    expect(html).not.toContain('Pour les curieux');
  });

  it('`labdeck lint talk.md` lints it as a deck: its front matter is its manifest, not a slide', async () => {
    const dir = contentTree({ 'talk.md': TALK });
    const r = await runCli(['lint', join(dir, 'talk.md')]);
    expect(r.status).toBe(1);
    // The missing image is found by rendering the deck (line 21), which lint does for decks only.
    expect(r.stderr).toMatch(/talk\.md:21:1: error: image "nowhere\.png" not found/);
    expect(r.stderr).toMatch(/^1 decks?, \d+ slides: 1 error/m);
    expect(r.stderr).not.toMatch(/chapter/);
    expect(r.stderr).not.toMatch(/front matter|lang: fr/);
  });

  it('`labdeck dev talk.md` rebuilds the deck when the file changes', async () => {
    const dir = contentTree({ 'talk.md': TALK.replace('![manquante](nowhere.png)\n', '') });
    const dev = await startDev({ manifests: [join(dir, 'talk.md')], outDir: `${dir}-out`, port: 0, onBuild: () => undefined });
    try {
      writeFileSync(join(dir, 'talk.md'), TALK.replace('![manquante](nowhere.png)\n', 'Une nouvelle ligne\n'));
      const event = await dev.rebuild([join(dir, 'talk.md')]);
      expect(event).toMatchObject({ ok: true, decks: ['talk'] });
      expect(readFileSync(join(`${dir}-out`, 'talk.html'), 'utf8')).toContain('Une nouvelle ligne');
    } finally {
      await dev.close();
    }
  });
});
