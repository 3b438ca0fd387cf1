import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { writeFileAtomic } from '../shared/files.ts';
import { labdeckCacheDir } from '../shared/paths.ts';
import { ChromiumMermaid, mermaidBundle, type Drawn } from './chromium.ts';
import { mermaidKey, type MermaidResult, type MermaidSource } from './source.ts';

export { mermaidSource, mermaidSources, type MermaidResult, type MermaidSource } from './source.ts';
export { mermaidElement, mermaidDiagnostic } from './hast.ts';


export interface MermaidOptions {
  /** Opens the headless Chromium that draws diagrams missing from the cache. */
  launch: () => Promise<Browser>;
  /** Persistent cache folder (`defaultCacheDir`); undefined keeps results for this process only. */
  cacheDir?: string;
  /** Per diagram; a diagram that takes longer is reported as one mermaid cannot draw. */
  timeoutMs?: number;
}

export interface MermaidStats {
  diagrams: number;
  /** Found in memory or in the cache folder. */
  cached: number;
  drawn: number;
  /** Milliseconds spent starting Chromium and drawing. */
  ms: number;
}

/** Bump when the way diagrams are drawn changes, so cached pictures are drawn again. */
const RECIPE = 'labdeck-mermaid-1';

/** `LABDECK_CACHE_DIR`, else `$XDG_CACHE_HOME/labdeck`, else `~/.cache/labdeck`; diagrams go in `mermaid/` below it. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  return join(labdeckCacheDir(env), 'mermaid');
}

/**
 * Mermaid diagrams drawn at build time. `prepare` (async) draws what the cache does not hold, in
 * one Chromium for the whole batch; `result` (sync) is what the renderer asks per diagram node.
 * Pictures are cached by content key, in memory and in `cacheDir`, so a warm build starts no browser.
 */
export class MermaidDiagrams {
  readonly #results = new Map<string, MermaidResult>();
  readonly #renderer: string;
  readonly stats: MermaidStats = { diagrams: 0, cached: 0, drawn: 0, ms: 0 };

  constructor(private readonly options: MermaidOptions) {
    this.#renderer = `${RECIPE}\0mermaid ${mermaidBundle().version}`;
  }

  /** Draws every source not already known; never throws (a missing browser makes `unavailable` results). */
  async prepare(sources: Iterable<MermaidSource>): Promise<void> {
    const missing = new Map<string, MermaidSource>();
    for (const source of sources) {
      const key = this.#key(source);
      if (missing.has(key)) continue;
      this.stats.diagrams++;
      const known = this.#results.get(key);
      if (known && !('unavailable' in known)) {
        this.stats.cached++;
        continue;
      }
      const stored = this.#readStored(key);
      if (stored) {
        this.#results.set(key, stored);
        this.stats.cached++;
      } else missing.set(key, source);
    }
    if (missing.size === 0) return;

    const started = performance.now();
    let browser: Browser | undefined;
    try {
      browser = await this.options.launch();
    } catch (e) {
      const why = (e as Error).message.split('\n')[0]!;
      for (const key of missing.keys()) this.#results.set(key, { unavailable: why });
      this.stats.ms += performance.now() - started;
      return;
    }
    const drawer = new ChromiumMermaid(browser, undefined, this.options.timeoutMs);
    try {
      for (const [key, source] of missing) {
        const id = svgId(key);
        let drawn: Drawn;
        try {
          drawn = await drawer.draw(source, id);
        } catch (e) {
          // The browser died under us: what is left is not drawn, and not the author's fault.
          const why = `Chromium stopped while drawing diagrams: ${(e as Error).message.split('\n')[0]}`;
          for (const k of missing.keys()) if (!this.#results.has(k)) this.#results.set(k, { unavailable: why });
          break;
        }
        const result: MermaidResult = 'svg' in drawn ? { svg: drawn.svg, id } : { error: drawn.error, id };
        this.#results.set(key, result);
        this.#store(key, result);
        this.stats.drawn++;
      }
    } finally {
      await drawer.close();
      await browser.close().catch(() => undefined);
      this.stats.ms += performance.now() - started;
    }
  }

  /** What `prepare` made of a source; undefined for a source it was never given. */
  result(source: MermaidSource): MermaidResult | undefined {
    return this.#results.get(this.#key(source));
  }

  #key(source: MermaidSource): string {
    return mermaidKey(source, this.#renderer);
  }

  #readStored(key: string): MermaidResult | undefined {
    const dir = this.options.cacheDir;
    if (dir === undefined) return undefined;
    const id = svgId(key);
    for (const [suffix, make] of [
      ['.svg', (svg: string): MermaidResult => ({ svg, id })],
      ['.error.txt', (error: string): MermaidResult => ({ error, id })],
    ] as const) {
      try {
        return make(readFileSync(join(dir, `${key}${suffix}`), 'utf8'));
      } catch {
        // not cached in this form
      }
    }
    return undefined;
  }

  /** Written atomically, so a concurrent build never reads half a picture. */
  #store(key: string, result: MermaidResult): void {
    const dir = this.options.cacheDir;
    if (dir === undefined || 'unavailable' in result) return;
    try {
      writeFileAtomic(join(dir, `${key}${'svg' in result ? '.svg' : '.error.txt'}`), 'svg' in result ? result.svg : result.error, { durable: false });
    } catch {
      // A cache that cannot be written only costs time on the next build.
    }
  }
}

/** The SVG's id: its styles and arrow markers are scoped to it, so two diagrams on one page never clash. */
const svgId = (key: string) => `mermaid-${key.slice(0, 16)}`;
