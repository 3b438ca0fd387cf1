import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/shared/browser.ts';
import { packDeck } from '../../src/present/pack.ts';
import { FIXTURE_MANIFEST } from './harness.ts';

/** Chromium on a busy 2-core machine: give the page time to catch up. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });

const dir = mkdtempSync(join(tmpdir(), 'labdeck-pack-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('labdeck pack', () => {
  it('zips a deck that presents from the disk with no network request, speaker view included', async () => {
    const zip = join(dir, 'deck.zip');
    const result = await packDeck(FIXTURE_MANIFEST, zip);
    expect(result.ok).toBe(true);
    execFileSync('unzip', ['-q', zip, '-d', join(dir, 'unzipped')]);
    const page = join(dir, 'unzipped', 'present-en', 'present-en.html');
    expect(existsSync(page)).toBe(true);

    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const remote: string[] = [];
      context.on('request', (r) => {
        if (!/^(file|about|data|blob):/.test(r.url())) remote.push(r.url());
      });
      const tab = await context.newPage();
      await tab.goto(`${pathToFileURL(page).href}#/plain-slide`);
      await tab.waitForSelector('html[data-labdeck-ready="true"]');
      expect(await tab.evaluate(() => (window as any).Reveal.getTotalSlides())).toBe(13);
      await tab.keyboard.press('x');
      expect(await tab.evaluate(() => (window as any).Reveal.getTotalSlides())).toBe(11);
      const [popup] = await Promise.all([tab.waitForEvent('popup'), tab.keyboard.press('s')]);
      await poll(() => popup.textContent('.speaker-controls-notes')).toContain('Say hello to the room.');
      expect(remote).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('leaves nothing behind when the zip cannot be written', async () => {
    const blocker = join(dir, 'file');
    execFileSync('touch', [blocker]);
    await expect(packDeck(FIXTURE_MANIFEST, join(blocker, 'deck.zip'))).rejects.toThrow();
    expect(existsSync(join(blocker, 'deck.zip'))).toBe(false);
  }, 60_000);
});
