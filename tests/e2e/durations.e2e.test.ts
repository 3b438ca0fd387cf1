import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildReport } from '../../src/build/site.ts';
import { findManifests } from '../../src/manifest/index.ts';
import type { RunningServer } from '../../src/server/serve.ts';
import { deckPacing, formatMinutes } from '../../src/shared/pacing.ts';
import { labdeck } from '../cli/run.ts';
import { servedSite, type ServedSite } from './served-site.ts';

/**
 * One duration model, one answer: the site index, the table of contents, `labdeck outline`, the
 * speaker view's notes and its pacing timer give the same figures for the deck as presented,
 * English stand-ins of the French deck included; and the syllabus of a French deck comes from
 * the `:FR:` lines its English original keeps.
 */
let site: ServedSite;
let server: RunningServer;
let browser: Browser;
let report: BuildReport;

beforeAll(async () => {
  site = await servedSite(findManifests('content/decks'));
  ({ server, browser, report } = site);
}, 60_000);
afterAll(async () => site?.close());

const open = (path: string): Promise<Page> => site.open(path);

const pacingOf = (id: string) => {
  const deck = report.course.decks.find((d) => d.id === id)!;
  return deckPacing(deck, report.annotations.get(id)?.insertions);
};

describe('the French deck’s duration', () => {
  it('is the same in the site index, the table of contents, the outline and the speaker view', async () => {
    const pacing = pacingOf('kubernetes-fr');
    expect(pacing.slides.filter((s) => s.inserted)).toHaveLength(16);
    const total = formatMinutes(pacing.minutes);
    const chapter = formatMinutes(pacing.chapters[0]!.minutes);

    const index = await browser.newPage();
    await index.goto(`${server.url}index.html`);
    expect(await index.locator('li[data-deck="kubernetes-fr"] .deck-meta').innerText()).toContain(`environ ${total}`);
    await index.close();

    const outline = await labdeck('outline', '--lang', 'fr', 'kubernetes-fr');
    expect(outline.stdout).toContain(`*environ ${total}*`);

    const page = await open('kubernetes-fr.html');
    expect(await page.locator('section.toc li').innerText()).toBe(`Gérer nos premiers conteneurs sur Kubernetes · ${chapter}`);
    const notes = await page.evaluate(() => Array.from(document.querySelectorAll('aside.notes .ld-pacing-note')).map((p) => p.textContent));
    expect(notes[0]).toBe(`Tout le deck : ${total} (${formatMinutes(pacing.minutesCore)} sans « Pour aller plus loin »)`);
    expect(notes.filter((n) => n!.startsWith(`Chapitre « Gérer nos premiers conteneurs sur Kubernetes » : ${chapter} prévues`))).toHaveLength(pacing.chapters[0]!.slides);

    // The pacing timer reads `data-timing`: every slide has the model's figure, stand-ins too.
    const timings = await page.evaluate(() =>
      (window as any).Reveal.getSlides().map((s: HTMLElement) => [s.getAttribute('data-slide-id'), s.getAttribute('data-timing')]),
    );
    expect(timings).toEqual(pacing.slides.map((s) => [s.id, String(Math.round(s.minutes * 60))]));

    // A slide after stand-ins: the notes count them in the time planned before it.
    const after = pacing.slides.findIndex((s, i) => !s.inserted && i > 0 && pacing.slides[i - 1]!.inserted && s.chapter === 0);
    const before = pacing.slides.slice(0, after).filter((s) => s.chapter === 0).reduce((n, s) => n + s.minutes, 0);
    expect(notes[after]).toContain(`${formatMinutes(before)} avant cette diapositive`);
    await page.close();
  });

  it('shows in the speaker view next to a pacing timer that counts stand-ins', async () => {
    const page = await open('kubernetes-fr.html');
    await page.evaluate(() => {
      const reveal = (window as any).Reveal;
      reveal.slide(reveal.getSlides().findIndex((s: Element) => s.getAttribute('data-slide-id') === 'en:en/k8s/kubectl-run.md:6'));
    });
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
    await expect.poll(() => popup.textContent('.speaker-controls-notes'), { timeout: 10_000 }).toContain('Chapitre « Gérer nos premiers conteneurs');
    await expect.poll(() => popup.isVisible('.speaker-controls-time .pacing'), { timeout: 10_000 }).toBe(true);
    await popup.close();
    await page.close();
  });
});

describe('chapters whose title has an accent', () => {
  it('show their duration in the table of contents', async () => {
    const page = await open('prometheus-fr.html');
    const items = await page.locator('section.toc li').allInnerTexts();
    const pacing = pacingOf('prometheus-fr');
    expect(items).toEqual(pacing.chapters.map((c) => `${c.title} · ${formatMinutes(c.minutes)}`));
    expect(items.some((i) => i.startsWith('Métiers de l’OPS') || i.startsWith("Métiers de l'OPS"))).toBe(true);
    await page.close();
  });
});

describe('labdeck outline --lang fr', () => {
  it('gives the French deck’s syllabus from the :FR: lines of its English chapters, under its French title', async () => {
    const all = await labdeck('outline', '--lang', 'fr');
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('# Premiers pas avec Kubernetes\n\n*environ');
    expect(all.stdout).toMatch(/# Premiers pas avec Kubernetes\n\n\*environ [^*]+\*\n\n- Créer un pod et un déploiement\n/);
    const named = await labdeck('outline', '--lang', 'fr', 'kubernetes-en');
    expect(named.stdout).toMatch(/^# Premiers pas avec Kubernetes\n/);
    expect(named.stdout).not.toContain('First steps');
    expect(named.stdout).toContain('- Créer un pod et un déploiement');
    const english = await labdeck('outline', '--lang', 'en', 'kubernetes-fr');
    expect(english.stdout).toMatch(/^# First steps with Kubernetes\n/);
    expect(english.stdout).toContain('- Running pods and deployments');
  });
});
