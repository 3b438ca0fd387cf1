import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { Deck } from '../model/deck.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import type { MermaidResult, MermaidSource } from '../mermaid/index.ts';
import type { CodeHighlighter } from './highlight.ts';
import type { Locale } from '../shared/locale.ts';
import type { Refusal } from '../shared/sandbox.ts';

/**
 * Whether an image exists, relative to the content root (the only I/O, injected): true, false,
 * or why it may not be shown (outside the course, not a regular file).
 */
export type AssetCheck = (relativePath: string) => boolean | Refusal;

/** What turning one slide's Markdown into HTML needs to know about the deck and the build. */
export interface MarkdownContext {
  deck: Pick<Deck, 'values' | 'definitions'>;
  locale: Locale;
  highlighter: CodeHighlighter;
  /** Source file of the nodes being converted, relative to the content root. */
  file: string;
  assetExists: AssetCheck;
  /** Whether the nodes come from a generated slide (a dead link there is labdeck's bug). */
  generated: boolean;
  session: RenderSession;
  /** Problems found while converting (per slide). */
  diagnostics: Diagnostic[];
  /** Images the deck shows: path relative to the content root → path in the output folder. */
  images: Map<string, string>;
  /** What `#anchor` links may point to in this deck. */
  targets: LinkTargets;
  /** `contextId` of the deck: fragments converted under the same id are reused (`fragmentHtml`). */
  reuse?: number;
  /** `sharedContextId` of the deck: the key of fragments that read nothing of the deck, reused across decks. */
  reuseShared?: number;
  /** Set while converting when a local image is shown: that conversion must run again each build (images to copy). */
  showedImage?: boolean;
  /** Mermaid diagrams drawn before rendering (`MermaidDiagrams.prepare`). */
  diagrams?: { result(source: MermaidSource): MermaidResult | undefined };
  /** The unified pipeline mdast → hast → HTML of the deck (with its rehype plugins); default: labdeck's own. */
  pipeline?: FragmentPipeline;
  /** What the fragment being converted holds for labdeck's rehype plugins (they skip a fragment without). */
  pending?: { diagrams: number; code: number };
  /** Where the slide being converted starts: a plugin that fails is reported there. */
  slide?: Position;
}

export interface LinkTargets {
  /** `name:` anchors that are a section's `id`. */
  names: ReadonlySet<string>;
  /** Slide ids → Reveal index, for links to slides without a name (generated navigation). */
  ids: ReadonlyMap<string, number>;
}

/** State shared by every deck of one build. */
export interface RenderSession {
  /** Fence languages shiki does not know, warned about once per build. */
  unknownLangs: Set<string>;
}

export const newRenderSession = (): RenderSession => ({ unknownLangs: new Set() });

/** A unified processor from a slide's mdast to HTML: remark-rehype, rehype plugins, rehype-stringify. */
export interface FragmentPipeline {
  toHtml(tree: Root, file: VFile): string;
  /** How many authors' rehype plugins it runs. */
  plugins: number;
}

declare module 'vfile' {
  interface DataMap {
    /** The context of the fragment being rendered, for the handlers and plugins of the pipeline. */
    render: MarkdownContext;
  }
}

/** The context a handler or plugin of the pipeline works for. */
export function renderContext(file: VFile | undefined | null): MarkdownContext {
  const ctx = file?.data.render;
  if (!ctx) throw new Error('labdeck: a fragment is rendered without its context (use fragmentHtml)');
  return ctx;
}
