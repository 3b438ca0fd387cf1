import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/shared/browser.ts';
import { buildSite } from '../../src/build/site.ts';
import { INLINE_SLIDES } from '../../src/render/deck.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { contentTree, manifest, removeContentTrees } from '../render/helpers.ts';

/**
 * A page holds the content of its first slides only; the client fills the others around the
 * slide Reveal opens on, then all of them once the first slide is shown (src/render/client/core.js).
 * Whatever the slide it opens on, the deck must end up as if every slide had been in the page.
 */
const SLIDES = 60;
/** A 1×1 PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fea7d6a4e00000000049454e44ae426082', 'hex');

function chapter(): string {
  const slides = Array.from({ length: SLIDES }, (_, i) => {
    const lines = [i === 45 ? 'name: far-away\n' : '', `## Slide ${i}`, '', '- shown'];
    if (i % 10 === 5) lines.push('', '--', '', '- step one', '', '--', '', '- step two');
    if (i === 40) lines.push('', '![a diagram](images/far.png)');
    if (i === 1) lines.push('', '![a diagram](images/near.png)');
    return lines.join('\n');
  });
  return `# Contents\n\n---\n\n${slides.join('\n\n---\n\n')}\n`;
}

describe('slide contents filled by the client', () => {
  let server: RunningServer;
  let browser: Browser;
  let base: string;
  let slideIds: string[];
  /** Reveal index of the author slide titled `Slide N`. */
  let indexOf: (n: number) => number;

  beforeAll(async () => {
    const dir = contentTree({ 'en/a.md': chapter(), 'decks/big.yml': manifest('en', ['en/a.md']) });
    mkdirSync(join(dir, 'images'));
    writeFileSync(join(dir, 'images/near.png'), PNG);
    writeFileSync(join(dir, 'images/far.png'), PNG);
    const report = await buildSite({ manifests: [join(dir, 'decks/big.yml')], outDir: `${dir}-site` });
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const slides = report.course.decks[0]!.slides;
    slideIds = slides.map((s) => s.id);
    indexOf = (n) => slides.findIndex((s) => s.title?.text === `Slide ${n}`);
    expect(slideIds.length).toBeGreaterThan(SLIDES);
    server = await startServer({ root: `${dir}-site`, port: 0 });
    base = server.url;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeContentTrees();
  });

  async function open(hash: string): Promise<{ page: Page; images: string[]; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const images: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => void (r.resourceType() === 'image' && images.push(r.url().split('/').pop()!)));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}big.html${hash}`);
    await page.waitForFunction(() => document.documentElement.dataset.labdeckReady === 'true');
    return { page, images, errors };
  }

  const state = (page: Page) =>
    page.evaluate(() => {
      const R = (window as unknown as { Reveal: { getIndices: () => { h: number }; getTotalSlides: () => number; getCurrentSlide: () => HTMLElement; getSlides: () => HTMLElement[] } }).Reveal;
      return {
        h: R.getIndices().h,
        total: R.getTotalSlides(),
        id: R.getCurrentSlide().getAttribute('data-slide-id'),
        number: document.querySelector('.slide-number')?.textContent?.trim(),
        empty: R.getSlides().filter((s) => s.children.length === 0).length,
        store: document.getElementById('labdeck-slides') !== null,
      };
    });

  it('the page holds the first slides only; after ready every slide has its content', async () => {
    const html = await (await fetch(`${base}big.html`)).text();
    expect(html.match(/<section\b[^>]*><\/section>/g)?.length).toBe(slideIds.length - INLINE_SLIDES);
    const { page, errors, images } = await open('');
    expect(await state(page)).toEqual({ h: 0, total: slideIds.length, id: slideIds[0], number: '1', empty: 0, store: false });
    // The image near the start loads; the far one waits until its slide comes near.
    expect(images).toContain('near.png');
    expect(images).not.toContain('far.png');
    await page.evaluate((h) => (window as unknown as { Reveal: { slide: (h: number) => void } }).Reveal.slide(h), indexOf(40));
    await page.waitForFunction(() => Array.from(document.images).some((i) => i.src.endsWith('/far.png') && i.complete && i.naturalWidth === 1));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens on a deep link by name, with the right number, and every slide filled', async () => {
    const { page, errors } = await open('#/far-away');
    const at = slideIds.indexOf('far-away');
    expect(await state(page)).toEqual({ h: at, total: slideIds.length, id: 'far-away', number: String(at + 1), empty: 0, store: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens on a deep link by index; an earlier slide with steps has them all shown, as Reveal leaves a past slide', async () => {
    const { page, errors } = await open(`#/${indexOf(48)}`);
    expect((await state(page)).h).toBe(indexOf(48));
    const past = await page.evaluate((i) => {
      const section = document.querySelectorAll('.reveal .slides > section')[i]!;
      return { past: section.classList.contains('past'), steps: section.querySelectorAll('.fragment').length, visible: section.querySelectorAll('.fragment.visible').length };
    }, indexOf(35));
    expect(past).toEqual({ past: true, steps: 2, visible: 2 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
