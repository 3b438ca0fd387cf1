import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { presentHarness } from './harness.ts';

/** Chromium on a busy 2-core machine: give the page time to catch up. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });

// Served as on the room's network: every sync connection needs the token.
const TOKEN = 'room-secret-42';
let h: Awaited<ReturnType<typeof presentHarness>>;
beforeAll(async () => {
  h = await presentHarness({ token: TOKEN });
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
    const presenter = await open(h.deckUrl(`?present&token=${TOKEN}`));
    await presenter.waitForSelector('html[data-labdeck-sync-connected="true"]');
    const follower = await open(h.deckUrl(`?follow&token=${TOKEN}`));
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
    const late = await open(h.deckUrl(`?follow&token=${TOKEN}`));
    await poll(() => currentId(late)).toBe(await currentId(presenter));
    expect(await late.locator('.slides > section.extra-details').count()).toBe(0);
    // A screen showing one chapter follows by slide, not by position.
    const chapter = await open(h.deckUrl(`?follow&chapter=toc-chapter-two&token=${TOKEN}`));
    await poll(() => currentId(chapter)).toBe('lab-slide');
    await go(presenter, 'last-slide');
    await poll(() => currentId(chapter)).toBe('last-slide');
    await Promise.all([presenter.close(), follower.close(), late.close(), chapter.close()]);
  });

  it('refuses a wrong token: the page never follows and says why', async () => {
    const presenter = await open(h.deckUrl(`?present&token=${TOKEN}`));
    await presenter.waitForSelector('html[data-labdeck-sync-connected="true"]');
    const intruder = await open(h.deckUrl('?follow&token=wrong'));
    await intruder.waitForSelector('html[data-labdeck-sync-refused="true"]');
    await poll(() => intruder.textContent('.ld-toast')).toContain('wrong token');
    expect(h.server.followerCount('present-en')).toBe(0);
    // A screen with the right token witnesses the move: once it has arrived, the relay has sent
    // it to every follower it has, and the intruder must not have moved.
    const follower = await open(h.deckUrl(`?follow&token=${TOKEN}`));
    await follower.waitForSelector('html[data-labdeck-sync-connected="true"]');
    await track(intruder);
    await go(presenter, 'last-slide');
    await poll(() => currentId(follower)).toBe('last-slide');
    expect(await moves(intruder)).toEqual([]);
    expect(h.server.followerCount('present-en')).toBe(1);

    // A presenter with a wrong token cannot steer anyone either: the rogue moves first, the real
    // presenter next; the follower goes where the presenter went and never where the rogue did.
    const rogue = await open(h.deckUrl('?present&token=nope'));
    await rogue.waitForSelector('html[data-labdeck-sync-refused="true"]');
    await track(follower);
    await go(rogue, 'toc-part-1');
    await go(presenter, 'lab-slide');
    await poll(() => currentId(follower)).toBe('lab-slide');
    expect(await moves(follower)).toEqual(['lab-slide']);
    await Promise.all([presenter.close(), intruder.close(), follower.close(), rogue.close()]);
  });
});
