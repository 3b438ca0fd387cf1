import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import { buildSite } from '../build/site.ts';
import { startServer } from '../server/serve.ts';
import { slidesWithInsertions } from '../render/deck.ts';
import { launchChromium } from '../shared/browser.ts';
import { layoutDiagnostics, type Frame, type SlideMeasure } from './layout.ts';

/**
 * The window the deck is checked in: a 720p projector, the smallest screen in common use, where
 * the page's fixed-size controls take the largest share of the slide.
 */
export const CHECK_VIEWPORT = { width: 1280, height: 720 };

export interface LayoutReport {
  /** False when the deck did not build. */
  built: boolean;
  diagnostics: Diagnostic[];
  slides: number;
}

/**
 * Builds the deck (English stand-ins included), opens it in headless Chromium and lays out every
 * slide with all its steps shown, measuring on Reveal's 1600×900 canvas what overflows, and on
 * screen what the page's marks and controls cover.
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
    const page = await browser.newPage({ viewport: CHECK_VIEWPORT });
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
    // The measuring function runs in the page as its source text; compiled with names kept
    // (tsx, esbuild), its inner functions call a `__name` helper the page must have.
    await page.evaluate('window.__name = window.__name || function (f) { return f; }');
    const total = await page.evaluate(() => (window as unknown as { Reveal: { getTotalSlides: () => number } }).Reveal.getTotalSlides());
    const measures: SlideMeasure[] = [];
    const BATCH = 50;
    for (let from = 0; from < total; from += BATCH) {
      measures.push(...(await page.evaluate(measureSlides, { from, to: Math.min(total, from + BATCH) })));
      onProgress?.(Math.min(total, from + BATCH), total);
    }
    const presented = slidesWithInsertions(deck, report.annotations.get(deck.id));
    return { built: true, diagnostics: layoutDiagnostics(deck, measures, frame, presented), slides: total };
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
  const rect = (r: DOMRect) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
  const meets = (a: ReturnType<typeof rect>, b: ReturnType<typeof rect>) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const shown = (e: Element) => {
    const style = getComputedStyle(e);
    return style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0;
  };
  // The page's own controls, fixed on screen whatever the slide.
  const controls: { by: string; box: ReturnType<typeof rect> }[] = [];
  const add = (selector: string, by: string) =>
    document.querySelectorAll(selector).forEach((e) => {
      if (shown(e)) controls.push({ by, box: rect(e.getBoundingClientRect()) });
    });
  add('.ld-banner', 'the banner');
  add('.ld-lang-switch', 'the language button');
  add('.reveal .slide-number', 'the slide number');
  add('.reveal .controls .navigate-left, .reveal .controls .navigate-right', 'an arrow');
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
    const wrappedCode = pres
      .map((p, block) => {
        const line = parseFloat(getComputedStyle(p.querySelector('code') ?? p).lineHeight);
        const lines = Array.from(p.querySelectorAll('code .line')).filter((l) => (l as HTMLElement).offsetHeight > line * 1.5).length;
        return { block, lines };
      })
      .filter((w) => w.lines > 0);
    // Where the content ends, padding left out: text running into the bottom padding is still
    // on screen. offsetTop/Height ignore Reveal's scaling transform.
    let bottom = 0;
    let right = 0;
    for (const child of Array.from(s.children) as HTMLElement[]) {
      if (child.matches('aside.notes') || child.offsetParent !== s) continue;
      bottom = Math.max(bottom, child.offsetTop + child.offsetHeight);
      right = Math.max(right, child.offsetLeft + child.offsetWidth);
    }
    // What is drawn over text: the slide's marks and the page's controls (a corner of a full-slide
    // picture under the arrows is the usual way of things, not reported).
    const over = [
      ...controls,
      ...Array.from(s.querySelectorAll('.ld-marks > .ld-flag, .ld-marks .ld-badge')).map((m) => ({ by: `the “${(m.textContent ?? '').trim()}” mark`, box: rect(m.getBoundingClientRect()) })),
      ...Array.from(s.querySelectorAll('.ld-verified'))
        .filter(shown)
        .map((m) => ({ by: 'the verification mark', box: rect(m.getBoundingClientRect()) })),
    ];
    const covered: SlideMeasure['covered'] = [];
    const seen = new Set<string>();
    const content: { text: string; box: ReturnType<typeof rect> }[] = [];
    const walker = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim();
      if (!text || n.parentElement?.closest('aside.notes, .ld-marks, .ld-verified, .ld-verify-note')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of Array.from(range.getClientRects())) content.push({ text: text.length > 40 ? `${text.slice(0, 40)}…` : text, box: rect(r) });
    }
    for (const o of over)
      for (const c of content)
        if (meets(o.box, c.box) && !seen.has(o.by)) {
          seen.add(o.by);
          covered.push({ by: o.by, text: c.text });
        }
    out.push({
      id: s.getAttribute('data-slide-id') ?? String(h),
      height: bottom,
      width: right,
      titleLines,
      wideCode: pres.map((p, i) => (p.scrollWidth > p.clientWidth + 1 ? i : -1)).filter((i) => i >= 0),
      wrappedCode,
      covered,
    });
    s.style.display = display;
  }
  return out;
}
