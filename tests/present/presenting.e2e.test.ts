import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { presentHarness } from './harness.ts';

/** Chromium on a busy 2-core machine: give the page time to catch up. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });

let h: Awaited<ReturnType<typeof presentHarness>>;
beforeAll(async () => {
  h = await presentHarness();
}, 60_000);
afterAll(async () => h?.close());

const open = (url: string): Promise<Page> => h.open(url);

const slideIds = (page: Page) =>
  page.evaluate(() => (window as any).Reveal.getSlides().map((s: Element) => s.getAttribute('data-slide-id')));
const currentId = (page: Page) => page.evaluate(() => (window as any).Reveal.getCurrentSlide().getAttribute('data-slide-id'));

describe('extra details on demand', () => {
  it('X removes the extra-details slides and restores them, keeping the slide and its number', async () => {
    const page = await open(h.deckUrl('#/plain-slide'));
    const all = await slideIds(page);
    expect(all).toHaveLength(13);
    expect(await currentId(page)).toBe('plain-slide');
    const numberBefore = await page.textContent('.slide-number');

    await page.keyboard.press('x');
    const without = await slideIds(page);
    expect(without).toHaveLength(11);
    expect(without).not.toContain('en/one.md:4');
    expect(await page.locator('.slides > section.extra-details').count()).toBe(0);
    expect(await currentId(page)).toBe('plain-slide');
    expect(await page.textContent('.slide-number')).toBe(numberBefore);
    expect(new URL(page.url()).searchParams.get('extra')).toBe('0');

    await page.keyboard.press('x');
    expect(await slideIds(page)).toEqual(all);
    expect(new URL(page.url()).searchParams.get('extra')).toBe('1');
    await page.close();
  });

  it('?extra=0 hides them from the start; audience numbers keep their build-time value', async () => {
    const page = await open(h.deckUrl('?extra=0#/last-slide'));
    const ids = await slideIds(page);
    expect(ids).toHaveLength(11);
    expect(await currentId(page)).toBe('last-slide');
    // last-slide is slide 13 of the full deck: still called 13 with two extras hidden.
    expect((await page.textContent('.slide-number'))?.trim()).toBe('13');
    // Stepping back from the slide after a hidden extra skips it.
    await page.keyboard.press('ArrowLeft');
    expect(await currentId(page)).toBe('lab-slide');
    await page.close();
  });
});

describe('search', () => {
  it('/ opens a search box; Enter goes to each slide containing the text, accents and case ignored', async () => {
    const page = await open(h.deckUrl());
    await page.keyboard.press('/');
    await poll(() => page.isVisible('.ld-search input')).toBe(true);
    await page.keyboard.type('EXTRA DETAIL');
    await page.keyboard.press('Enter');
    expect(await currentId(page)).toBe('en/one.md:4');
    expect(await page.textContent('.ld-search-status')).toBe('1/2');
    await page.keyboard.press('Enter');
    expect(await currentId(page)).toBe('en/two.md:3');
    await page.keyboard.press('Shift+Enter');
    expect(await currentId(page)).toBe('en/one.md:4');
    // Notes are not searched.
    await page.fill('.ld-search input', 'say hello');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('.ld-search', 'data-results')).toBe('0');
    await page.keyboard.press('Escape');
    expect(await page.isVisible('.ld-search')).toBe(false);
    await page.close();
  });
});

describe('chapter view', () => {
  it('?chapter= keeps the deck title slide and one chapter, in the deck page with its title and language', async () => {
    const page = await open(h.deckUrl('?chapter=toc-chapter-two'));
    expect(await slideIds(page)).toEqual(['en/title.md:1', 'toc-chapter-two', 'en/two.md:1', 'lab-slide', 'en/two.md:3', 'last-slide']);
    expect(await currentId(page)).toBe('toc-chapter-two');
    expect(await page.title()).toBe('Chapter two · Presenting fixture');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.close();
    // A deep link into the chapter, with extra details hidden.
    const linked = await open(h.deckUrl('?chapter=toc-chapter-two&extra=0#/last-slide'));
    expect(await slideIds(linked)).toEqual(['en/title.md:1', 'toc-chapter-two', 'en/two.md:1', 'lab-slide', 'last-slide']);
    expect(await currentId(linked)).toBe('last-slide');
    expect((await linked.textContent('.slide-number'))?.trim()).toBe('13');
    await linked.close();
  });
});

describe('pacing on the page', () => {
  it('gives every slide a planned time, adds durations to the table of contents and a pacing line to the notes', async () => {
    const page = await open(h.deckUrl());
    const timings = await page.$$eval('.slides > section', (s) => s.map((x) => Number(x.getAttribute('data-timing'))));
    expect(timings.every((t) => t > 0)).toBe(true);
    const lab = await page.getAttribute('section[data-slide-id="lab-slide"]', 'data-timing');
    expect(lab).toBe(String(6 * 60)); // `pacing: lab: 6` in the manifest
    const toc = await page.textContent('section.toc');
    expect(toc).toMatch(/Chapter one · \d+ min/);
    const note = await page.textContent('section[data-slide-id="plain-slide"] aside.notes .ld-pacing-note');
    expect(note).toMatch(/^Chapter “Chapter one”: \d+ min planned, \d+ min before this slide$/);
    await page.close();
  });
});
