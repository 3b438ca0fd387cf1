/**
 * First slide of a 2,400-slide deck: the largest deck of the container.training-shaped course
 * (scripts/corpus-container-training.ts) as labdeck builds it, and as markmaker's page shows it
 * with remark.js 0.14 (the remark-slide package, MIT, a dev dependency), both served from
 * loopback by labdeck's static server and opened in the same headless Chromium, rounds alternating,
 * each in a fresh browser context (empty cache).
 * "First slide visible": the first moment, checked every animation frame from navigation start,
 * when the current slide is laid out on screen (Reveal: `.reveal.ready section.present`; remark:
 * `.remark-visible .remark-slide-content`) with a non-empty box.
 * Goal (issue 14): labdeck ≤ 0.25× remark.js.
 * With LABDECK_CONTAINER_TRAINING=/path/to/container.training, the same for the checkout's
 * kube-selfpaced, with its own remark-0.14.min.js.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../src/shared/browser.ts';
import { serveStatic } from '../src/server/serve-static.ts';
import { generateContainerTrainingCorpus, LARGEST_DECK, WORKSHOP_HTML } from './corpus-container-training.ts';
import { copyRealCourse, markmakerMissing, median, ms, npmRemark, runLabdeckBuild, runMarkmaker } from './course-runs.ts';

const ROUNDS = 5;

interface PageTiming {
  firstSlide: number;
  domContentLoaded: number;
  /** Images requested before the first slide showed. */
  images: number;
  requests: number;
  text: string;
}

/**
 * Runs in the page before its own scripts: notes the first frame where the slide is on screen.
 * A string, not a function: tsx's transform adds helpers to functions that the page lacks.
 */
const probe = (kind: 'reveal' | 'remark') => `(() => {
  const selector = ${JSON.stringify(kind === 'reveal' ? '.reveal.ready .slides > section.present' : '.remark-visible .remark-slide-content')};
  const tick = () => {
    const el = document.querySelector(selector);
    const box = el && el.getBoundingClientRect();
    if (box && box.width > 0 && box.height > 0) {
      window.__firstSlide = performance.now();
      window.__firstSlideText = (el.textContent || '').trim().slice(0, 60);
    } else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

async function firstSlide(browser: Browser, url: string, kind: 'reveal' | 'remark'): Promise<PageTiming> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: probe(kind) });
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { __firstSlide?: number }).__firstSlide !== undefined, undefined, { timeout: 120_000, polling: 50 });
    return await page.evaluate(() => {
      const w = window as unknown as { __firstSlide: number; __firstSlideText: string };
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      return {
        firstSlide: w.__firstSlide,
        domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN,
        images: resources.filter((r) => r.initiatorType === 'img' && r.startTime < w.__firstSlide).length,
        requests: resources.filter((r) => r.startTime < w.__firstSlide).length,
        text: w.__firstSlideText,
      };
    });
  } finally {
    await context.close();
  }
}

async function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (!serveStatic(root, req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Builds both pages of `deck` and times them in the same browser, rounds alternating. */
async function compare(name: string, slidesDir: string, manifest: string, deck: string, work: string, remark: string | undefined, options: { lenient?: boolean; markmaker?: string }): Promise<string[]> {
  const site = join(work, 'site');
  runLabdeckBuild([manifest], site, { lenient: options.lenient });
  const lines: string[] = [];
  const missing = markmakerMissing();
  const withRemark = remark !== undefined && missing === undefined;
  if (withRemark) {
    runMarkmaker(slidesDir, [manifest], options.markmaker);
    copyFileSync(remark, join(slidesDir, 'remark.min.js'));
  } else lines.push(`note: remark.js row skipped: ${missing ?? 'remark.js 0.14 not found (npm ci installs remark-slide)'}`);
  const labdeckServer = await serve(site);
  const remarkServer = await serve(slidesDir);
  const browser = await launchChromium();
  const runs: { labdeck: PageTiming[]; remark: PageTiming[] } = { labdeck: [], remark: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      runs.labdeck.push(await firstSlide(browser, `${labdeckServer.url}${deck}.html`, 'reveal'));
      if (withRemark) runs.remark.push(await firstSlide(browser, `${remarkServer.url}${deck}.yml.html`, 'remark'));
    }
  } finally {
    await browser.close();
    labdeckServer.server.close();
    remarkServer.server.close();
  }
  const summary = (xs: PageTiming[]) =>
    `first slide ${ms(median(xs.map((x) => x.firstSlide)))} (runs ${xs.map((x) => ms(x.firstSlide)).join(', ')}), DOMContentLoaded ${ms(median(xs.map((x) => x.domContentLoaded)))}, ${median(xs.map((x) => x.requests))} requests of which ${median(xs.map((x) => x.images))} images before it; shows "${xs[0]!.text.replace(/\s+/g, ' ')}"`;
  lines.push(`${name}:`, `  labdeck:   ${summary(runs.labdeck)}`);
  if (withRemark) {
    lines.push(`  remark.js: ${summary(runs.remark)}`);
    const ratio = median(runs.labdeck.map((x) => x.firstSlide)) / median(runs.remark.map((x) => x.firstSlide));
    lines.push(`  ratio labdeck / remark.js: ${ratio.toFixed(2)} (goal ≤ 0.25: ${ratio <= 0.25 ? 'met' : 'MISSED'})`);
  }
  return lines;
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'labdeck-bench-page-'));
  try {
    const corpus = generateContainerTrainingCorpus(join(dir, 'generated'));
    const manifest = corpus.manifests.find((m) => m.endsWith(`/${LARGEST_DECK}.yml`))!;
    const lines = [`headless Chromium, 1280×720, fresh context per load, medians of ${ROUNDS} alternating rounds`];
    lines.push(...(await compare(`generated ${LARGEST_DECK}`, corpus.slidesDir, manifest, LARGEST_DECK, join(dir, 'generated'), npmRemark(), {})));
    const real = copyRealCourse(join(dir, 'real'));
    if (!real) lines.push('note: LABDECK_CONTAINER_TRAINING is not set: no run on a real container.training checkout');
    else {
      const realManifest = real.manifests.find((m) => m.endsWith('/kube-selfpaced.yml'));
      // The checkout's workshop.html imports mermaid from a CDN in a module script: offline, that
      // script never runs and remark never starts. Its remark.create() call is the same as ours.
      writeFileSync(join(real.slidesDir, 'workshop.html'), WORKSHOP_HTML);
      if (realManifest) lines.push(...(await compare('real kube-selfpaced (--lenient)', real.slidesDir, realManifest, 'kube-selfpaced', join(dir, 'real'), real.remark ?? npmRemark(), { lenient: true, markmaker: real.markmaker })));
    }
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
