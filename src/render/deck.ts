import { slug } from '../manifest/anchor.ts';
import type { DeckAnnotations } from '../model/annotation.ts';
import type { Deck, DeckSlide } from '../model/deck.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { scriptTags } from './assets.ts';
import { emojiCodePoints, emojiFontFace } from './emoji.ts';
import { styleTags } from './styles.ts';
import type { CodeHighlighter } from './highlight.ts';
import { mermaidSources, type MermaidSource } from '../mermaid/index.ts';
import { contextId, fragmentPipeline, newRenderSession, sharedContextId, type AssetCheck, type MarkdownContext, type RenderSession } from './markdown.ts';
import { renderSlide } from './slide.ts';
import { escapeHtml, scriptJson } from '../shared/html.ts';
import { loadLocale, t, type Locale } from '../shared/locale.ts';
import { presentClientConfig } from './client-config.ts';
import { fillTemplate, type Theme } from './theme.ts';

export interface RenderOptions {
  /** UI strings; defaults to `locales/<deck.lang>.json`. */
  locale?: Locale;
  /** Draw each slide's diagnostics on it. */
  lenient?: boolean;
  annotations?: DeckAnnotations;
  /** Shared shiki instance, with the deck's languages prepared (`deckLanguages`). */
  highlighter: CodeHighlighter;
  /** Mermaid diagrams, drawn beforehand (`deckDiagrams`). */
  diagrams?: MarkdownContext['diagrams'];
  theme: Theme;
  /** Whether an image exists, relative to the content root, or why it may not be shown. */
  assetExists: AssetCheck;
  /** URL prefix of `assets/` from the page. */
  assetsBase?: string;
  /** Shared by the decks of one build: images to copy, warnings already given. */
  session?: RenderSession;
  /** Dev server: the page listens to this event-stream URL and reloads when rebuilt. */
  liveReload?: string;
}

export interface RenderedDeck {
  html: string;
  /** Images the deck shows: path relative to the content root → path in the output. */
  images: Map<string, string>;
  diagnostics: Diagnostic[];
  /** Number of `<section>`s (Reveal's horizontal slides). */
  slideCount: number;
  /** Whether the page shows emoji: the emoji font must be in the output (`EMOJI_FONT`). */
  emoji: boolean;
}

/** Reveal settings every deck shares: a 16:9 canvas, slide in the URL, no animation to wait for. */
export const REVEAL_CONFIG = {
  width: 1600,
  height: 900,
  margin: 0.04,
  center: false,
  hash: true,
  fragmentInURL: true,
  slideNumber: 'c',
  controls: true,
  progress: true,
  transition: 'none',
  backgroundTransition: 'none',
  pdfSeparateFragments: true,
} as const;

/** UI strings the client scripts use: these keys, and every `reveal.*` and `speaker.*` one (Reveal's own UI). */
const CLIENT_STRINGS = ['languageSwitch', 'languageSwitchKey', 'languageSwitchNearest', 'languageSwitchNone', 'liveReloadFailed', 'liveReloadRebuilding'];
const CLIENT_PREFIXES = ['reveal.', 'speaker.'];

/** Fence languages of a deck, to prepare the highlighter before `renderDeck`. */
export function deckLanguages(deck: Deck): Set<string> {
  const langs = new Set<string>();
  for (const slide of deck.slides) for (const code of slide.code) if (code.lang) langs.add(code.lang.toLowerCase());
  return langs;
}

/** Mermaid diagrams of a deck's slides and notes (inserted slides included), to draw before `renderDeck`. */
export function deckDiagrams(deck: Deck, annotations?: DeckAnnotations): MermaidSource[] {
  return slidesWithInsertions(deck, annotations).flatMap((slide) => [
    ...slide.fragments.flatMap((f) => mermaidSources(f.tree)),
    ...(slide.notes ? mermaidSources(slide.notes.tree) : []),
  ]);
}

/** The deck's slides in order, with the slides other stages insert (a missing translation's source). */
export function slidesWithInsertions(deck: Deck, annotations?: DeckAnnotations): DeckSlide[] {
  return withInsertions(deck, annotations).map((s) => s.slide);
}

interface PlacedSlide {
  slide: DeckSlide;
  /** Set for slides another stage inserted: they are not part of the deck's numbering. */
  inserted?: { lang?: string; definitions?: Deck['definitions'] };
}

