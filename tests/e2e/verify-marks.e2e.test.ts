import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/site.ts';
import { launchChromium } from '../../src/shared/browser.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { readReport } from '../../src/verify/report/read.ts';
import { labdeck } from '../cli/run.ts';
import { COURSE_DECKS } from '../verify/course-fixture.ts';

/**
 * The verification marks in Chromium: a real report of the fixture course (real tmux), the decks
 * built with it, served on loopback. The audience sees a discreet mark, or none with ?verify=0;
 * the speaker view always shows it, and its notes hold the screen of the failing step.
 * Screenshots go to $LABDECK_SCREENSHOTS when set, to look at them.
 */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });
const SHOTS = process.env.LABDECK_SCREENSHOTS;

let dir = '';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labdeck-marks-e2e-'));
  const reportFile = join(dir, 'report.jsonl');
  const run = await labdeck('verify', ...COURSE_DECKS, '--json', reportFile, '--history', '0');
  expect(run.code, run.stderr).toBe(1);
  const report = readReport(reportFile);
  if (!report.ok) throw new Error(report.diagnostic.message);
  const built = await buildSite({ manifests: COURSE_DECKS, outDir: join(dir, 'site'), verifyReports: [report.report] });
  expect(built.ok).toBe(true);
  server = await startServer({ root: join(dir, 'site'), port: 0 });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(server.url + path);
  await page.waitForSelector('html[data-labdeck-ready="true"]');
  return page;
}

const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
};

describe('verification marks in the browser', () => {
  it('the audience sees a discreet mark on each lab slide: its state and date, the detail on hover', async () => {
    const page = await open('labs-en.html#/list-a-folder-that-is-not-there');
    const mark = page.locator('section.present .ld-verified');
    await poll(() => mark.isVisible()).toBe(true);
    expect(await page.locator('section.present').getAttribute('data-verified')).toBe('fail');
    expect(await mark.locator('.ld-verified-headline').textContent()).toMatch(/^Lab failed on /);
    // Discreet: one short line; the step and its error when pointed at.
    const detail = mark.locator('.ld-verified-detail');
    expect(await detail.isVisible()).toBe(false);
    const box = (await mark.boundingBox())!;
    expect(box.height).toBeLessThan(30);
    await shot(page, 'marks-en-fail');
    await mark.hover();
    await poll(() => detail.isVisible()).toBe(true);
    expect(await detail.textContent()).toBe("$ ls /labdeck-no-such-folder: ls: cannot access '/labdeck-no-such-folder': No such file or directory");
    // Not over Reveal's arrows.
    const controls = (await page.locator('.reveal .controls').boundingBox())!;
    const m = (await mark.boundingBox())!;
    expect(m.x + m.width <= controls.x || m.y + m.height <= controls.y).toBe(true);
    await page.close();
  });

  it('?verify=0 hides the marks from the audience', async () => {
    const page = await open('labs-fr.html?verify=0#/lister-un-dossier-absent');
    expect(await page.locator('section.present').getAttribute('data-verified')).toBe('fail');
    expect(await page.locator('section.present .ld-verified').isVisible()).toBe(false);
    await page.close();
  });

  it('the speaker view shows the mark with its detail, even with ?verify=0, and the screen of the failing step in the notes', async () => {
    for (const [deck, slide, screen, lang] of [
      ['labs-en', 'list-a-folder-that-is-not-there', 'Screen when the step failed (en/labs.md:31)', 'en'],
      ['labs-fr', 'lister-un-dossier-absent', 'Écran au moment de l’échec (fr/labs.md:31)', 'fr'],
    ] as const) {
      const page = await open(`${deck}.html?verify=0#/${slide}`);
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
      await popup.setViewportSize({ width: 1400, height: 900 });
      await poll(() => popup.textContent('.speaker-controls-notes')).toContain(screen);
      const notes = (await popup.textContent('.speaker-controls-notes'))!;
      expect(notes).toContain('$ ls /labdeck-no-such-folder\nls: cannot access');
      expect(notes).toMatch(lang === 'en' ? /Lab failed on / : /Exercice en échec le /);
      // The speaker view's own copy of the slide: the mark and its detail, though the audience's page says ?verify=0.
      const current = popup.frames().find((f) => f.url().includes('postMessageEvents=true'))!;
      await poll(() => current.locator('section.present .ld-verified-detail').isVisible().catch(() => false)).toBe(true);
      if (SHOTS) await popup.screenshot({ path: join(SHOTS, `marks-${lang}-speaker.png`) });
      await popup.close();
      await page.close();
    }
  });

  it('a passing lab and the site index', async () => {
    const page = await open('labs-fr.html#/dire-bonjour');
    await poll(() => page.locator('section.present .ld-verified').isVisible()).toBe(true);
    expect(await page.locator('section.present .ld-verified-headline').textContent()).toMatch(/^Exercice vérifié le /);
    await shot(page, 'marks-fr-pass');
    await page.goto(server.url + 'index.html');
    expect(await page.locator('li[data-deck="labs-fr"] .deck-verified').textContent()).toMatch(/^exercices en échec : 1 sur 4, vérifiés /);
    expect(await page.locator('li[data-deck="more-en"] .deck-verified').getAttribute('data-verified')).toBe('pass');
    await shot(page, 'marks-index');
    await page.close();
  });
});
