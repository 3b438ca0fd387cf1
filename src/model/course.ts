import type { SourceFile } from './chapter.ts';
import type { Deck } from './deck.ts';
import type { Diagnostic } from './diagnostic.ts';

/** Everything one build reads: decks share parsed files through `files`. */
export interface Course {
  /** Absolute path of the content root; every `Position.file` is relative to it. */
  root: string;
  decks: Deck[];
  files: Map<string, SourceFile>;
  diagnostics: Diagnostic[];
}
