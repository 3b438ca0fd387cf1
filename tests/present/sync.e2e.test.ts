import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { presentHarness } from './harness.ts';

/** Chromium on a busy 2-core machine: give the page time to catch up. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });

// Served as on the room's network: the presenter's token drives, the audience's opens pages and follows.
const PRESENTER = 'presenter-secret-42';
const AUDIENCE = 'audience-secret-42';
let h: Awaited<ReturnType<typeof presentHarness>>;
beforeAll(async () => {
  h = await presentHarness({ presenterToken: PRESENTER, audienceToken: AUDIENCE });
}, 60_000);
afterAll(async () => h?.close());

const open = (url: string): Promise<Page> => h.open(url);
/** Presenter moves to a slide by id, the way a click or a key would. */
const go = (page: Page, id: string) =>
  page.evaluate((target) => {
    const reveal = (window as any).Reveal;
    reveal.slide(reveal.getSlides().findIndex((s: Element) => s.getAttribute('data-slide-id') === target));
  }, id);
const currentId = (page: Page) => page.evaluate(() => (window as any).Reveal.getCurrentSlide().getAttribute('data-slide-id'));
/** Records every slide a page moves to from now on (`moves` reads them). */
const track = (page: Page) =>
  page.evaluate(() => {
    const w = window as any;
    w.__moves = [];
    w.Reveal.on('slidechanged', (e: any) => w.__moves.push(e.currentSlide.getAttribute('data-slide-id')));
  });
const moves = (page: Page): Promise<string[]> => page.evaluate(() => (window as any).__moves);

describe('screens follow the presenter through labdeck serve', () => {
  it('a follower page goes where the presenter goes, steps and extra-details toggle included', async () => {
    const presenter = await open(h.deckUrl(`?present&token=${PRESENTER}`));
    await presenter.waitForSelector('html[data-labdeck-sync-connected="true"]');
    const follower = await open(h.deckUrl(`?follow&token=${AUDIENCE}`));
    await follower.waitForSelector('html[data-labdeck-sync-connected="true"]');

    await go(presenter, 'en/one.md:3');
    await poll(() => currentId(follower)).toBe('en/one.md:3');
    // The code slide has a `--` step: the follower shows it when the presenter does.
    await presenter.keyboard.press('ArrowRight');
    await poll(() => follower.evaluate(() => (window as any).Reveal.getIndices().f)).toBe(0);
    await presenter.keyboard.press('x');
    await poll(() => follower.locator('.slides > section.extra-details').count()).toBe(0);
    await go(presenter, 'lab-slide');
    await poll(() => currentId(follower)).toBe('lab-slide');

    // A screen that joins late lands on the presenter's slide.
    const late = await open(h.deckUrl(`?follow&token=${AUDIENCE}`));
    await poll(() => currentId(late)).toBe(await currentId(presenter));
    expect(await late.locator('.slides > section.extra-details').count()).toBe(0);
    // A screen showing one chapter follows by slide, not by position.
    const chapter = await open(h.deckUrl(`?follow&chapter=toc-chapter-two&token=${AUDIENCE}`));
    await poll(() => currentId(chapter)).toBe('lab-slide');
    await go(presenter, 'last-slide');
    await poll(() => currentId(chapter)).toBe('last-slide');
    await Promise.all([presenter.close(), follower.close(), late.close(), chapter.close()]);
  });

  it('cleans the token out of the address bar: the first link sets a cookie', async () => {
    const follower = await open(h.deckUrl(`?follow&chapter=toc-chapter-two&token=${AUDIENCE}#/lab-slide`));
    await follower.waitForSelector('html[data-labdeck-sync-connected="true"]');
    // From here on the page itself rewrites its URL as it follows (slide, extra details): no token in it.
    const url = new URL(follower.url());
    expect([url.searchParams.has('token'), url.searchParams.has('follow'), url.searchParams.get('chapter')]).toEqual([false, true, 'toc-chapter-two']);
    await follower.close();
  });

  it('refuses a wrong token: the page is not even served', async () => {
    const page = await h.browser.newPage();
    const response = await page.goto(h.deckUrl('?follow&token=wrong'));
    expect(response?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('wrong token');
    expect((await page.goto(h.deckUrl('?follow')))?.status()).toBe(401);
    await page.close();
  });

  it('the audience cannot drive the screens: its token opens the page, not the presenter role', async () => {
    const presenter = await open(h.deckUrl(`?present&token=${PRESENTER}`));
    await presenter.waitForSelector('html[data-labdeck-sync-connected="true"]');
    const follower = await open(h.deckUrl(`?follow&token=${AUDIENCE}`));
    await follower.waitForSelector('html[data-labdeck-sync-connected="true"]');
    await poll(() => currentId(follower)).toBe(await currentId(presenter));
    // An audience member opens the presenter's view with the audience token: the page, but no sync.
    const rogue = await open(h.deckUrl(`?present&token=${AUDIENCE}`));
    await rogue.waitForSelector('html[data-labdeck-sync-refused="true"]');
    await poll(() => rogue.textContent('.ld-toast')).toContain('wrong token');
    // The rogue moves first, the real presenter next; the follower goes where the presenter went
    // and never where the rogue did.
    await track(follower);
    await go(rogue, 'toc-part-1');
    await go(presenter, 'lab-slide');
    await poll(() => currentId(follower)).toBe('lab-slide');
    expect(await moves(follower)).toEqual(['lab-slide']);
    await Promise.all([presenter.close(), follower.close(), rogue.close()]);
  });
});
