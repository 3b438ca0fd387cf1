import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's Chromium; `LABDECK_CHROMIUM` points elsewhere (read at each launch). */
export const chromiumPath = (): string => process.env.LABDECK_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export class BrowserMissingError extends Error {
  readonly hint = 'install it with: apt-get install -y chromium (or set LABDECK_CHROMIUM to a Chromium binary)';
}

/** Headless Chromium for export and layout checks; playwright's own browser download is not used. */
export async function launchChromium(): Promise<Browser> {
  const path = chromiumPath();
  if (!existsSync(path)) throw new BrowserMissingError(`Chromium not found at ${path}`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: path, args: CHROMIUM_FLAGS, headless: true });
}
