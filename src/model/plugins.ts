import type { Position } from './position.ts';

/**
 * A remark or rehype plugin a course lists under `plugins:`, loaded from the course's own
 * node_modules. `plugin` is the module's default export (a unified attacher).
 */
export interface PluginEntry {
  name: string;
  kind: 'remark' | 'rehype';
  options?: unknown;
  plugin: unknown;
  /** The entry in the manifest (or front matter), for diagnostics. */
  position: Position;
}

/** How a deck's Markdown is read and rendered. */
export interface DeckMarkdown {
  /** `fast` (markdown-it, the default) or `remark` (remark-parse: what syntax plugins need). */
  parser: 'fast' | 'remark';
  remarkPlugins: PluginEntry[];
  rehypePlugins: PluginEntry[];
  /** Style sheets the plugins' HTML needs (KaTeX's), copied into the site: package path → output path. */
  styles: { source: string; output: string }[];
}
