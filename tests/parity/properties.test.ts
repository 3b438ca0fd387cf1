import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, stampAll } from './helpers.ts';

/**
 * Random chapters in the dialect and their "translation": the same slides with every prose word
 * swapped for a French one, and code, inline code, numbers and URLs kept, as translators do.
 */
const EN_WORDS = ['the', 'pod', 'runs', 'we', 'container', 'with', 'network', 'image', 'is', 'node', 'and', 'service', 'replica', 'of', 'cluster', 'scale'];
const FR_WORDS = ['le', 'pod', 'tourne', 'nous', 'conteneur', 'avec', 'réseau', 'image', 'est', 'nœud', 'et', 'service', 'réplique', 'de', 'grappe', 'échelle'];

interface GenSlide {
  title: number;
  bullets: number[][];
  command?: string;
  number?: number;
  extra: boolean;
}

const slideArb = fc.record({
  title: fc.nat(),
  bullets: fc.array(fc.array(fc.nat({ max: EN_WORDS.length - 1 }), { minLength: 3, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
  command: fc.option(fc.stringMatching(/^[a-z][a-z0-9 -]{2,24}$/), { nil: undefined }),
  number: fc.option(fc.integer({ min: 2, max: 9999 }), { nil: undefined }),
  extra: fc.boolean(),
});

function render(slides: readonly GenSlide[], words: readonly string[], lang: 'en' | 'fr'): string {
  return slides
    .map((s, i) => {
      const lines: string[] = [];
      if (s.extra) lines.push('class: extra-details', '');
      // Unique titles keep stamp keys unique, as real titles mostly are.
      lines.push(`## ${lang === 'en' ? 'Topic' : 'Sujet'} ${words[s.title % words.length]} ${i}`, '');
      for (const b of s.bullets) lines.push(`- ${b.map((w) => words[w]).join(' ')}${s.number !== undefined ? ` ${s.number}` : ''}`, '');
      if (s.command) lines.push(`.${lang === 'en' ? 'lab' : 'exercise'}[`, '', '```bash', s.command, '```', '', ']', '');
      return lines.join('\n');
    })
    .join('\n---\n\n');
}

const deckArb = fc.array(slideArb, { minLength: 1, maxLength: 14 });

describe('properties', () => {
  it('a deck aligned with its translation, once stamped, is all ok', () => {
    fc.assert(
      fc.property(deckArb, (slides) => {
        const en = render(slides, EN_WORDS, 'en');
        const fr = render(slides, FR_WORDS, 'fr');
        const report = check(en, fr, stampAll(en, fr));
        expect(report.pairs.map((p) => p.statuses)).toEqual(slides.map(() => ['ok']));
        expect(report.pairs.every((p) => p.en?.index === p.fr?.index)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('deleting k French slides yields k missing and nothing else', () => {
    fc.assert(
      fc.property(
        deckArb.chain((slides) => fc.tuple(fc.constant(slides), fc.uniqueArray(fc.nat({ max: slides.length - 1 }), { maxLength: slides.length }))),
        ([slides, removed]) => {
          const en = render(slides, EN_WORDS, 'en');
          const book = stampAll(en, render(slides, FR_WORDS, 'fr'));
          // Deleting slides renumbers titles: keep the original index in them so keys stay put.
          const kept = slides.map((s, i) => ({ s, i })).filter(({ i }) => !removed.includes(i));
          const fr = kept.map(({ s, i }) => render([s], FR_WORDS, 'fr').replace(/ 0\n/, ` ${i}\n`)).join('\n---\n\n');
          const report = check(en, kept.length === 0 ? '' : fr, book);
          const missing = report.pairs.filter((p) => p.statuses.includes('missing')).map((p) => p.en!.index).sort((a, b) => a - b);
          expect(missing).toEqual([...removed].sort((a, b) => a - b));
          expect(report.pairs.filter((p) => !p.statuses.includes('missing')).every((p) => p.statuses[0] === 'ok')).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('without stamps, slides with distinct commands align one to one after deletions', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{3,10} [a-z0-9-]{2,12}$/), { minLength: 2, maxLength: 20 }).chain((commands) =>
          fc.tuple(fc.constant(commands), fc.array(slideArb, { minLength: commands.length, maxLength: commands.length }), fc.uniqueArray(fc.nat({ max: commands.length - 1 }), { maxLength: commands.length - 1 })),
        ),
        ([commands, shapes, removed]) => {
          const slides = shapes.map((s, i) => ({ ...s, command: commands[i]! }));
          const en = render(slides, EN_WORDS, 'en');
          const fr = render(slides.filter((_, i) => !removed.includes(i)), FR_WORDS, 'fr');
          const report = check(en, fr);
          const missing = report.pairs.filter((p) => p.statuses.includes('missing')).map((p) => p.en!.index).sort((a, b) => a - b);
          expect(missing).toEqual([...removed].sort((a, b) => a - b));
          expect(report.pairs.some((p) => p.statuses.includes('orphan') || p.statuses.includes('divergent-code'))).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});
