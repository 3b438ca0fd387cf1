import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findManifests } from '../../src/manifest/index.ts';
import { checkLayout } from '../../src/present/layout-check.ts';
import type { RunningServer } from '../../src/server/serve.ts';
import { servedSite, type ServedSite } from './served-site.ts';

/**
 * What the room sees, in a 1280×720 window (a 720p projector), French decks first: nothing the
 * page adds (banner, marks, slide number, arrows, the speaker view's labels) covers the slide,
 * and code lines too long for the slide stay readable, wrapped the same on screen and in print.
 */
let site: ServedSite;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  site = await servedSite(findManifests('content/decks'));
  ({ server, browser } = site);
}, 60_000);
afterAll(async () => site?.close());

const open = (path: string): Promise<Page> => site.open(path);

type Box = { left: number; right: number; top: number; bottom: number };
const meets = (a: Box, b: Box) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;

/** Goes to the slide with this audience number (or slide id) and gives the boxes of its text lines and of what the page draws over it. */
function boxesOn(page: Page, slide: string) {
  return page.evaluate((slide) => {
    const reveal = (window as any).Reveal;
    const i = reveal.getSlides().findIndex((s: HTMLElement) => s.getAttribute('data-number') === slide || s.getAttribute('data-slide-id') === slide);
    reveal.slide(i);
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    const section = reveal.getCurrentSlide() as HTMLElement;
    const text: { text: string; box: ReturnType<typeof box> }[] = [];
    const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.trim() || n.parentElement?.closest('aside.notes, .ld-marks')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of Array.from(range.getClientRects())) text.push({ text: n.textContent.trim(), box: { left: r.left, right: r.right, top: r.top, bottom: r.bottom } });
    }
    const all = (selector: string) => Array.from(document.querySelectorAll(selector)).filter((e) => getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).display !== 'none').map(box);
    return {
      text,
      marks: Array.from(section.querySelectorAll('.ld-marks > *')).map(box),
      banner: all('.ld-banner'),
      canvas: box(document.querySelector('.reveal .slides')!),
      number: all('.reveal .slide-number'),
      arrows: all('.reveal .controls .navigate-left, .reveal .controls .navigate-right'),
      language: all('.ld-lang-switch'),
    };
  }, slide);
}

