import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { presentHarness } from './harness.ts';

/** Chromium on a busy 2-core machine: give the page time to catch up. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });

/** The slide Reveal shows in one of the speaker view's frames (`current` or `upcoming`). */
async function frameSlide(popup: Page, which: 'current' | 'upcoming'): Promise<string | null> {
  const frame = popup.frames().find((f) => f.url().includes(which === 'current' ? 'postMessageEvents=true' : 'controls=false'));
  if (!frame) return null;
  return frame.evaluate(() => (window as any).Reveal?.getCurrentSlide()?.getAttribute('data-slide-id') ?? null).catch(() => null);
}

let h: Awaited<ReturnType<typeof presentHarness>>;
beforeAll(async () => {
  h = await presentHarness();
}, 60_000);
afterAll(async () => h?.close());

describe('presenter view', () => {
  it('S opens the speaker view with the notes, the next slide, elapsed time and pacing', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(h.deckUrl('?present#/plain-slide'));
    await page.waitForSelector('html[data-labdeck-ready="true"]');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
    await popup.waitForLoadState();
    // Author's notes and the chapter's pacing line.
    await poll(() => popup.textContent('.speaker-controls-notes')).toContain('Say hello to the room.');
    const notes = await popup.textContent('.speaker-controls-notes');
    expect(notes).toMatch(/Chapter “Chapter one”: \d+ min planned/);
    // Current and next slide frames show the deck at this slide and the one after.
    await poll(() => frameSlide(popup, 'upcoming')).toBe('en/one.md:3');
    await poll(() => frameSlide(popup, 'current')).toBe('plain-slide');
    // Elapsed time, and Reveal's pacing timer, which only appears when slides carry timings.
    expect(await popup.isVisible('.speaker-controls-time .timer')).toBe(true);
    await poll(() => popup.isVisible('.speaker-controls-time .pacing')).toBe(true);
    // The speaker view follows the main window.
    await page.keyboard.press('ArrowRight');
    await poll(() => frameSlide(popup, 'current')).toBe('en/one.md:3');
    await popup.close();
    await page.close();
  });

  it('keeps its frames on the presenter’s slide when extra details are hidden after it opened', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(h.deckUrl('?present#/plain-slide'));
    await page.waitForSelector('html[data-labdeck-ready="true"]');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
    await poll(() => frameSlide(popup, 'current')).toBe('plain-slide');
    await page.keyboard.press('x');
    // Past the hidden extra of chapter one: same slide in the main window and the frames.
    await page.evaluate(() => (window as any).Reveal.slide(8));
    const here = await page.evaluate(() => (window as any).Reveal.getCurrentSlide().getAttribute('data-slide-id'));
    expect(here).toBe('en/two.md:1');
    await poll(() => frameSlide(popup, 'current')).toBe('en/two.md:1');
    await poll(() => frameSlide(popup, 'upcoming')).toBe('lab-slide');
    await popup.close();
    await page.close();
  });

  it('sends the main window only the presenter’s own moves in the speaker window, never the frames’ echoes of the main window', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1280, height: 720 } });
    // What the current frame posts to the speaker window (Reveal's events, each with its state).
    await page.context().addInitScript(() => {
      if (!/postMessageEvents=true/.test(location.search)) return;
      const posted: string[] = ((window as any).__posted = []);
      const speaker = window.parent;
      const post = speaker.postMessage.bind(speaker);
      speaker.postMessage = ((message: string, target: string) => {
        const data = JSON.parse(message);
        if (data.namespace === 'reveal') posted.push(data.eventName);
        return post(message, target);
      }) as typeof speaker.postMessage;
    });
    await page.goto(h.deckUrl('?present#/plain-slide'));
    await page.waitForSelector('html[data-labdeck-ready="true"]');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
    await poll(() => frameSlide(popup, 'current')).toBe('plain-slide');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('x');
    await page.evaluate(() => (window as any).Reveal.slide(8));
    await poll(() => frameSlide(popup, 'current')).toBe('en/two.md:1');
    const frame = () => popup.frames().find((f) => f.url().includes('postMessageEvents=true'))!;
    const moves = (events: string[]) => events.filter((e) => !['ready', 'callback', 'resize', 'sync', 'beforeslidechange'].includes(e));
    // The frame started on the main window's slide and followed it three times: nothing to send back.
    expect(moves(await frame().evaluate(() => (window as any).__posted))).toEqual([]);
    expect(await page.evaluate(() => (window as any).Reveal.getCurrentSlide().getAttribute('data-slide-id'))).toBe('en/two.md:1');
    // The presenter moves in the speaker window: that move reaches the main window.
    await popup.keyboard.press('ArrowRight');
    await poll(() => page.evaluate(() => (window as any).Reveal.getCurrentSlide().getAttribute('data-slide-id'))).toBe('lab-slide');
    expect(moves(await frame().evaluate(() => (window as any).__posted))).toEqual(['slidechanged']);
    await popup.close();
    await page.close();
  });

  it('shows the chapter pace live: moving through the plan faster than planned is ahead', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(h.deckUrl('?present#/toc-chapter-one'));
    await page.waitForSelector('html[data-labdeck-ready="true"]');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
    await poll(() => popup.textContent('.speaker-controls-notes')).toContain('Chapter pace: on time');
    // Three slides (3.25 planned minutes) in a few seconds.
    await page.evaluate(() => (window as any).Reveal.slide(6));
    await poll(() => popup.textContent('.speaker-controls-notes')).toContain('Chapter pace: 3 min ahead');
    await popup.close();
    await page.close();
  });
});
