import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import type { MermaidSource } from './source.ts';

const require = createRequire(import.meta.url);

/** The mermaid package's browser bundle (one self-contained script) and its version. */
export function mermaidBundle(): { path: string; version: string } {
  const path = require.resolve('mermaid/dist/mermaid.min.js');
  const { version } = JSON.parse(readFileSync(require.resolve('mermaid/package.json'), 'utf8')) as { version: string };
  return { path, version };
}

/** What one diagram became: its SVG, or mermaid's own message for a diagram it cannot draw. */
export type Drawn = { svg: string } | { error: string };

/** Mermaid's settings for every diagram; a diagram's own `%%{init: …}%%` still applies on top. */
const SETTINGS = { startOnLoad: false, securityLevel: 'strict', suppressErrorRendering: true } as const;

/**
 * Draws diagrams in one page of a headless Chromium, the way container.training's page does:
 * each source goes into a `<pre class="mermaid">` and `mermaid.run` reads it from there, so the
 * HTML form is decoded by the browser itself. The page loads nothing from the network.
 */
export class ChromiumMermaid {
  #page: Page | undefined;

  constructor(
    private readonly browser: Browser,
    private readonly bundle = mermaidBundle().path,
    private readonly timeoutMs = 20_000,
  ) {}

  /** One diagram; `id` becomes the SVG's id (its styles and markers are scoped to it). */
  async draw(source: MermaidSource, id: string): Promise<Drawn> {
    const page = await this.#openPage();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ error: string }>((resolve) => {
      timer = setTimeout(() => resolve({ error: `took longer than ${this.timeoutMs / 1000} s to draw` }), this.timeoutMs);
    });
    try {
      const drawn = await Promise.race([page.evaluate(drawInPage, { markup: source.markup, text: source.text }), timeout]);
      if ('error' in drawn) {
        // A diagram that hangs leaves its page busy: the next one gets a fresh page.
        if (drawn.error.startsWith('took longer')) await this.#closePage();
        return drawn;
      }
      // mermaid names the SVG after the clock; the content key makes the output reproducible.
      return { svg: drawn.svg.split(drawn.id).join(id) };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.#closePage();
  }

  async #openPage(): Promise<Page> {
    if (this.#page) return this.#page;
    const page = await this.browser.newPage();
    // The diagram is the course's text: whatever it might make the page ask for goes nowhere.
    await page.route('**', (route) => route.abort());
    await page.routeWebSocket(() => true, (socket) => socket.close());
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: this.bundle });
    await page.evaluate((settings) => (window as unknown as MermaidWindow).mermaid.initialize(settings), SETTINGS);
    this.#page = page;
    return page;
  }

  async #closePage(): Promise<void> {
    const page = this.#page;
    this.#page = undefined;
    await page?.close().catch(() => undefined);
  }
}

interface MermaidWindow {
  mermaid: { initialize(settings: object): void; run(options: { nodes: Element[]; suppressErrors: boolean }): Promise<void> };
}

/** Runs inside the page: no closure over Node's scope. */
async function drawInPage(input: { markup: 'html' | 'text'; text: string }): Promise<{ svg: string; id: string } | { error: string }> {
  const pre = document.createElement('pre');
  pre.className = 'mermaid';
  if (input.markup === 'html') pre.innerHTML = input.text;
  else pre.textContent = input.text;
  document.body.append(pre);
  try {
    await (window as unknown as MermaidWindow).mermaid.run({ nodes: [pre], suppressErrors: false });
    const svg = pre.querySelector('svg');
    if (!svg) return { error: 'mermaid drew nothing' };
    return { svg: pre.innerHTML, id: svg.id };
  } catch (e) {
    return { error: String((e as Error)?.message ?? e) };
  } finally {
    pre.remove();
  }
}
