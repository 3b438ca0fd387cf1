import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildSite } from '../../src/build/site.ts';
import { launchChromium } from '../../src/shared/browser.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { closeAll, openReady } from '../e2e/served-site.ts';

export const FIXTURE_MANIFEST = 'tests/present/fixtures/content/decks/present-en.yml';

/** The fixture deck built into a temporary folder, served on a free loopback port, and a Chromium. */
export async function presentHarness(options: { presenterToken?: string; audienceToken?: string; host?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'labdeck-present-'));
  const out = join(dir, 'site');
  const report = await buildSite({ manifests: [FIXTURE_MANIFEST], outDir: out });
  if (!report.ok) throw new Error(`fixture build failed: ${JSON.stringify(report.diagnostics)}`);
  const server: RunningServer = await startServer({ root: out, port: 0, ...options });
  const browser: Browser = await launchChromium();
  return {
    out,
    server,
    browser,
    deckUrl: (query = '') => `${server.url}present-en.html${query}`,
    /** A new 1280×720 page at `url`, once labdeck's client controllers are ready. */
    open: (url: string): Promise<Page> => openReady(browser, url),
    close: () => closeAll(browser, server, dir),
  };
}
