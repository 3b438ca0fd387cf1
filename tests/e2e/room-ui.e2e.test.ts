import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findManifests } from '../../src/manifest/index.ts';
import type { RunningServer } from '../../src/server/serve.ts';
import { CHROMIUM_FLAGS, chromiumPath } from '../../src/shared/browser.ts';
import { pathToFileURL } from 'node:url';
import { packDeck } from '../../src/present/pack.ts';
import { colourfulPixels } from './png.ts';
import { servedSite, type ServedSite } from './served-site.ts';

/**
 * The words and pictures of the room: a French deck speaks French everywhere (speaker view,
 * pause screen, Reveal's own help, index), `L` says when there is no other language, emoji are
 * drawn on a laptop with no emoji font, no request fails, and a follower screen stays in step.
 */
let site: ServedSite;
let dir: string;
let server: RunningServer;
let browser: Browser;
const failed: string[] = [];

beforeAll(async () => {
  site = await servedSite(findManifests('content/decks'));
  ({ dir, server, browser } = site);
}, 60_000);
afterAll(async () => site?.close());

async function open(path: string, on: Browser = browser): Promise<Page> {
  const page = await on.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('response', (r) => void (r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`)));
  // The browser's own requests (the favicon) show only as console errors.
  page.on('console', (m) => void (m.type() === 'error' && /Failed to load resource/.test(m.text()) && failed.push(m.text())));
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector('html[data-labdeck-ready="true"]');
  return page;
}

async function speakerView(page: Page): Promise<Page> {
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
  await popup.waitForSelector('#upcoming-slide iframe');
  await expect.poll(() => popup.textContent('.speaker-controls-notes .value'), { timeout: 10_000 }).not.toBe('');
  return popup;
}

/** The speaker window's own words (its labels, not the slides or the notes). */
const speakerLabels = (popup: Page) =>
  popup.evaluate(() => ({
    title: document.title,
    upcoming: document.querySelector('#upcoming-slide > .label')!.textContent,
    time: document.querySelector('.speaker-controls-time > h4.label')!.textContent!.replace(/\s+/g, ' ').trim(),
    pacing: document.querySelector('.pacing-title')!.textContent,
    notes: document.querySelector('.speaker-controls-notes > h4.label')!.textContent,
    layout: document.querySelector('.speaker-layout-label')!.textContent,
    layouts: Array.from(document.querySelectorAll('.speaker-layout-dropdown option')).map((o) => o.textContent),
    clock: document.querySelector('.clock-value')!.textContent,
  }));

describe('a French deck', () => {
  it('has a speaker view in French, the English deck one in English', async () => {
    const fr = await open('kubernetes-fr.html#/démarrer-un-pod-simple-avec-kubectl-run');
    const frView = await speakerView(fr);
    await expect.poll(() => frView.textContent('.clock-value')).not.toBe('0:00 AM');
    expect(await speakerLabels(frView)).toEqual({
      title: 'Vue présentateur · Premiers pas avec Kubernetes',
      upcoming: 'À suivre',
      time: 'Temps Cliquer pour remettre à zéro',
      pacing: 'Rythme : temps restant pour cette diapositive',
      notes: 'Notes',
      layout: 'Disposition : Par défaut',
      layouts: ['Par défaut', 'Large', 'En hauteur', 'Notes seules'],
      clock: expect.stringMatching(/^\d\d:\d\d$/),
    });
    await frView.selectOption('.speaker-layout-dropdown', 'wide');
    await expect.poll(() => frView.textContent('.speaker-layout-label')).toBe('Disposition : Large');
    await frView.selectOption('.speaker-layout-dropdown', 'default');
    await frView.close();
    await fr.close();

    const en = await open('kubernetes-en.html#/starting-a-simple-pod-with-kubectl-run');
    const enView = await speakerView(en);
    const labels = await speakerLabels(enView);
    expect(labels).toMatchObject({ title: 'Speaker view · First steps with Kubernetes', upcoming: 'Next', notes: 'Notes', layout: 'Layout: Default' });
    expect(labels.clock).toMatch(/^\d\d:\d\d (AM|PM)$/);
    await enView.close();
    await en.close();
  });

  it('pauses (B) on a black screen with a French button, and shows Reveal’s help in French', async () => {
    const page = await open('kubernetes-fr.html#/démarrer-un-pod-simple-avec-kubectl-run');
    await page.keyboard.press('b');
    await page.waitForSelector('.reveal.paused');
    // The overlay fades in (visibility and opacity over 1 s): its text shows once that has begun.
    await expect.poll(() => page.locator('.pause-overlay .resume-button').innerText(), { timeout: 10_000 }).toBe('Reprendre la présentation');
    expect(await page.locator('.ld-banner').evaluate((e) => getComputedStyle(e).visibility)).toBe('hidden');
    await page.keyboard.press('b');
    await page.keyboard.press('Shift+?');
    await page.waitForSelector('.r-overlay-help .title');
    const help = await page.locator('.r-overlay-help').innerText();
    expect(help).toContain('Raccourcis clavier');
    expect(help).toContain('Diapositive suivante');
    expect(help).toContain('Vue présentateur');
    expect(help).toContain('Changer de langue');
    expect(help).not.toMatch(/Keyboard Shortcuts|Next slide|\tPause$|Speaker notes view/m);
    // L is the language switch, not one more "navigate right" key.
    expect(help).toMatch(/^→\tAller à droite$/m);
    expect(await page.locator('.controls .navigate-right').getAttribute('aria-label')).toBe('diapositive suivante');
    await page.close();
  });

  it('names extra details one way, on the slide, in the X message and in the speaker notes', async () => {
    const page = await open('kubernetes-fr.html');
    const flag = await page.evaluate(() => document.querySelector('section.extra-details .ld-flag-extra')!.textContent);
    expect(flag).toBe('Pour aller plus loin');
    await page.keyboard.press('x');
    await expect.poll(() => page.locator('.ld-toast').innerText()).toBe('Diapositives « Pour aller plus loin » masquées');
    const deckPlan = await page.evaluate(() => document.querySelector('aside.notes .ld-pacing-note')!.textContent);
    expect(deckPlan).toContain('sans « Pour aller plus loin »');
    await page.close();
  });

  it('is listed in French in the site index (variant included)', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}index.html`);
    expect(await page.locator('li[data-deck="kubernetes-fr"] .deck-meta').innerText()).toMatch(/ · en présentiel · Aussi en anglais$/);
    expect(await page.locator('li[data-deck="kubernetes-en"] .deck-meta').innerText()).toMatch(/ · in person · Also in French$/);
    await page.close();
  });
});

