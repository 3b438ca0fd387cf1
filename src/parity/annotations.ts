import type { DeckAnnotations } from '../model/annotation.ts';
import type { Course } from '../model/course.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { annotationsFor, checkParity, pairFiles, type AnnotateOptions } from './index.ts';
import { readStamps, stampPath } from './store.ts';

export interface BuildAnnotations {
  /** Deck id → what the renderer draws on it (badges, banner, inserted English slides, `L` map). */
  annotations: Map<string, DeckAnnotations>;
  diagnostics: Diagnostic[];
}

/**
 * Parity as the build needs it: for every translated deck that has an English deck of the same
 * `group`, one report, then annotations for both decks (from the same report, so the two `L`
 * maps agree). Decks with no counterpart get nothing.
 */
export function buildAnnotations(course: Course, options: AnnotateOptions & { onRead?: (abs: string, text: string | undefined) => void } = {}): BuildAnnotations {
  const annotations = new Map<string, DeckAnnotations>();
  const diagnostics: Diagnostic[] = [];
  const byLang = new Map<string, { deck: Course['decks'][number]; source?: Course['decks'][number] }[]>();
  for (const deck of course.decks) {
    if (deck.lang === 'en' || !deck.meta.group) continue;
    const source = course.decks.find((d) => d.lang === 'en' && d.meta.group === deck.meta.group);
    if (!source) continue;
    byLang.set(deck.lang, [...(byLang.get(deck.lang) ?? []), { deck, source }]);
  }
  for (const [lang, decks] of byLang) {
    const path = stampPath(course.root, lang);
    const stamps = readStamps(path, `parity/${lang}.yml`);
    options.onRead?.(path, stamps.text);
    diagnostics.push(...stamps.diagnostics);
    const report = checkParity({ lang, files: course.files, pairs: pairFiles(course.files.keys(), lang), stamps: stamps.book, decks });
    for (const { deck, source } of decks) {
      annotations.set(deck.id, annotationsFor(deck, source!, report, options));
      annotations.set(source!.id, annotationsFor(source!, deck, report, options));
    }
  }
  return { annotations, diagnostics };
}
