import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deck } from '../../src/model/deck.ts';
import { launchChromium } from '../../src/shared/browser.ts';
import { buildSite } from '../../src/build/site.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { contentTree, manifest, removeContentTrees } from '../render/helpers.ts';
import { pngColours } from './png.ts';

/**
 * The built English seed deck in real Chromium (Debian's), served from a loopback static server:
 * what a trainer sees when presenting. One browser for the whole file (2 cores).
 */

describe('English seed deck in Chromium', () => {
  let site: string;
  let server: RunningServer;
  let base: string;
  let browser: Browser;
  let page: Page;
  let deck: Deck;

  beforeAll(async () => {
    const notes = contentTree({
      'en/a.md': '# Notes chapter\n\n---\n\n## Talking points\n\n- shown\n\n--\n\n- step\n\n???\n\nMention the *loopback* interface.\n',
      'decks/notes.yml': manifest('en', ['en/a.md']),
    });
    site = `${notes}-site`;
    const seed = await buildSite({ manifests: ['content/decks/kubernetes-en.yml'], outDir: join(site, 'seed') });
    expect(seed.ok).toBe(true);
    deck = seed.course.decks[0]!;
    expect((await buildSite({ manifests: [join(notes, 'decks/notes.yml')], outDir: join(site, 'notes') })).ok).toBe(true);
    server = await startServer({ root: site, port: 0 });
    base = server.url;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    // Anything not on the loopback server would be a CDN or a remote font: the deck must work offline.
    const remote: string[] = [];
    page.on('request', (r) => void (r.url().startsWith(base) || r.url().startsWith('data:') ? undefined : remote.push(r.url())));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}seed/kubernetes-en.html`);
    await page.waitForFunction(() => document.documentElement.dataset.labdeckReady === 'true');
    expect(remote).toEqual([]);
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeContentTrees();
  });

  const reveal = <T,>(fn: string): Promise<T> => page.evaluate(`(() => { const R = window.Reveal; return ${fn}; })()`) as Promise<T>;

  it('has one Reveal slide per model slide', async () => {
    expect(deck.slides).toHaveLength(26);
    expect(await reveal<number>('R.getTotalSlides()')).toBe(deck.slides.length);
  });

  it('steps through the first slide’s fragments with the keyboard, then moves on', async () => {
    const first = deck.slides.findIndex((s) => s.kind === 'author' && s.fragments.length > 1);
    expect(deck.slides[first]!.fragments).toHaveLength(3);
    await reveal(`R.slide(${first}, 0, -1)`);
    await page.locator('.reveal').focus().catch(() => undefined);
    const state = () => reveal<{ h: number; f: number | undefined; visible: number }>('({ h: R.getIndices().h, f: R.getIndices().f, visible: R.getCurrentSlide().querySelectorAll(".fragment.visible").length })');
    expect(await state()).toMatchObject({ h: first, visible: 0 });
    await page.keyboard.press('ArrowRight');
    expect(await state()).toMatchObject({ h: first, f: 0, visible: 1 });
    await page.keyboard.press('Space');
    expect(await state()).toMatchObject({ h: first, f: 1, visible: 2 });
    await page.keyboard.press('ArrowRight');
    expect((await state()).h).toBe(first + 1);
  });

  it('marks the extra-details slides, with their label', async () => {
    const expected = deck.slides.flatMap((s, i) => (s.classes.includes('extra-details') ? [i] : []));
    expect(expected.length).toBe(4);
    const found = await reveal<number[]>('R.getSlides().flatMap((s, i) => s.classList.contains("extra-details") ? [i] : [])');
    expect(found).toEqual(expected);
    await reveal(`R.slide(${expected[0]})`);
    expect(await page.locator('.reveal .present .ld-flag-extra').innerText()).toBe('Extra details');
  });

  it('shows code highlighted by shiki at build time', async () => {
    const code = deck.slides.findIndex((s) => s.code.some((c) => c.lang === 'bash'));
    await reveal(`R.slide(${code})`);
    const pre = page.locator('.reveal .present pre.shiki[data-lang="bash"]').first();
    await expect(pre.isVisible()).resolves.toBe(true);
    const colours = await pre.locator('span[style*="color"]').evaluateAll((spans) => new Set(spans.map((s) => getComputedStyle(s).color)).size);
    expect(colours).toBeGreaterThan(1);
  });

  it('never shows directive text or fence markers on any slide', async () => {
    const total = await reveal<number>('R.getTotalSlides()');
    let all = '';
    for (let i = 0; i < total; i++) {
      await reveal(`R.slide(${i}, 0, Infinity)`);
      const text = await page.evaluate(() => document.body.innerText);
      for (const needle of ['hide kubectl wait', 'wait seq=3', '```', '<!--', '.lab[']) expect(text, `slide ${i + 1}`).not.toContain(needle);
      all += text;
    }
    // The commands around the hidden directives are on screen.
    expect(all).toContain('kubectl run pingpong --image alpine ping 127.0.0.1');
  });

  it('draws a lab slide (not blank), with its box visible', async () => {
    const lab = deck.slides.findIndex((s) => s.labs.length > 0);
    await reveal(`R.slide(${lab})`);
    await expect(page.locator('.reveal .present .lab .ld-box-label').innerText()).resolves.toMatch(/exercise/i);
    const shot = await page.screenshot();
    const blank = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const empty = await blank.screenshot();
    await blank.close();
    expect(pngColours(empty)).toBe(1);
    expect(pngColours(shot)).toBeGreaterThan(20);
  });

  it('gives a slide’s notes to Reveal', async () => {
    await page.goto(`${base}notes/notes.html`);
    await page.waitForFunction(() => document.documentElement.dataset.labdeckReady === 'true');
    const talking = await reveal<number>('R.getSlides().findIndex((s) => s.textContent.includes("Talking points"))');
    await reveal(`R.slide(${talking})`);
    expect(await reveal<string>('R.getSlideNotes()')).toContain('Mention the <em>loopback</em> interface.');
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('loopback');
  });
});