describe('L in a deck with no other language', () => {
  it('says there is no translation and stays on the slide', async () => {
    const page = await open('intro-fr.html#/3');
    const before = await page.evaluate(() => (window as any).Reveal.getIndices().h);
    await page.keyboard.press('l');
    await expect.poll(() => page.locator('.ld-toast').innerText()).toBe('Ce support n’a pas de traduction');
    expect(await page.evaluate(() => (window as any).Reveal.getIndices().h)).toBe(before);
    await page.close();
  });
});

describe('emoji, icons and followers', () => {
  it('draws 🤔 in colour on a laptop without an emoji font, from the site and from the offline pack', async () => {
    // A Chromium that sees only DejaVu: what a minimal Debian laptop has.
    const fonts = join(dir, 'fonts');
    mkdirSync(join(fonts, 'cache'), { recursive: true });
    writeFileSync(join(fonts, 'fonts.conf'), `<?xml version="1.0"?>\n<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>${join(fonts, 'cache')}</cachedir></fontconfig>\n`);
    const bare = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, env: { ...process.env, FONTCONFIG_FILE: join(fonts, 'fonts.conf') } });
    const packed = await packDeck('content/decks/kubernetes-fr.yml', join(dir, 'fr.zip'));
    expect(packed.ok).toBe(true);
    execFileSync('unzip', ['-q', join(dir, 'fr.zip'), '-d', join(dir, 'unzipped')]);
    try {
      for (const url of [`${server.url}kubernetes-en.html`, `${server.url}kubernetes-fr.html`, pathToFileURL(join(dir, 'unzipped/kubernetes-fr/kubernetes-fr.html')).href]) {
        const page = await bare.newPage({ viewport: { width: 1280, height: 720 } });
        await page.goto(url);
        await page.waitForSelector('html[data-labdeck-ready="true"]');
        const clip = await page.evaluate(() => {
          const reveal = (window as any).Reveal;
          reveal.slide(reveal.getSlides().findIndex((s: HTMLElement) => s.textContent!.includes('🤔')));
          const walker = document.createTreeWalker(reveal.getCurrentSlide(), NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const at = n.textContent!.indexOf('🤔');
            if (at === -1) continue;
            const range = document.createRange();
            range.setStart(n, at);
            range.setEnd(n, at + 2);
            const r = range.getBoundingClientRect();
            return { x: r.left, y: r.top, width: r.width, height: r.height };
          }
          return null;
        });
        expect(clip, url).not.toBeNull();
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        expect(colourfulPixels(await page.screenshot({ clip: clip! })), url).toBeGreaterThan(50);
        await page.close();
      }
    } finally {
      await bare.close();
    }
  });

  it('asks for no file the site does not have (no favicon.ico)', async () => {
    const page = await open('kubernetes-fr.html');
    await page.waitForLoadState('networkidle');
    await page.close();
    expect(failed).toEqual([]);
  });

  it('keeps a follower screen on the presenter’s slide whatever its own keys do', async () => {
    const presenter = await open('kubernetes-fr.html?present#/démarrer-un-pod-simple-avec-kubectl-run');
    await presenter.waitForSelector('html[data-labdeck-sync-connected="true"]');
    const follower = await open('kubernetes-fr.html?follow');
    await follower.waitForSelector('html[data-labdeck-sync-connected="true"]');
    const here = (p: Page) => p.evaluate(() => (window as any).Reveal.getCurrentSlide().getAttribute('data-slide-id'));
    await expect.poll(() => here(follower)).toBe(await here(presenter));
    for (const key of ['ArrowRight', 'ArrowLeft', 'Space', 'n', 'Home', 'l']) await follower.keyboard.press(key);
    await follower.evaluate(() => (window as any).Reveal.slide(0));
    await expect.poll(() => here(follower)).toBe(await here(presenter));
    expect(await follower.locator('.reveal .controls').evaluate((e) => getComputedStyle(e).display)).toBe('none');
    await presenter.keyboard.press('ArrowRight');
    await presenter.keyboard.press('ArrowRight');
    await expect.poll(() => here(follower)).toBe(await here(presenter));
    await Promise.all([presenter.close(), follower.close()]);
  });
});
