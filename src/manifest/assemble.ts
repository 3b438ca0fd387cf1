import type { SourceFile, Definition } from '../model/chapter.ts';
import type { Chapter, Deck, DeckSlide, Part } from '../model/deck.ts';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import type { Heading, Slide } from '../model/slide.ts';
import { normalizeLabel } from '../parse/index.ts';
import { AnchorSet, anchorFor } from './anchor.ts';
import { chapterTitleSlide, tocSlide, type GeneratedStrings } from './generated.ts';
import type { Manifest } from './manifest.ts';

/** A file in deck order, with the top-level `content` entry (the part) it came from. */
export interface DeckEntry {
  file: SourceFile;
  part: number;
  /** Where the manifest names it. */
  position: Position;
}

interface Placed {
  slide: Slide;
  file: string;
  id: string;
  part: number;
}

interface PendingChapter {
  title: string;
  inline: Heading['inline'];
  anchor: string;
  /** Index in `placed` of the slide the chapter starts before. */
  before: number;
  part: number;
  position: Position;
}

/**
 * Builds the deck the audience sees: drop excluded classes, expand `@@TOC@@`, put a generated
 * title slide before every chapter, number the slides. Pure: every file is already parsed.
 */
export function assembleDeck(manifest: Manifest, id: string, entries: readonly DeckEntry[], strings: GeneratedStrings): Deck {
  const diagnostics: Diagnostic[] = [];
  const placed = placeSlides(entries, new Set(manifest.exclude));
  // Author names first, so generated anchors never take an author's anchor.
  const anchors = new AnchorSet();
  diagnostics.push(...takeAuthorNames(placed, anchors));
  const pending = pendingChapters(placed, anchors);
  const { slides, chapters, parts } = layOut(placed, pending, manifest.path, strings);
  const { definitions, files } = deckSources(entries);
  return {
    id,
    manifestPath: manifest.path,
    lang: manifest.lang,
    values: {
      title: manifest.title,
      chat: manifest.chat,
      gitrepo: manifest.gitrepo,
      slides: manifest.slides,
      zip: manifest.zip,
      html: manifest.html,
      slidenumberprefix: manifest.slidenumberprefix,
    },
    exclude: manifest.exclude,
    slides,
    chapters,
    parts,
    definitions,
    files,
    meta: {
      ...(manifest.group ? { group: manifest.group } : {}),
      ...(manifest.variant ? { variant: manifest.variant } : {}),
      ...(manifest.pacing ? { pacing: manifest.pacing } : {}),
      ...(manifest.transcripts !== undefined ? { transcripts: manifest.transcripts } : {}),
    },
    diagnostics,
  };
}

/** The author slides in deck order, excluded ones left out, each with its id (`name:` or `file:ordinal`). */
function placeSlides(entries: readonly DeckEntry[], exclude: ReadonlySet<string>): Placed[] {
  const placed: Placed[] = [];
  const seenFiles = new Map<string, number>();
  for (const entry of entries) {
    const copy = (seenFiles.get(entry.file.path) ?? 0) + 1;
    seenFiles.set(entry.file.path, copy);
    entry.file.slides.forEach((slide, i) => {
      if (slide.classes.some((c) => exclude.has(c)) || slide.properties.exclude === 'true' || slide.properties.layout === 'true') return;
      const ordinal = `${entry.file.path}:${i + 1}${copy > 1 ? `~${copy}` : ''}`;
      placed.push({ slide, file: entry.file.path, id: slide.name ?? ordinal, part: entry.part });
    });
  }
  return placed;
}

/** Reserves each `name:` as an anchor; a name used twice is an error at the second slide. */
function takeAuthorNames(placed: readonly Placed[], anchors: AnchorSet): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const named = new Map<string, Position>();
  for (const p of placed) {
    if (!p.slide.name) continue;
    const first = named.get(p.slide.name);
    if (first) {
      diagnostics.push(error('slide/duplicate-name', p.slide.position, `duplicate anchor \`name: ${p.slide.name}\` (first at ${first.file}:${first.line})`, 'give each slide a unique `name:`'));
    } else {
      named.set(p.slide.name, p.slide.position);
      anchors.take(p.slide.name);
    }
  }
  return diagnostics;
}

