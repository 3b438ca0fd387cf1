import { describe, expect, it } from 'vitest';
import { formatPosition } from '../../src/model/position.ts';
import { checkLayout } from '../../src/present/layout-check.ts';

const summary = (r: Awaited<ReturnType<typeof checkLayout>>) => r.diagnostics.map((d) => `${formatPosition(d.position)} ${d.code}`).sort();

describe('labdeck check layout', () => {
  it('flags the fixture slide that overflows, the title that wraps and the code line cut off, at their source lines', async () => {
    const report = await checkLayout('tests/present/fixtures/content/decks/overflow-en.yml');
    expect(report.built).toBe(true);
    expect(report.slides).toBe(6);
    expect(summary(report)).toEqual([
      'en/overflow.md:11:1 layout/overflow',
      'en/overflow.md:46:1 layout/title-wraps',
      'en/overflow.md:54:1 layout/code-too-wide',
    ]);
    expect(report.diagnostics.find((d) => d.code === 'layout/overflow')!.message).toMatch(/^slide 4 is \d+ px tall/);
  }, 60_000);

  it('finds no overflow in the seed decks; what it reports there are titles that truly wrap', async () => {
    for (const deck of ['content/decks/kubernetes-en.yml', 'content/decks/kubernetes-fr.yml']) {
      const report = await checkLayout(deck);
      expect(report.built).toBe(true);
      expect(report.diagnostics.filter((d) => d.code !== 'layout/title-wraps')).toEqual([]);
    }
  }, 60_000);
});
