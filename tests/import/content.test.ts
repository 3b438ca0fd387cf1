import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintImported } from '../../src/import/lint.ts';
import { courseDiagnostics, loadCourse } from '../../src/manifest/index.ts';

const REPO = join(import.meta.dirname, '../..');
const DECKS = ['intro-fr', 'prometheus-fr', 'tp4-fr'];

describe('the imported French decks', () => {
  it('load without errors, in French, with no English deck in their group yet', async () => {
    const course = await loadCourse(DECKS.map((d) => join(REPO, 'content/decks', `${d}.yml`)));
    expect(courseDiagnostics(course).filter((d) => d.severity === 'error')).toEqual([]);
    expect(course.decks.map((d) => [d.id, d.lang])).toEqual(DECKS.map((d) => [d, 'fr']));
    const authored = Object.fromEntries(course.decks.map((d) => [d.id, d.slides.filter((s) => s.kind === 'author' && !s.file.startsWith('fr/shared/')).length]));
    expect(authored).toEqual({ 'intro-fr': 46, 'prometheus-fr': 68, 'tp4-fr': 44 });
    const all = await loadCourse(['kubernetes-en', 'kubernetes-fr', ...DECKS].map((d) => join(REPO, 'content/decks', `${d}.yml`)));
    for (const deck of all.decks.filter((d) => DECKS.includes(d.id))) {
      expect(all.decks.filter((d) => d.lang === 'en' && d.meta.group === deck.meta.group)).toEqual([]);
    }
  });

  it('carry none of the problems the import revealed (reviewed)', async () => {
    const course = await loadCourse(DECKS.map((d) => join(REPO, 'content/decks', `${d}.yml`)));
    const files = [...course.files.values()].filter((f) => /^fr\/(intro|prometheus|tp4)\//.test(f.path));
    expect(files.map((f) => f.path).sort()).toEqual(['fr/intro/kubernetes.md', 'fr/prometheus/kubernetes-prometheus.md', 'fr/tp4/tp4.md']);
    for (const f of files) expect(lintImported(f, readFileSync(join(REPO, 'content', f.path), 'utf8'))).toEqual([]);
  });
});
