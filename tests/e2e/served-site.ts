import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildSite, type BuildReport } from '../../src/build/site.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { launchChromium } from '../../src/shared/browser.ts';

export interface ServedSite {
  /** A temporary folder of the test's own; the site is its `site/`. */
  dir: string;
  report: BuildReport;
  server: RunningServer;
  browser: Browser;
  /** A new 1280×720 page at this path of the site, once labdeck's controllers are ready. */
  open: (path: string) => Promise<Page>;
  close: () => Promise<void>;
}

/** These decks built into a temporary folder, served on a free loopback port, and a Chromium. */
export async function servedSite(manifests: string[]): Promise<ServedSite> {
  const dir = mkdtempSync(join(tmpdir(), 'labdeck-e2e-'));
  const report = await buildSite({ manifests, outDir: join(dir, 'site') });
  expect(report.ok).toBe(true);
  const server = await startServer({ root: join(dir, 'site'), port: 0 });
  const browser = await launchChromium();
  return {
    dir,
    report,
    server,
    browser,
    open: (path) => openReady(browser, `${server.url}${path}`),
    close: () => closeAll(browser, server, dir),
  };
}

/** A new 1280×720 page at `url`, once labdeck's client controllers are ready. */
export async function openReady(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(url);
  await page.waitForSelector('html[data-labdeck-ready="true"]');
  return page;
}

/** The browser, then the server, then the temporary folder. */
export async function closeAll(browser: Browser, server: RunningServer, dir: string): Promise<void> {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
