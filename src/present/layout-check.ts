import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import { buildSite } from '../build/site.ts';
import { startServer } from '../server/serve.ts';
import { launchChromium } from '../shared/browser.ts';
import { layoutDiagnostics, type Frame, type SlideMeasure } from './layout.ts';

export interface LayoutReport {
  /** False when the deck did not build. */
  built: boolean;
  diagnostics: Diagnostic[];
  slides: number;
}

/**
 * Builds the deck, opens it in headless Chromium at its native 1600×900 size and visits every
 * slide with all its steps shown, measuring what overflows.
 */
export async function checkLayout(manifest: string, onProgress?: (done: number, total: number) => void): Promise<LayoutReport> {
  const work = mkdtempSync(join(tmpdir(), 'labdeck-layout-'));
  const browser = await launchChromium().catch((e) => {
    rmSync(work, { recursive: true, force: true });
    throw e;
  });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const report = await buildSite({ manifests: [manifest], outDir: join(work, 'site') });
    if (!report.ok) return { built: false, diagnostics: report.diagnostics, slides: 0 };
    const deck = report.course.decks[0]!;
    server = await startServer({ root: join(work, 'site'), port: 0 });
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${server.url}${basename(report.summaries[0]!.href)}`);
    await page.waitForSelector('html[data-labdeck-ready="true"]', { state: 'attached' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    // Images wait for their slide to come near (Reveal's data-src): measuring needs them all.
    await page.evaluate(() =>
      Promise.all(
        Array.from(document.querySelectorAll('img[data-src]')).map(
          (img) =>
            new Promise((done) => {
              img.addEventListener('load', done, { once: true });
              img.addEventListener('error', done, { once: true });
              img.setAttribute('src', img.getAttribute('data-src')!);
              img.removeAttribute('data-src');
            }),
        ),
      ),
    );
    const frame = await page.evaluate(() => {
      const c = (window as unknown as { Reveal: { getConfig: () => { width: number; height: number } } }).Reveal.getConfig();
      return { width: c.width, height: c.height } as Frame;
    });
    const total = await page.evaluate(() => (window as unknown as { Reveal: { getTotalSlides: () => number } }).Reveal.getTotalSlides());
    const measures: SlideMeasure[] = [];
    const BATCH = 50;
    for (let from = 0; from < total; from += BATCH) {
      measures.push(...(await page.evaluate(measureSlides, { from, to: Math.min(total, from + BATCH) })));
      onProgress?.(Math.min(total, from + BATCH), total);
    }
    return { built: true, diagnostics: layoutDiagnostics(deck, measures, frame), slides: total };
  } finally {
    await browser.close().catch(() => {});
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs in the page: lay out each slide and measure it. */
function measureSlides({ from, to }: { from: number; to: number }): SlideMeasure[] {
  type R = { getSlides: () => HTMLElement[] };
  const reveal = (window as unknown as { Reveal: R }).Reveal;
  const slides = reveal.getSlides();
  const out: SlideMeasure[] = [];
  for (let h = from; h < to; h++) {
    // Laid out in place rather than navigated to: Reveal's navigation costs O(slides) per move.
    // Hidden steps keep their space (fragments only change opacity), so the measure holds for all.
    const s = slides[h]!;
    const display = s.style.display;
    s.style.display = 'block';
    const title = s.querySelector(':scope > h1, :scope > h2, :scope > h3') as HTMLElement | null;
    let titleLines = 0;
    if (title) {
      const style = getComputedStyle(title);
      const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
      titleLines = Math.round(title.clientHeight / line) || 1;
    }
    const pres = Array.from(s.querySelectorAll('pre'));
    // Where the content ends, padding left out: text running into the bottom padding is still
    // on screen. offsetTop/Height ignore Reveal's scaling transform.
    let bottom = 0;
    let right = 0;
    for (const child of Array.from(s.children) as HTMLElement[]) {
      if (child.matches('aside.notes') || child.offsetParent !== s) continue;
      bottom = Math.max(bottom, child.offsetTop + child.offsetHeight);
      right = Math.max(right, child.offsetLeft + child.offsetWidth);
    }
    out.push({
      id: s.getAttribute('data-slide-id') ?? String(h),
      height: bottom,
      width: right,
      titleLines,
      wideCode: pres.map((p, i) => (p.scrollWidth > p.clientWidth + 1 ? i : -1)).filter((i) => i >= 0),
    });
    s.style.display = display;
  }
  return out;
}
