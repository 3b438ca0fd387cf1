import { describe, expect, it } from 'vitest';
import { formatPosition } from '../../src/model/position.ts';
import { checkLayout } from '../../src/present/layout-check.ts';

const summary = (r: Awaited<ReturnType<typeof checkLayout>>) => r.diagnostics.map((d) => `${formatPosition(d.position)} ${d.code}`).sort();

describe('labdeck check layout', () => {
  it('flags the fixture slide that overflows, the title that wraps, the code line that wraps and the text under a mark, at their source lines', async () => {
    const report = await checkLayout('tests/present/fixtures/content/decks/overflow-en.yml');
    expect(report.built).toBe(true);
    expect(report.slides).toBe(7);
    expect(summary(report)).toEqual([
      'en/overflow.md:11:1 layout/overflow',
      'en/overflow.md:46:1 layout/title-wraps',
      'en/overflow.md:54:1 layout/code-wraps',
      'en/overflow.md:60:1 layout/covered',
    ]);
    // A line too long for the slide wraps, marked; it is never cut off.
    expect(report.diagnostics.find((d) => d.code === 'layout/code-wraps')!.severity).toBe('info');
    expect(report.diagnostics.find((d) => d.code === 'layout/covered')!.message).toMatch(/^slide 7: the “Extra details” mark covers “x+…”$/);
    expect(report.diagnostics.find((d) => d.code === 'layout/overflow')!.message).toMatch(/^slide 4 is \d+ px tall/);
  }, 60_000);

  it('finds no overflow in the seed decks; what it reports there are titles that truly wrap', async () => {
    for (const deck of ['content/decks/kubernetes-en.yml', 'content/decks/kubernetes-fr.yml']) {
      const report = await checkLayout(deck);
      expect(report.built).toBe(true);
      expect(report.diagnostics.filter((d) => d.code !== 'layout/title-wraps')).toEqual([]);
      // The French deck as presented: its English stand-ins are checked too (4a's title wraps).
      if (deck.includes('-fr')) expect(report.slides).toBe(32);
    }
  }, 60_000);
});
