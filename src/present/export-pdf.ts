import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildSite } from '../build/site.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { startServer } from '../server/serve.ts';
import { writeFileAtomic } from '../shared/files.ts';
import { launchChromium } from '../shared/browser.ts';

export interface PdfRequest {
  manifest: string;
  out: string;
  /** `collapse`: one page per slide, every step shown; `separate`: one page per step. */
  steps: 'collapse' | 'separate';
  notes: boolean;
  extraDetails: boolean;
  onPhase?: (phase: 'build' | 'layout' | 'print' | 'done', slides: number) => void;
}

export type PdfResult =
  | { ok: true; pages: number; slides: number; timings: { build: number; layout: number; print: number } }
  | { ok: false; diagnostics: Diagnostic[] };

/** The query string that turns a deck page into Reveal's print layout with these options. */
export function printQuery(r: Pick<PdfRequest, 'steps' | 'notes' | 'extraDetails'>): string {
  const q = new URLSearchParams({ 'print-pdf': '', pdfSeparateFragments: String(r.steps === 'separate'), extra: r.extraDetails ? '1' : '0' });
  if (r.notes) q.set('showNotes', 'separate-page');
  return `?${q.toString()}`;
}

/**
 * Deck → PDF: builds the deck into a temporary folder, serves it on loopback, lets Reveal lay
 * out its print view in headless Chromium and prints it once. The PDF is written atomically,
 * so a failure leaves no partial file.
 */
export async function exportPdf(request: PdfRequest): Promise<PdfResult> {
  const work = mkdtempSync(join(tmpdir(), 'labdeck-pdf-'));
  const browser = await launchChromium().catch((e) => {
    rmSync(work, { recursive: true, force: true });
    throw e;
  });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    let t = performance.now();
    request.onPhase?.('build', 0);
    const report = await buildSite({ manifests: [request.manifest], outDir: join(work, 'site') });
    if (!report.ok) return { ok: false, diagnostics: report.diagnostics };
    const summary = report.summaries[0]!;
    const build = performance.now() - t;
    server = await startServer({ root: join(work, 'site'), port: 0 });
    t = performance.now();
    request.onPhase?.('layout', summary.slideCount);
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        (window as unknown as { Reveal: { on: (e: string, f: () => void) => void } }).Reveal.on('pdf-ready', () => {
          document.documentElement.dataset.labdeckPdfReady = 'true';
        });
      });
    });
    await page.goto(`${server.url}${basename(summary.href)}${printQuery(request)}`, { timeout: 0 });
    await page.waitForSelector('html[data-labdeck-pdf-ready="true"][data-labdeck-ready="true"]', { state: 'attached', timeout: 600_000 });
    // Images load lazily in Reveal; in print every one must be there before the snapshot.
    await page.evaluate(() =>
      Promise.all(
        Array.from(document.images)
          .filter((i) => !i.complete)
          .map(
            (i) =>
              new Promise((r) => {
                i.addEventListener('load', r, { once: true });
                i.addEventListener('error', r, { once: true });
              }),
          ),
      ),
    );
    // Reveal's print view: a page per slide or step, plus one per separate notes page.
    const pages = await page.locator('.pdf-page, .speaker-notes-pdf[data-layout="separate-page"]').count();
    const layout = performance.now() - t;
    t = performance.now();
    request.onPhase?.('print', summary.slideCount);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true });
    writeFileAtomic(request.out, pdf);
    request.onPhase?.('done', summary.slideCount);
    return { ok: true, pages, slides: summary.slideCount, timings: { build, layout, print: performance.now() - t } };
  } finally {
    await browser.close().catch(() => {});
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  }
}
