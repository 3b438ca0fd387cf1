import type { Diagnostic } from './diagnostic.ts';
import type { Position } from './position.ts';
import type { Slide } from './slide.ts';

/** `[label]: url "title"` — reference definitions are global to a deck, as in remark.js. */
export interface Definition {
  label: string;
  url: string;
  title?: string;
  position: Position;
}

/**
 * One parsed Markdown file (or one inline Markdown entry of a manifest).
 * Parsed once per build whatever the number of decks that include it.
 */
export interface SourceFile {
  /** Path relative to the content root (inline entries: `<manifest>#L<line>`). */
  path: string;
  /** Hash of the text and of every file it includes: the cache key for rebuilds. */
  hash: string;
  slides: Slide[];
  definitions: Definition[];
  /** Files pulled in with `@@INCLUDE[…]`, relative to the include root. */
  includes: string[];
  diagnostics: Diagnostic[];
}