describe('the page’s own marks and controls', () => {
  it('leave every slide of the French deck uncovered: banner above the slides, marks in the margin, slide number off the arrows', async () => {
    const page = await open('kubernetes-fr.html');
    const ids: string[] = await page.evaluate(() => (window as any).Reveal.getSlides().map((s: HTMLElement) => s.getAttribute('data-slide-id')));
    expect(ids).toHaveLength(32);
    const problems: string[] = [];
    for (const id of ids) {
      const b = await boxesOn(page, id);
      for (const banner of b.banner) if (banner.bottom > b.canvas.top + 1) problems.push(`${id}: the banner reaches into the slides`);
      for (const over of [...b.marks, ...b.number, ...b.language])
        for (const t of b.text) if (meets(over, t.box)) problems.push(`${id}: “${t.text}” is covered`);
      for (const n of b.number) for (const a of [...b.arrows, ...b.language]) if (meets(n, a)) problems.push(`${id}: the slide number is on a control`);
    }
    expect(problems).toEqual([]);
    // Slide 14 held the badge over its last line, the extra-details stand-in (4a) the banner over its flag.
    const fourteen = await boxesOn(page, '14');
    expect(fourteen.marks.length).toBe(1);
    expect(fourteen.banner[0]!.bottom).toBeLessThanOrEqual(fourteen.canvas.top + 1);
    await page.close();
  });

  it('keep the English deck’s slide number off the next arrow', async () => {
    const page = await open('kubernetes-en.html');
    const b = await boxesOn(page, '9');
    expect(b.arrows.length).toBeGreaterThan(0);
    for (const n of b.number) for (const a of b.arrows) expect(meets(n, a)).toBe(false);
    await page.close();
  });

  it('print the extra-details flag clear of a long title', async () => {
    for (const [deck, slide] of [
      ['kubernetes-en.html', 'en/k8s/kubectl-run.md:2'],
      ['kubernetes-fr.html', 'en:en/k8s/kubectl-run.md:2'],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      await page.goto(`${server.url}${deck}?print-pdf`);
      await page.waitForSelector('html[data-labdeck-ready="true"]');
      const { flag, title } = await page.evaluate((id) => {
        const section = document.querySelector(`section[data-slide-id="${id}"]`)!;
        const range = document.createRange();
        range.selectNodeContents(section.querySelector('h2')!);
        const box = (r: DOMRect) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
        return { flag: box(section.querySelector('.ld-flag')!.getBoundingClientRect()), title: Array.from(range.getClientRects()).map(box) };
      }, slide);
      expect(title.length).toBeGreaterThan(0);
      for (const t of title) expect(meets(flag, t), `${deck}: flag over the title`).toBe(false);
      await page.close();
    }
  });

  it('keep the speaker view’s “next slide” label above the next slide, in both languages', async () => {
    for (const [deck, label] of [
      ['kubernetes-fr.html', 'À suivre'],
      ['kubernetes-en.html', 'Next'],
    ] as const) {
      const page = await open(deck);
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
      await popup.waitForSelector('#upcoming-slide iframe');
      const { text, labelBox, frameBox } = await popup.evaluate(() => {
        const box = (e: Element) => {
          const r = e.getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        };
        const l = document.querySelector('#upcoming-slide > .label')!;
        return { text: l.textContent, labelBox: box(l), frameBox: box(document.querySelector('#upcoming-slide iframe')!) };
      });
      expect(text).toBe(label);
      expect(meets(labelBox, frameBox)).toBe(false);
      await popup.close();
      await page.close();
    }
  });
});

describe('code lines too long for the slide', () => {
  // The slides whose code `check layout` found cut off before (the intro-fr 24–28, 36–46).
  const cut = {
    'intro-fr.html': ['24', '25', '26', '28', '36', '37', '38', '39', '40', '41', '46'],
    'prometheus-fr.html': ['60'],
    'tp4-fr.html': ['13', '15', '31', '39', '42'],
  };

  /** Per code block of the slide: whether a line is cut, and how many lines it shows (wrapped lines count). */
  const codeOn = (page: Page, number: string) =>
    page.evaluate((number) => {
      const section = document.querySelector(`section[data-number="${number}"]`) as HTMLElement;
      return Array.from(section.querySelectorAll('pre')).map((pre) => {
        const code = pre.querySelector('code')!;
        const line = parseFloat(getComputedStyle(code).lineHeight);
        const lines = Array.from(code.querySelectorAll('.line')) as HTMLElement[];
        const right = pre.getBoundingClientRect().right;
        const cut = pre.scrollWidth > pre.clientWidth + 1 || lines.some((l) => Array.from(l.getClientRects()).some((r) => r.right > right + 1));
        return { cut, rows: lines.reduce((n, l) => n + Math.round(l.offsetHeight / line), 0), fontSize: parseFloat(getComputedStyle(code).fontSize), text: code.textContent };
      });
    }, number);

  it('are all on screen, wrapped the same in the PDF', async () => {
    for (const [deck, numbers] of Object.entries(cut)) {
      const screen = await open(deck);
      const print = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      await print.goto(`${server.url}${deck}?print-pdf`);
      await print.waitForSelector('html[data-labdeck-ready="true"]');
      for (const number of numbers) {
        await screen.evaluate((n) => {
          const reveal = (window as any).Reveal;
          reveal.slide(reveal.getSlides().findIndex((s: HTMLElement) => s.getAttribute('data-number') === n));
        }, number);
        const shown = await codeOn(screen, number);
        const printed = await codeOn(print, number);
        expect(shown.length, `${deck} slide ${number}`).toBeGreaterThan(0);
        expect(shown.filter((c) => c.cut), `${deck} slide ${number}`).toEqual([]);
        expect(printed.map((c) => c.rows), `${deck} slide ${number} in print`).toEqual(shown.map((c) => c.rows));
        for (const c of shown) expect(c.fontSize).toBeGreaterThanOrEqual(20);
      }
      await screen.close();
      await print.close();
    }
  });

  it('show the whole command the learner types on tp4-fr slide 13', async () => {
    const page = await open('tp4-fr.html#/12');
    const [code] = await codeOn(page, '13');
    expect(code!.text).toContain(`kubectl get no/k8s-training-dkusr-n1 -o template --template='{{range $k,$v:=.metadata.labels}}{{$k}}={{$v}}{{"\\n"}}{{end}}'`);
    expect(code!.cut).toBe(false);
    await page.close();
  });

  it('are reported by check layout when they wrap, and nothing is reported cut', async () => {
    const report = await checkLayout('content/decks/tp4-fr.yml');
    const codes = report.diagnostics.filter((d) => d.code.startsWith('layout/code'));
    expect(codes.map((d) => `${d.code} ${d.message.split(':')[0]}`)).toEqual(['layout/code-wraps slide 13', 'layout/code-wraps slide 15', 'layout/code-wraps slide 31']);
  }, 60_000);
});
