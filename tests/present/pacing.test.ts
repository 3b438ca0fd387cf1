import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/manifest/index.ts';
import { DEFAULT_RATES, deckPacing, formatMinutes, paceKind } from '../../src/shared/pacing.ts';
import { deckSyllabus, syllabusHtml, syllabusMarkdown } from '../../src/present/outline.ts';

const FIXTURE = 'tests/present/fixtures/content/decks/present-en.yml';

async function fixtureDeck() {
  const course = await loadCourse([FIXTURE]);
  return course.decks[0]!;
}

describe('pacing', () => {
  it('classifies slides by what they ask of the room', async () => {
    const deck = await fixtureDeck();
    const byId = new Map(deck.slides.map((s) => [s.id, paceKind(s)]));
    expect(byId.get('plain-slide')).toBe('slide');
    expect(byId.get('lab-slide')).toBe('lab');
    expect(byId.get('toc-chapter-one')).toBe('generated');
    expect(deck.slides.filter((s) => paceKind(s) === 'extra-details')).toHaveLength(2);
    expect(deck.slides.filter((s) => paceKind(s) === 'code')).toHaveLength(1);
  });

  it('sums chapters and parts from the slide mix, with the manifest overriding a rate', async () => {
    const deck = await fixtureDeck();
    const p = deckPacing(deck);
    expect(p.rates.lab).toBe(6);
    expect(p.rates.slide).toBe(DEFAULT_RATES.slide);
    // Chapter one: title slide, `# Chapter one` slide, plain, code with one extra step, extra-details.
    const r = p.rates;
    expect(p.chapters[0]!.minutes).toBeCloseTo(r.generated + r.slide + r.slide + r.code + r.step + r['extra-details']);
    expect(p.chapters[0]!.minutesCore).toBeCloseTo(p.chapters[0]!.minutes - r['extra-details']);
    expect(p.chapters[1]!.minutes).toBeCloseTo(r.generated + r.slide + r.lab + r['extra-details'] + r.slide);
    expect(p.parts.map((x) => x.minutes)).toEqual([p.chapters[0]!.minutes, p.chapters[1]!.minutes]);
    expect(p.minutes).toBeCloseTo(p.slides.reduce((n, s) => n + s.minutes, 0));
    expect(p.diagnostics).toEqual([]);
  });

  it('warns about a pacing key it does not know', async () => {
    const deck = await fixtureDeck();
    const p = deckPacing({ ...deck, meta: { ...deck.meta, pacing: { labs: 4 } } });
    expect(p.diagnostics.map((d) => d.code)).toEqual(['manifest/pacing-key']);
    expect(p.diagnostics[0]!.message).toContain('labs');
  });

  it('formats durations for humans', () => {
    expect(formatMinutes(0.2)).toBe('1 min');
    expect(formatMinutes(44.6)).toBe('45 min');
    expect(formatMinutes(93)).toBe('1 h 35');
    expect(formatMinutes(600)).toBe('10 h 00');
  });
});

describe('syllabus', () => {
  it('lists the outline lines of one language in deck order, with headings', async () => {
    const deck = await fixtureDeck();
    const en = deckSyllabus(deck, 'EN');
    expect(en.chapters.flatMap((c) => c.entries.map((e) => `${e.kind}:${e.text}`))).toEqual([
      'heading:Chapter one heading',
      'item:First topic',
      'item:Second topic',
    ]);
    expect(en.chapters[0]!.entries[1]!.position.file).toBe('en/one.md');
    const md = syllabusMarkdown(en);
    expect(md).toMatch(/^# Presenting fixture\n/);
    expect(md).toContain('## Chapter one heading\n\n- First topic\n- Second topic\n');
    const fr = deckSyllabus(deck, 'FR');
    expect(syllabusMarkdown(fr)).toContain('- Premier sujet');
    expect(syllabusMarkdown(fr)).not.toContain('First topic');
    expect(syllabusHtml(fr)).toContain('<html lang="fr">');
    expect(syllabusHtml(fr)).toContain('<li>Premier sujet</li>');
  });
});
