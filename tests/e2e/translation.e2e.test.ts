import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../src/model/course.ts';
import { launchChromium } from '../../src/shared/browser.ts';
import { buildSite } from '../../src/build/site.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';

/**
 * The built seed pair in real Chromium, as a trainer switching language mid-course sees it:
 * badges on French slides to review, English slides where no translation exists (numbered
 * between their neighbours), and `L` landing on the aligned slide of the other deck.
 */
let dir: string;
let server: RunningServer;
let browser: Browser;
let course: Course;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labdeck-translation-'));
  const report = await buildSite({ manifests: ['content/decks/kubernetes-en.yml', 'content/decks/kubernetes-fr.yml'], outDir: join(dir, 'site') });
  expect(report.ok).toBe(true);
  course = report.course;
  server = await startServer({ root: join(dir, 'site'), port: 0 });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(page: string, index = 0): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await p.goto(`${server.url}${page}#/${index}`);
  await p.waitForSelector('html[data-labdeck-ready="true"]');
  return p;
}
const current = (p: Page) =>
  p.evaluate(() => {
    const s = (window as any).Reveal.getCurrentSlide() as HTMLElement;
    return { id: s.getAttribute('data-slide-id'), title: s.querySelector('h1, h2')?.textContent?.trim() ?? '', number: document.querySelector('.slide-number')?.textContent?.trim() ?? '' };
  });
const indexOf = (p: Page, id: string) => p.evaluate((id) => (window as any).Reveal.getSlides().findIndex((s: Element) => s.getAttribute('data-slide-id') === id), id);

describe('the French deck next to the English one', () => {
  it('marks slides to review, shows missing ones in English between numbered slides, and has a banner', async () => {
    const page = await open('kubernetes-fr.html');
    expect(await page.locator('.ld-banner').innerText()).toContain('traduction à revoir');
    const fr = course.decks.find((d) => d.id === 'kubernetes-fr')!;
    const starting = fr.slides.find((s) => s.title?.text.startsWith('Démarrer un pod simple'))!;
    await page.evaluate((i) => (window as any).Reveal.slide(i), await indexOf(page, starting.id));
    const badge = page.locator('.present .ld-badge').first();
    expect(await badge.innerText()).toBe('traduction à revoir');
    expect(await badge.getAttribute('href')).toMatch(/^kubernetes-en\.html#\//);
    // English stand-ins: lang="en", "non traduit", numbered after the slide before them (4a, 8a…).
    const inserted = await page.evaluate(() =>
      (window as any).Reveal.getSlides()
        .map((s: HTMLElement, i: number) => ({ i, inserted: s.hasAttribute('data-inserted'), lang: s.getAttribute('lang') }))
        .filter((s: { inserted: boolean }) => s.inserted),
    );
    expect(inserted.length).toBeGreaterThan(0);
    expect(inserted.every((s: { lang: string }) => s.lang === 'en')).toBe(true);
    await page.evaluate((i) => (window as any).Reveal.slide(i), inserted[0].i);
    const here = await current(page);
    expect(here.number).toMatch(/^\d+[a-z]$/);
    expect(await page.locator('.present .ld-badge').first().innerText()).toBe('non traduit');
    await page.close();
  });

  it('L goes to the aligned English slide, and back', async () => {
    const page = await open('kubernetes-fr.html');
    const fr = course.decks.find((d) => d.id === 'kubernetes-fr')!;
    const logs = fr.slides.find((s) => s.title?.text === 'Affichage de la sortie du conteneur')!;
    await page.evaluate((i) => (window as any).Reveal.slide(i), await indexOf(page, logs.id));
    await Promise.all([page.waitForURL(/kubernetes-en\.html/), page.keyboard.press('l')]);
    await page.waitForSelector('html[data-labdeck-ready="true"]');
    expect((await current(page)).title).toBe('Viewing container output');
    await Promise.all([page.waitForURL(/kubernetes-fr\.html/), page.keyboard.press('l')]);
    await page.waitForSelector('html[data-labdeck-ready="true"]');
    expect((await current(page)).title).toBe('Affichage de la sortie du conteneur');
    await page.close();
  });

  it('from a French slide with no English counterpart, L lands on the nearest one and says so', async () => {
    const page = await open('kubernetes-fr.html');
    const fr = course.decks.find((d) => d.id === 'kubernetes-fr')!;
    const flood = fr.slides.find((s) => s.title?.text.startsWith('Ne nous inondons pas'))!;
    await page.evaluate((i) => (window as any).Reveal.slide(i), await indexOf(page, flood.id));
    await Promise.all([page.waitForURL(/kubernetes-en\.html/), page.keyboard.press('l')]);
    await page.waitForSelector('html[data-labdeck-ready="true"]');
    await expect.poll(() => page.locator('.ld-toast').innerText()).toBe('No exact counterpart: nearest slide');
    expect((await current(page)).id).toMatch(/^en\/k8s\/kubectl-run\.md:/);
    await page.close();
  });

  it('opens a slide by its title anchor, a deep link that survives slides added elsewhere', async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await p.goto(`${server.url}kubernetes-en.html#/viewing-container-output`);
    await p.waitForSelector('html[data-labdeck-ready="true"]');
    expect((await current(p)).title).toBe('Viewing container output');
    await p.close();
  });
});
