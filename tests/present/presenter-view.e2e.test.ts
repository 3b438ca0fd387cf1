import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentHarness } from './harness.ts';

/** Chromium on a busy 2-core machine: give the page time to catch up. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });

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
    const next = popup.frameLocator('.speaker-controls-upcoming-slide iframe, #upcoming-slide iframe');
    await poll(() => next.locator('.present[data-slide-id]').first().getAttribute('data-slide-id')).toBe('en/one.md:3');
    const current = popup.frameLocator('#current-slide iframe');
    await poll(() => current.locator('.present[data-slide-id]').first().getAttribute('data-slide-id')).toBe('plain-slide');
    // Elapsed time, and Reveal's pacing timer, which only appears when slides carry timings.
    expect(await popup.isVisible('.speaker-controls-time .timer')).toBe(true);
    await poll(() => popup.isVisible('.speaker-controls-time .pacing')).toBe(true);
    // The speaker view follows the main window.
    await page.keyboard.press('ArrowRight');
    await poll(() => current.locator('.present[data-slide-id]').first().getAttribute('data-slide-id')).toBe('en/one.md:3');
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
