import type { Definition, SourceFile } from './chapter.ts';
import type { Diagnostic } from './diagnostic.ts';
import type { Position } from './position.ts';
import type { DeckMarkdown } from './plugins.ts';
import type { Slide } from './slide.ts';

export type Lang = 'en' | 'fr';

/** The manifest values substituted into `@@KEY@@` macros, as container.training's markmaker does. */
export interface DeckValues {
  title: string;
  chat: string;
  gitrepo: string;
  slides: string;
  zip: string;
  html: string;
  slidenumberprefix: string;
}

/** A chapter: a `# ` title and the slides up to the next one. */
export interface Chapter {
  title: string;
  /** `toc-…` anchor, unique in the deck, accents and digits kept. */
  anchor: string;
  /** Index in `Deck.slides` of the generated chapter title slide. */
  titleSlide: number;
  /** Index in `Deck.slides` of the first and one past the last slide of the chapter (title slide included). */
  start: number;
  end: number;
  /** Index of the part (top-level `content` entry) it belongs to. */
  part: number;
  source: Position;
}

/** A top-level entry of `content`: one page of the table of contents. */
export interface Part {
  index: number;
  anchor: string;
  chapters: number[];
}

export interface DeckSlide extends Slide {
  /** Source file of the slide (relative to the content root), or the manifest for generated slides. */
  file: string;
  /** 1-based number the audience sees (Reveal's horizontal index + 1). */
  number: number;
  /** Index in `Deck.chapters` of the chapter it belongs to, if any. */
  chapter?: number;
  /** Stable id, unique in the deck: `name:` when set, else file and ordinal in the file. */
  id: string;
}

export interface Deck {
  /** Output name (manifest file name without extension). */
  id: string;
  manifestPath: string;
  lang: Lang;
  values: DeckValues;
  /** Classes whose slides are dropped at build time. */
  exclude: string[];
  /** Slides in presentation order, after exclusion, with generated slides in place. */
  slides: DeckSlide[];
  chapters: Chapter[];
  parts: Part[];
  /** Reference definitions of every file of the deck, first one wins (remark.js behaviour). */
  definitions: Map<string, Definition>;
  /** Files of the deck, in order of first appearance. */
  files: SourceFile[];
  /** Extra manifest keys labdeck understands (variant, translation group, pacing…). */
  meta: DeckMeta;
  /** The Markdown parser and the authors' plugins of the deck (`markdown:`, `plugins:`); default: fast, none. */
  markdown?: DeckMarkdown;
  diagnostics: Diagnostic[];
}

export interface DeckMeta {
  /** Decks with the same `group` are translations of each other. */
  group?: string;
  variant?: string;
  /** Minutes per slide kind, for pacing estimates. */
  pacing?: Record<string, number>;
  [key: string]: unknown;
}
