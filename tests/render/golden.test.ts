import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite, type BuildReport } from '../../src/build/site.ts';
import { outlineOf, sectionsOf, visibleText } from './helpers.ts';

/**
 * The seed pair (English chapter and its older French translation) built as `labdeck build`
 * does, outlined section by section. `UPDATE_GOLDEN=1` rewrites the files: read the diff.
 */
const MANIFESTS = ['content/decks/kubernetes-en.yml', 'content/decks/kubernetes-fr.yml'];
const golden = (lang: string) => `tests/fixtures/golden/render.${lang}.txt`;

describe('seed decks', () => {
  let report: BuildReport;
  beforeAll(async () => {
    report = await buildSite({ manifests: MANIFESTS });
  });

  it('build without errors', () => {
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it.each(['en', 'fr'])('%s outline matches the golden file', (lang) => {
    const html = report.site.pages.get(`kubernetes-${lang}.html`)!;
    const outline = outlineOf(html);
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden(lang), outline);
    expect(outline).toBe(readFileSync(golden(lang), 'utf8'));
  });

  it.each(['en', 'fr'])('%s: one section per model slide, numbers in order, no directive or fence text visible', (lang) => {
    const html = report.site.pages.get(`kubernetes-${lang}.html`)!;
    const deck = report.course.decks.find((d) => d.id === `kubernetes-${lang}`)!;
    const sections = sectionsOf(html);
    const own = sections.filter((s) => !/^<section[^>]*data-inserted/.test(s));
    expect(own).toHaveLength(deck.slides.length);
    expect(own.map((s) => Number(s.match(/data-number="(\d+)"/)?.[1]))).toEqual(deck.slides.map((_, i) => i + 1));
    const text = visibleText(html);
    for (const needle of ['hide kubectl wait', 'wait seq=', '```', '<!--', '.lab[', '.exercise[', '@@', '??? ']) expect(text).not.toContain(needle);
  });
});