function withInsertions(deck: Deck, annotations?: DeckAnnotations): PlacedSlide[] {
  const insertions = annotations?.insertions;
  if (!insertions || insertions.length === 0) return deck.slides.map((slide) => ({ slide }));
  const after = new Map<string | null, DeckAnnotations['insertions'] & object>();
  for (const insertion of insertions) after.set(insertion.after, [...(after.get(insertion.after) ?? []), insertion]);
  // An inserted slide belongs to the chapter of the slide it follows in this deck, not to its
  // chapter in its own deck (`?chapter=` views filter on it).
  const place = (list: DeckAnnotations['insertions'] = [], chapter?: number): PlacedSlide[] =>
    list.map(({ slide, lang, definitions }) => ({ slide: { ...slide, chapter }, inserted: { lang, definitions } }));
  const out = place(after.get(null));
  for (const slide of deck.slides) out.push({ slide }, ...place(after.get(slide.id), slide.chapter));
  return out;
}

/** A deck as one HTML page for Reveal. Pure: the only outside facts come in through options. */
export function renderDeck(deck: Deck, options: RenderOptions): RenderedDeck {
  const locale = options.locale ?? loadLocale(deck.lang);
  const session = options.session ?? newRenderSession();
  const assetsBase = options.assetsBase ?? 'assets/';
  const diagnostics: Diagnostic[] = [];
  const images = new Map<string, string>();
  const placed = withInsertions(deck, options.annotations);
  const slides = placed.map((p) => p.slide);
  // The first slide with a name owns it as its `id`; links to later duplicates land there too.
  const anchorOf = new Map<DeckSlide, string>();
  const names = new Set<string>();
  for (const slide of slides) {
    if (slide.name && !names.has(slide.name)) {
      names.add(slide.name);
      anchorOf.set(slide, slide.name);
    }
  }
  // Unnamed author slides are reachable by their title (`#/viewing-container-output`): a deep
  // link that survives slides added elsewhere, unlike `#/12`. Repeated titles get -2, -3…
  const inserted = new Set(placed.filter((p) => p.inserted).map((p) => p.slide));
  // The next suffix to try per title: a title repeated n times costs n tries, not n² (a huge chapter).
  const nextSuffix = new Map<string, number>();
  for (const slide of slides) {
    if (anchorOf.has(slide) || slide.kind !== 'author' || inserted.has(slide) || !slide.title) continue;
    const base = slug(slide.title.text);
    if (!base) continue;
    let anchor = base;
    let n = nextSuffix.get(base) ?? 2;
    if (names.has(anchor)) while (names.has((anchor = `${base}-${n}`))) n++;
    nextSuffix.set(base, n);
    names.add(anchor);
    anchorOf.set(slide, anchor);
  }
  const targets = { names, ids: new Map(slides.map((s, i) => [s.id, i])) };
  const fileProblems = options.lenient ? fileProblemsBySlide(deck) : undefined;
  const pipeline = fragmentPipeline(deck.markdown?.rehypePlugins ?? []);
  const reuse = contextId(deck, locale, options.highlighter, targets, pipeline);
  const reuseShared = sharedContextId(locale, options.highlighter, pipeline);

  // A slide standing in from another deck resolves `[text][label]` with that deck's definitions.
  const standIn = new Map<Deck['definitions'], { deck: Pick<Deck, 'values' | 'definitions'>; reuse: number }>();
  const own = (definitions: Deck['definitions'] | undefined) => {
    if (!definitions || definitions === deck.definitions) return { deck, reuse };
    let hit = standIn.get(definitions);
    if (!hit) {
      const other = { values: deck.values, definitions };
      standIn.set(definitions, (hit = { deck: other, reuse: contextId(other, locale, options.highlighter, targets) }));
    }
    return hit;
  };

  const sections = placed.map(({ slide, inserted }) => {
    const context = own(inserted?.definitions);
    const ctx: MarkdownContext = {
      deck: context.deck,
      locale,
      highlighter: options.highlighter,
      diagrams: options.diagrams,
      file: slide.file,
      generated: slide.kind !== 'author' && slide.kind !== 'invalid',
      assetExists: options.assetExists,
      session,
      diagnostics: [],
      images,
      targets,
      reuse: context.reuse,
      reuseShared,
      pipeline,
      slide: slide.position,
    };
    const badges = options.annotations?.badges.get(slide.id) ?? [];
    const verification = inserted ? undefined : options.annotations?.verification?.slides.get(slide.id);
    const html = renderSlide(slide, ctx, { lenient: options.lenient ?? false, badges, anchor: anchorOf.get(slide), inserted: inserted && { lang: inserted.lang }, fileProblems: fileProblems?.get(slide), verification });
    diagnostics.push(...ctx.diagnostics);
    return html;
  });


  const config = {
    deck: deck.id,
    lang: deck.lang,
    reveal: REVEAL_CONFIG,
    slideNumberPrefix: deck.values.slidenumberprefix || undefined,
    strings: Object.fromEntries([...CLIENT_STRINGS, ...Object.keys(locale).filter((k) => CLIENT_PREFIXES.some((p) => k.startsWith(p)))].map((k) => [k, t(locale, k)])),
    languageSwitch: options.annotations?.languageSwitch,
    liveReload: options.liveReload,
    present: presentClientConfig(deck, options.annotations),
  };
  const emoji = emojiCodePoints(sections.join('\n'));
  const html = fillTemplate(options.theme.deckTemplate, {
    lang: escapeHtml(deck.lang),
    title: escapeHtml(deck.values.title.replace(/\s*\n\s*/g, ' ')),
    assets: assetsBase,
    banner: bannerHtml(options.annotations),
    slides: pageSlides(sections),
    config: scriptJson(config),
    fonts: emojiFontFace(emoji, assetsBase),
    scripts: styleTags(assetsBase, deck.markdown?.styles ?? []) + scriptTags(assetsBase, options.liveReload !== undefined),
  });
  return { html, images, diagnostics, slideCount: sections.length, emoji: emoji.length > 0 };
}

