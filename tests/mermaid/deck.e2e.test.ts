import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MermaidDiagrams } from '../../src/mermaid/index.ts';
import { chromiumPath, launchChromium } from '../../src/shared/browser.ts';
import { exportPdf } from '../../src/present/export-pdf.ts';
import { buildSite } from '../../src/build/site.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { runCli } from '../cli/run.ts';
import { readPdf } from '../present/pdf-text.ts';
import { contentTree, inlineSlides, manifest, removeContentTrees, sectionsOf } from '../render/helpers.ts';

/** A chapter as container.training writes diagrams (`<pre class="mermaid">`), and one as a fence. */
const CHAPTER = [
  '# Queues',
  '',
  '---',
  '',
  '## Jobs and workers',
  '',
  '<pre class="mermaid">',
  '  flowchart TD',
  '  subgraph Q["Message queue"]',
  '    M1["Message"]@{ shape: card}',
  '  end',
  '  Producer["Producer &amp; friends"] ---> Q',
  '  Q <---> W1["Worker"] & W2["Worker"]',
  '</pre>',
  '',
  '- Workers take messages',
  '',
  '---',
  '',
  '## As a fence',
  '',
  '```mermaid',
  'flowchart LR',
  '  Sender --> Receiver',
  '```',
  '',
].join('\n');

const BROKEN = '## Broken\n\n<pre class="mermaid">\nflowchart TD\n  A --> B\n  B -> C\n</pre>\n';

const cli = async (args: string[], env: Record<string, string>) => {
  const r = await runCli(args, { env });
  return { code: r.status, stderr: r.stderr };
};

describe.skipIf(!existsSync(chromiumPath()))('Mermaid diagrams in a built deck', () => {
  if (!existsSync(chromiumPath())) console.log(`skipped: no Chromium at ${chromiumPath()} (set LABDECK_CHROMIUM)`);
  // LABDECK_CACHE_DIR for the CLI and exportPdf; diagrams go in its `mermaid/` folder.
  const cacheBase = mkdtempSync(join(tmpdir(), 'labdeck-cache-'));
  const cacheDir = join(cacheBase, 'mermaid');
  let dir: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = contentTree({ 'en/queues.md': CHAPTER, 'en/broken.md': BROKEN, 'decks/deck.yml': manifest('en', ['en/queues.md']), 'decks/broken.yml': manifest('en', ['en/broken.md']) });
    const report = await buildSite({ manifests: [join(dir, 'decks/deck.yml')], outDir: `${dir}-site`, diagrams: new MermaidDiagrams({ launch: launchChromium, cacheDir }) });
    expect(report.diagnostics).toEqual([]);
    server = await startServer({ root: `${dir}-site`, port: 0 });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeContentTrees();
    rmSync(cacheBase, { recursive: true, force: true });
  });

  it('puts each diagram on its slide as an inline SVG, with no script and no diagram source left', () => {
    const page = inlineSlides(readFileSync(`${dir}-site/deck.html`, 'utf8'));
    const sections = sectionsOf(page).filter((s) => s.includes('data-source='));
    expect(sections.map((s) => (s.match(/<div class="ld-diagram ld-mermaid"><svg /g) ?? []).length)).toEqual([0, 1, 1]);
    expect(page).not.toContain('class="mermaid"');
    expect(page).not.toContain('subgraph Q[');
    expect(page).not.toContain('Sender --&gt; Receiver');
    expect(sections.join('\n')).not.toMatch(/<script/i);
  });

  it('shows the picture inside the slide, labels readable, and nothing fetched from elsewhere', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const remote: string[] = [];
    page.on('request', (r) => void (r.url().startsWith(server.url) ? undefined : remote.push(r.url())));
    await page.goto(`${server.url}deck.html#/2`);
    await page.waitForFunction(() => document.documentElement.dataset.labdeckReady === 'true');
    const svg = page.locator('.reveal .present .ld-mermaid svg');
    await svg.waitFor();
    const box = (await svg.boundingBox())!;
    const slide = (await page.locator('.reveal .slides').boundingBox())!;
    // Large enough to read from the back of the room (mermaid draws it ~250 px wide), within the slide.
    expect(box.width).toBeGreaterThan(300);
    expect(box.x).toBeGreaterThanOrEqual(slide.x);
    expect(box.x + box.width).toBeLessThanOrEqual(slide.x + slide.width + 1);
    expect(box.y + box.height).toBeLessThanOrEqual(slide.y + slide.height + 1);
    for (const label of ['Message queue', 'Producer & friends', 'Worker']) await expect(svg.getByText(label, { exact: true }).first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(tmpdir(), 'labdeck-mermaid-slide.png') });
    expect(remote).toEqual([]);
    await page.close();
  });

  it('prints the same picture in the PDF: its labels are on the slide’s page', async () => {
    const out = join(cacheBase, 'deck.pdf');
    const previous = process.env.LABDECK_CACHE_DIR;
    process.env.LABDECK_CACHE_DIR = cacheBase;
    try {
      const result = await exportPdf({ manifest: join(dir, 'decks/deck.yml'), out, steps: 'collapse', notes: false, extraDetails: true });
      expect(result.ok).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.LABDECK_CACHE_DIR;
      else process.env.LABDECK_CACHE_DIR = previous;
    }
    const pages = readPdf(readFileSync(out)).pages.map((p) => p.replace(/\s+/g, ''));
    const jobs = pages.find((p) => p.includes('Jobsandworkers'))!;
    expect(jobs).toContain('Messagequeue');
    expect(jobs).toContain('Producer&friends');
    expect(jobs).not.toContain('subgraph');
  }, 90_000);

  it('fails the build on a diagram that does not parse, at its file and line', async () => {
    const report = await buildSite({ manifests: [join(dir, 'decks/broken.yml')], diagrams: new MermaidDiagrams({ launch: launchChromium, cacheDir }) });
    expect(report.ok).toBe(false);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.position.file}:${d.position.line}`)).toEqual(['error mermaid/syntax en/broken.md:6']);
  }, 60_000);

  it('builds without Chromium: cached diagrams are served, others shown as source with a warning', async () => {
    // The first build filled this cache with the queues chapter's two diagrams.
    const env = { LABDECK_CHROMIUM: join(dir, 'no-chromium'), LABDECK_CACHE_DIR: cacheBase };
    const warm = await cli(['build', join(dir, 'decks/deck.yml'), '--out', `${dir}-out`], env);
    expect(warm.code, warm.stderr).toBe(0);
    expect(warm.stderr).toContain('0 errors, 0 warnings');
    expect(inlineSlides(readFileSync(`${dir}-out/deck.html`, 'utf8')).match(/class="ld-diagram ld-mermaid"/g)).toHaveLength(2);

    const fresh = contentTree({ 'en/a.md': '## New\n\n```mermaid\nflowchart LR\n  Never --> Drawn\n```\n', 'decks/d.yml': manifest('en', ['en/a.md']) });
    const cold = await cli(['build', join(fresh, 'decks/d.yml'), '--out', `${fresh}-out`], env);
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.stderr).toMatch(/^en\/a\.md:3:1: warning: Mermaid diagram not drawn: Chromium not found at .*no-chromium; its source is shown instead \[mermaid\/not-drawn\]$/m);
    expect(inlineSlides(readFileSync(`${fresh}-out/d.html`, 'utf8'))).toContain('<pre class="ld-diagram-source" data-lang="mermaid"><code>flowchart LR\n  Never --> Drawn</code></pre>');
  }, 60_000);
});