/** Chapters, in order, with unique anchors (duplicate titles get -2, -3…). */
function pendingChapters(placed: readonly Placed[], anchors: AnchorSet): PendingChapter[] {
  const pending: PendingChapter[] = [];
  placed.forEach((p, index) => {
    for (const h of p.slide.chapterTitles) {
      pending.push({ title: h.text, inline: h.inline, anchor: anchors.take(anchorFor(h.text)), before: index, part: p.part, position: h.position });
    }
  });
  return pending;
}

/**
 * The slides as presented: a generated title slide before each chapter, one table of contents
 * per part where `@@TOC@@` stands, numbered from 1; and the chapters and parts over them.
 */
function layOut(placed: readonly Placed[], pending: readonly PendingChapter[], manifestPath: string, strings: GeneratedStrings): { slides: DeckSlide[]; chapters: Chapter[]; parts: Part[] } {
  const partNumbers = [...new Set(pending.map((c) => c.part))];
  const tocAnchor = (part: number) => `toc-part-${partNumbers.indexOf(part) + 1}`;
  const hasToc = placed.some((p) => slideHasToc(p.slide));

  const slides: DeckSlide[] = [];
  const chapters: Chapter[] = [];
  const push = (slide: Slide, file: string, id: string) => {
    slides.push({ ...slide, file, id, number: slides.length + 1 });
  };
  const firstId = placed[0]?.id ?? 'start';
  const lastId = placed[placed.length - 1]?.id ?? firstId;
  // Chapters by the slide they start before: one look-up per slide, not a scan of every chapter.
  const startingAt = new Map<number, number[]>();
  pending.forEach((c, ci) => {
    const list = startingAt.get(c.before);
    if (list) list.push(ci);
    else startingAt.set(c.before, [ci]);
  });
  placed.forEach((p, index) => {
    for (const ci of startingAt.get(index) ?? []) {
      const c = pending[ci]!;
      const nav = {
        previous: pending[ci - 1]?.anchor ?? firstId,
        contents: hasToc ? tocAnchor(c.part) : firstId,
        next: pending[ci + 1]?.anchor ?? lastId,
      };
      chapters.push({ title: c.title, anchor: c.anchor, titleSlide: slides.length, start: slides.length, end: slides.length, part: partNumbers.indexOf(c.part), source: c.position });
      push(chapterTitleSlide(c.title, c.inline, c.anchor, nav, strings, c.position), manifestPath, c.anchor);
    }
    if (slideHasToc(p.slide)) {
      for (const part of partNumbers) {
        const toc = tocSlide(
          { anchor: tocAnchor(part), number: partNumbers.indexOf(part) + 1, chapters: pending.filter((c) => c.part === part).map((c) => ({ title: c.title, ...(c.inline ? { inline: c.inline } : {}), anchor: c.anchor })) },
          partNumbers.length,
          strings,
          p.slide.position,
        );
        push(toc, manifestPath, toc.name!);
      }
      return;
    }
    push(p.slide, p.file, p.id);
  });
  chapters.forEach((c, i) => {
    c.end = chapters[i + 1]?.start ?? slides.length;
    for (let s = c.start; s < c.end; s++) slides[s]!.chapter = i;
  });

  const parts: Part[] = partNumbers.map((part, index) => ({
    index,
    anchor: tocAnchor(part),
    chapters: chapters.map((c, i) => (c.part === index ? i : -1)).filter((i) => i >= 0),
  }));
  return { slides, chapters, parts };
}

/** The deck's files, each once, and its reference definitions (the first of a label wins). */
function deckSources(entries: readonly DeckEntry[]): { definitions: Map<string, Definition>; files: SourceFile[] } {
  const definitions = new Map<string, Definition>();
  const files: SourceFile[] = [];
  for (const entry of entries) {
    if (!files.includes(entry.file)) files.push(entry.file);
    for (const d of entry.file.definitions) {
      const key = normalizeLabel(d.label);
      if (!definitions.has(key)) definitions.set(key, d);
    }
  }
  return { definitions, files };
}

function slideHasToc(slide: Slide): boolean {
  let found = false;
  const walk = (node: { type: string; name?: string; children?: unknown[] }) => {
    if (found) return;
    if (node.type === 'deckVariable' && node.name === 'TOC') found = true;
    for (const child of node.children ?? []) walk(child as typeof node);
  };
  for (const f of slide.fragments) walk(f.tree);
  return found;
}
