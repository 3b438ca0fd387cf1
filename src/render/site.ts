import type { DeckAnnotations } from '../model/annotation.ts';
import type { Course } from '../model/course.ts';
import type { Deck } from '../model/deck.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { deckLanguages, renderDeck, type RenderOptions } from './deck.ts';
import type { AssetCopy } from './assets.ts';
import { EMOJI_FONT } from './emoji.ts';
import type { CodeHighlighter } from './highlight.ts';
import { newRenderSession, type AssetCheck, type RenderSession } from './markdown.ts';
import { renderSiteIndex, summarizeDeck, type DeckSummary } from './site-index.ts';
import { styleAssets } from './styles.ts';
import type { Theme } from './theme.ts';

export interface SiteOptions {
  highlighter: CodeHighlighter;
  /** Mermaid diagrams, drawn beforehand. */
  diagrams?: RenderOptions['diagrams'];
  theme: Theme;
  lenient?: boolean;
  /** Per deck id, what parity/verification ask to show. */
  annotations?: ReadonlyMap<string, DeckAnnotations>;
  assetExists: AssetCheck;
  liveReload?: string;
  /** Render only these decks (dev rebuilds); the others keep their previous page. */
  only?: ReadonlySet<string>;
  /** Reuse across builds so an unknown language is warned about once. */
  session?: RenderSession;
  /** Called after each deck. */
  onDeck?: (deck: Deck, slides: number) => void;
  /** The build's clock: the index says how long ago each deck's labs were verified. */
  now?: Date;
}

/** A built site in memory: pages by path under the output folder, and images to copy. */
export interface RenderedSite {
  pages: Map<string, string>;
  /** Content-root-relative source → output path. */
  images: Map<string, string>;
  /** Files the pages need beyond the static ones (the emoji font when a page shows emoji, the style sheets of the decks' plugins and their files). */
  assets: AssetCopy[];
  summaries: DeckSummary[];
  diagnostics: Diagnostic[];
  /** Milliseconds per stage. */
  timings: { highlightPrepare: number; render: number; index: number };
}

export async function renderSite(course: Course, options: SiteOptions): Promise<RenderedSite> {
  const session = options.session ?? newRenderSession();
  const pages = new Map<string, string>();
  const images = new Map<string, string>();
  const styleCopies: AssetCopy[] = [];
  const diagnostics: Diagnostic[] = [];
  const summaries: DeckSummary[] = [];
  let emoji = false;
  const timings = { highlightPrepare: 0, render: 0, index: 0 };

  for (const deck of course.decks) {
    if (options.only && !options.only.has(deck.id)) {
      summaries.push(summarizeDeck(deck, options.annotations?.get(deck.id)));
      continue;
    }
    let started = performance.now();
    await options.highlighter.prepare(deckLanguages(deck));
    timings.highlightPrepare += performance.now() - started;
    started = performance.now();
    const rendered = renderDeck(deck, {
      highlighter: options.highlighter,
      diagrams: options.diagrams,
      theme: options.theme,
      lenient: options.lenient,
      annotations: options.annotations?.get(deck.id),
      assetExists: options.assetExists,
      session,
      liveReload: options.liveReload,
    });
    timings.render += performance.now() - started;
    pages.set(`${deck.id}.html`, rendered.html);
    for (const [from, to] of rendered.images) images.set(from, to);
    emoji ||= rendered.emoji;
    for (const style of deck.markdown?.styles ?? []) styleCopies.push(...styleAssets(style.source, style.output));
    diagnostics.push(...rendered.diagnostics);
    summaries.push(summarizeDeck(deck, options.annotations?.get(deck.id)));
    options.onDeck?.(deck, rendered.slideCount);
  }
  const started = performance.now();
  pages.set('index.html', renderSiteIndex(summaries, options.theme, undefined, options.now));
  timings.index = performance.now() - started;
  return { pages, images, assets: [...(emoji ? [EMOJI_FONT] : []), ...styleCopies], summaries, diagnostics, timings };
}
