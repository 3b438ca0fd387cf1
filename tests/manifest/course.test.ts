import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { courseDiagnostics, findManifests, loadCourse, ParseCache } from '../../src/manifest/index.ts';
import { anchorFor } from '../../src/manifest/anchor.ts';
import { contentTree as tree, removeContentTrees } from '../content-tree.ts';

afterAll(removeContentTrees);

const codes = async (dir: string, manifests = ['deck.yml']) => courseDiagnostics(await loadCourse(manifests.map((m) => join(dir, m)), { env: {} })).map((d) => `${d.severity} ${d.code} ${d.position.file}:${d.position.line}`);

describe('anchors', () => {
  it('keep accented letters and digits', () => {
    expect(anchorFor('Déployer')).toBe('toc-déployer');
    expect(anchorFor('Kubernetes 1.17: what changed?')).toBe('toc-kubernetes-1-17-what-changed');
  });
});

describe('deck assembly', () => {
  const base = {
    'title.md': 'class: title\n\n@@TITLE@@\n',
    'toc.md': '@@TOC@@\n',
    'a.md': '# Déployer\n\n---\n\n## One\n\n---\n\nclass: self-paced\n\n## Only self-paced\n',
    'b.md': '# Déployer\n\n---\n\n## Two\n',
    'c.md': '# Last\n\n## Three\n',
  };

  it('inserts chapter title slides with unique anchors and never-dead navigation', async () => {
    const dir = tree({ ...base, 'deck.yml': 'title: T\nexclude: [self-paced]\ncontent:\n- title.md\n- toc.md\n- - a.md\n  - b.md\n- - c.md\n' });
    const course = await loadCourse([join(dir, 'deck.yml')], { env: {} });
    const deck = course.decks[0]!;
    expect(courseDiagnostics(course)).toEqual([]);
    expect(deck.chapters.map((c) => c.anchor)).toEqual(['toc-déployer', 'toc-déployer-2', 'toc-last']);
    expect(deck.slides.map((s) => `${s.number}:${s.kind}:${s.title?.text ?? ''}`)).toEqual([
      '1:author:',
      '2:toc:Part 1',
      '3:toc:Part 2',
      '4:chapter-title:Déployer',
      '5:author:Déployer',
      '6:author:One',
      '7:chapter-title:Déployer',
      '8:author:Déployer',
      '9:author:Two',
      '10:chapter-title:Last',
      '11:author:Last',
    ]);
    const ids = new Set(deck.slides.map((s) => s.name ?? s.id));
    const links = deck.slides
      .filter((s) => s.kind !== 'author')
      .flatMap((s) => JSON.stringify(s.fragments[0]!.tree).match(/"url":"#\/([^"]+)"/g) ?? [])
      .map((l) => l.slice(9, -1));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(ids.has(l), `dead link #/${l}`).toBe(true);
    expect(deck.slides.every((s) => s.chapter === undefined || deck.chapters[s.chapter])).toBe(true);
    expect(deck.parts.map((p) => p.chapters)).toEqual([[0, 1], [2]]);
  });

  it('parses a file once when several decks include it', async () => {
    const dir = tree({ ...base, 'one.yml': 'exclude: []\ncontent:\n- a.md\n', 'two.yml': 'exclude: []\ncontent:\n- a.md\n- b.md\n' });
    const cache = new ParseCache();
    const course = await loadCourse([join(dir, 'one.yml'), join(dir, 'two.yml')], { env: {}, cache });
    expect(course.decks).toHaveLength(2);
    expect(cache.parses).toBe(2);
    await loadCourse([join(dir, 'one.yml'), join(dir, 'two.yml')], { env: {}, cache });
    expect(cache.parses).toBe(2);
  });

  it('accepts inline Markdown entries with positions in the manifest', async () => {
    const dir = tree({ 'deck.yml': 'exclude: []\ncontent:\n- |\n  # (Extra content)\n\n  class: nope\n' });
    expect(await codes(dir)).toEqual(['error slide/misplaced-property deck.yml:6']);
  });

  it('applies OVERRIDE_<key> to keys present in the manifest only', async () => {
    const dir = tree({ ...base, 'deck.yml': 'title: Old\nexclude: []\ncontent:\n- a.md\n' });
    const course = await loadCourse([join(dir, 'deck.yml')], { env: { OVERRIDE_title: 'New', OVERRIDE_chat: 'x' } });
    expect(course.decks[0]!.values.title).toBe('New');
    expect(course.decks[0]!.values.chat).toBe('');
  });
});

describe('bad manifests', () => {
  it('reports invalid YAML with its line', async () => {
    const found = await codes(tree({ 'deck.yml': 'title: T\ncontent:\n- a.md\n  - : [\n' }));
    expect(found[0]).toBe('error manifest/yaml deck.yml:3');
    expect(found.every((f) => f.startsWith('error manifest/yaml'))).toBe(true);
  });

  it('reports unknown keys, with a hint for the old chapters: key', async () => {
    const course = await loadCourse([join(tree({ 'deck.yml': 'exclude: []\nchapters:\n- a.md\ncontent: []\n' }), 'deck.yml')], { env: {} });
    const d = courseDiagnostics(course);
    expect(d.map((x) => `${x.code}:${x.position.line}`)).toEqual(['manifest/unknown-key:2']);
    expect(d[0]!.hint).toContain('renamed');
  });

  it('reports a missing content file at the manifest line that names it', async () => {
    expect(await codes(tree({ 'deck.yml': 'exclude: []\ncontent:\n- - nope.md\n' }))).toEqual(['error content/missing deck.yml:3']);
  });

  it('refuses manifests that include each other', async () => {
    const dir = tree({ 'deck.yml': 'exclude: []\ncontent:\n- other.yml\n', 'other.yml': 'content:\n- deck.yml\n' });
    expect(await codes(dir)).toEqual(['error content/cycle other.yml:2']);
  });

  it('reports duplicate slide names', async () => {
    const dir = tree({ 'a.md': 'name: x\n\n## A\n\n---\n\nname: x\n\n## B\n', 'deck.yml': 'exclude: []\ncontent:\n- a.md\n' });
    expect(await codes(dir)).toEqual(['error slide/duplicate-name a.md:7']);
  });

  it('reports a manifest that does not exist', async () => {
    const [only, ...rest] = await codes(tree({}), ['missing.yml']);
    expect(only).toMatch(/^error manifest\/missing .*missing\.yml:1$/);
    expect(rest).toEqual([]);
  });
});

describe('the course in content/', () => {
  it('loads both decks with no error', async () => {
    const course = await loadCourse(findManifests('content/decks').filter((m) => /kubernetes-(en|fr)/.test(m)));
    expect(courseDiagnostics(course).filter((d) => d.severity === 'error')).toEqual([]);
    const [en, fr] = course.decks;
    expect(en!.lang).toBe('en');
    expect(fr!.lang).toBe('fr');
    expect(en!.slides.filter((s) => s.kind === 'author').length).toBe(24);
    expect(fr!.slides.filter((s) => s.kind === 'author').length).toBe(14);
    expect(en!.meta.group).toBe(fr!.meta.group);
  });
});
