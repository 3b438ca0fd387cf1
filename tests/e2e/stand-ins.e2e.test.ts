import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packDeck } from '../../src/present/pack.ts';
import { launchChromium } from '../../src/shared/browser.ts';
import { labdeck } from '../cli/run.ts';
import { contentTree, manifest, removeContentTrees } from '../render/helpers.ts';

/**
 * The French deck built alone, as `pack`, `export pdf` and `check layout` build it: the English
 * slides standing in for its missing translations come along, as on the site, with the reference
 * definitions of their own deck.
 */
let dir: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labdeck-stand-ins-'));
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
  removeContentTrees();
});

const slideWith = (p: Page, id: string) =>
  p.evaluate((id) => {
    const reveal = (window as any).Reveal;
    const i = reveal.getSlides().findIndex((s: Element) => s.getAttribute('data-slide-id') === id);
    reveal.slide(i);
    return i;
  }, id);

describe('an offline pack of the French deck', () => {
  it('carries the 16 English stand-ins, says so, and presents them from the disk', async () => {
    const zip = join(dir, 'fr.zip');
    const packed = await labdeck('pack', 'kubernetes-fr', '--out', zip);
    expect(packed.code, packed.stderr).toBe(0);
    expect(packed.stderr).toContain('kubernetes-fr (32 slides, 16 of them in English where the translation is missing)');
    execFileSync('unzip', ['-q', zip, '-d', join(dir, 'unzipped')]);
    expect(readFileSync(join(dir, 'unzipped/kubernetes-fr/README.txt'), 'utf8')).toContain('32 slides, 16 of them in English');

    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(pathToFileURL(join(dir, 'unzipped/kubernetes-fr/kubernetes-fr.html')).href);
    await page.waitForSelector('html[data-labdeck-ready="true"]');
    const shown = await page.evaluate(() => {
      const slides = (window as any).Reveal.getSlides() as HTMLElement[];
      const standIns = slides.filter((s) => s.hasAttribute('data-inserted'));
      return { total: slides.length, standIns: standIns.length, labs: standIns.filter((s) => s.querySelector('.lab')).length, english: standIns.every((s) => s.lang === 'en') };
    });
    expect(shown).toEqual({ total: 32, standIns: 16, labs: 5, english: true });
  });

  it('resolves a stand-in’s [text][label] with the definitions of the English deck', async () => {
    await slideWith(page, 'en:en/k8s/kubectl-run.md:2');
    const item = page.locator('.present li', { hasText: 'Kubernetes 1.17 is' }).last();
    expect(await item.innerText()).toBe('Kubernetes 1.17 is EOL since January 2021');
    expect(await item.locator('a').getAttribute('href')).toBe('https://kubernetes.io/releases/patch-releases/#non-active-branch-history');
  });
});

describe('a reference to a label nobody defines', () => {
  it('is a warning at its file:line in build and lint, and shows as written', async () => {
    const tree = contentTree({
      'en/a.md': '## Links\n\n- fine: [the docs][docs]\n- typo: [the docs][dosc]\n\n[docs]: https://example.org/docs\n',
      'decks/deck.yml': manifest('en', ['en/a.md']),
    });
    const deck = join(tree, 'decks/deck.yml');
    const message = /^en\/a\.md:4:\d+: warning: reference \[dosc\] is not defined for this slide/m;
    const built = await labdeck('build', deck, '--out', join(dir, 'refs'));
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(message);
    const linted = await labdeck('lint', deck);
    expect(linted.stderr).toMatch(message);
    expect(linted.stderr).not.toMatch(/reference \[docs\]/);

    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await p.goto(`${pathToFileURL(join(dir, 'refs/deck.html')).href}#/links`);
    await p.waitForSelector('html[data-labdeck-ready="true"]');
    expect(await p.locator('.present li').allInnerTexts()).toEqual(['fine: the docs', 'typo: [the docs][dosc]']);
    await p.close();
  });
});