/**
 * Slides the page shows with their content from the start (Reveal opens on the first one by
 * default); the content of the others waits in `#labdeck-slides` until the client fills it
 * (src/render/client/core.js), so a 2,000-slide page parses and lays out a few slides, not all.
 */
export const INLINE_SLIDES = 4;

/** The sections of a page: empty past the first few, their content as a JSON array of HTML (null: already in place). */
function pageSlides(sections: readonly string[]): string {
  const waiting: (string | null)[] = [];
  const shells = sections.map((html, i) => {
    if (i < INLINE_SLIDES) {
      waiting.push(null);
      return html;
    }
    const { open, inner } = splitSection(html);
    waiting.push(inner);
    return `${open}</section>`;
  });
  if (waiting.every((w) => w === null)) return shells.join('\n');
  return `${shells.join('\n')}\n<script type="application/json" id="labdeck-slides">${scriptJson(waiting)}</script>`;
}

/** `<section …>` and what it holds, from hast-util-to-html's output (attribute values in double quotes, `"` escaped). */
export function splitSection(html: string): { open: string; inner: string } {
  let quoted = false;
  let end = 0;
  for (; end < html.length; end++) {
    const c = html[end];
    if (c === '"') quoted = !quoted;
    else if (c === '>' && !quoted) break;
  }
  return { open: html.slice(0, end + 1), inner: html.slice(end + 1, html.length - '</section>'.length) };
}

function bannerHtml(annotations?: DeckAnnotations): string {
  const banner = annotations?.banner;
  if (!banner) return '';
  const text = escapeHtml(banner.text);
  const body = banner.href ? `<a href="${escapeHtml(banner.href)}">${text}</a>` : text;
  return `<div class="ld-banner banner-${escapeHtml(banner.kind)}" role="status">${body}</div>`;
}

/**
 * Problems the parser reports on a file rather than a slide (an unclosed `.lab[`, a missing
 * include), each given to the slide whose lines hold it, so `--lenient` shows it there.
 */
function fileProblemsBySlide(deck: Deck): Map<DeckSlide, Diagnostic[]> {
  const out = new Map<DeckSlide, Diagnostic[]>();
  for (const file of deck.files) {
    const own = new Set(deck.slides.flatMap((s) => (s.file === file.path ? s.diagnostics : [])));
    const candidates = deck.slides.filter((s) => s.file === file.path && (s.kind === 'author' || s.kind === 'invalid'));
    for (const d of file.diagnostics) {
      if (own.has(d) || d.position.file !== file.path) continue;
      let holder: DeckSlide | undefined;
      for (const s of candidates) if (s.position.line <= d.position.line && (!holder || s.position.line >= holder.position.line)) holder = s;
      holder ??= candidates[0];
      if (holder) out.set(holder, [...(out.get(holder) ?? []), d]);
    }
  }
  return out;
}
