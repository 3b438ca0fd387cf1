import { describe, expect, it } from 'vitest';
import { deckPacing, formatMinutes } from '../../src/shared/pacing.ts';
import { buildAnnotations } from '../../src/parity/annotations.ts';
import { buildSite } from '../../src/build/site.ts';
import { slidesWithInsertions } from '../../src/render/deck.ts';

describe('site catalogue', () => {
  it('shows each deck with its language, variant, slide count and estimated duration, linking its translation', async () => {
    const report = await buildSite({ manifests: ['content/decks/kubernetes-en.yml', 'content/decks/kubernetes-fr.yml'] });
    expect(report.ok).toBe(true);
    const html = report.site.pages.get('index.html')!;
    const [en, frDeck] = report.course.decks;
    // The French deck as presented: English slides stand where a translation is missing.
    const fr = { ...frDeck!, slides: slidesWithInsertions(frDeck!, buildAnnotations(report.course).annotations.get('kubernetes-fr')) };
    expect(fr.slides.length).toBeGreaterThan(frDeck!.slides.length);
    const item = (id: string) => new RegExp(`<li data-deck="${id}">.*?</li>`).exec(html)?.[0] ?? '';
    expect(item('kubernetes-en')).toContain(`EN · ${en!.slides.length} slides · about ${formatMinutes(deckPacing(en!).minutes)} · in person`);
    expect(item('kubernetes-en')).toContain('href="kubernetes-fr.html" hreflang="fr"');
    expect(item('kubernetes-fr')).toContain(`FR · ${fr.slides.length} diapositives · environ ${formatMinutes(deckPacing(fr).minutes)} · en présentiel`);
    expect(item('kubernetes-fr')).toContain('href="kubernetes-en.html" hreflang="en"');
  });
});
