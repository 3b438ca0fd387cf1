import type { Course } from '../model/course.ts';
import type { Deck } from '../model/deck.ts';
import type { OutlineLang } from '../model/slide.ts';
import type { Position } from '../model/position.ts';
import { escapeHtml } from '../shared/html.ts';
import { fill, presentStrings } from '../shared/locale.ts';
import { buildAnnotations } from '../parity/annotations.ts';
import { deckPacing, formatMinutes, type Insertions } from '../shared/pacing.ts';

export interface SyllabusEntry {
  kind: 'heading' | 'item';
  text: string;
  position: Position;
}

export interface SyllabusChapter {
  title: string;
  entries: SyllabusEntry[];
}

export interface Syllabus {
  deck: string;
  title: string;
  lang: OutlineLang;
  duration: string;
  chapters: SyllabusChapter[];
}

export interface SyllabusOptions {
  /** Slides the deck shows from another deck (English stand-ins): they count in its duration. */
  insertions?: Insertions;
  /** The deck whose chapters hold the outline lines, when not the deck itself (its English original). */
  linesFrom?: Deck;
}

/**
 * The course outline of a deck in one language: each chapter's `:EN:`/`:FR:` lines in deck
 * order. A line repeated later in the deck (a file included twice) is kept once. Title and
 * duration are the deck's as presented (the same figure as the site index and the speaker view).
 */
export function deckSyllabus(deck: Deck, lang: OutlineLang, options: SyllabusOptions = {}): Syllabus {
  const pacing = deckPacing(deck, options.insertions);
  const source = options.linesFrom ?? deck;
  const seen = new Set<string>();
  const collect = (from: number, to: number): SyllabusEntry[] =>
    source.slides.slice(from, to).flatMap((slide) =>
      (slide.notes?.outline ?? [])
        .filter((line) => line.lang === lang && line.text !== '')
        .filter((line) => {
          const key = `${line.kind}\0${line.text}`;
          return seen.has(key) ? false : (seen.add(key), true);
        })
        .map(({ kind, text, position }) => ({ kind, text, position })),
    );
  const firstChapter = source.chapters[0]?.start ?? source.slides.length;
  const before = collect(0, firstChapter);
  const chapters = source.chapters.map((c) => ({ title: c.title, entries: collect(c.start, c.end) }));
  if (before.length > 0) chapters.unshift({ title: '', entries: before });
  return {
    deck: deck.id,
    title: deck.values.title.trim().replace(/\s*\n\s*/g, ' '),
    lang,
    duration: formatMinutes(pacing.minutes),
    chapters: chapters.filter((c) => c.entries.length > 0),
  };
}

/**
 * The syllabi `labdeck outline --lang L [deck…]` prints: for each deck named (by default every
 * deck written in L, or every deck when none is), the deck of its group written in L, with its
 * title and duration; its outline lines, or, when its chapters have none, those its English
 * original writes for L (container.training keeps `:FR:` lines in the English chapters).
 */
export function courseSyllabi(course: Course, lang: OutlineLang, named: readonly Deck[] = []): Syllabus[] {
  const code = lang.toLowerCase() as Deck['lang'];
  const inLang = course.decks.filter((d) => d.lang === code);
  const chosen = named.length > 0 ? named : inLang.length > 0 ? inLang : course.decks;
  const sibling = (deck: Deck, l: Deck['lang']) => (deck.lang === l ? deck : course.decks.find((d) => d.lang === l && d.meta.group !== undefined && d.meta.group === deck.meta.group));
  const { annotations } = buildAnnotations(course);
  const out = new Map<string, Syllabus>();
  for (const deck of chosen) {
    const shown = sibling(deck, code) ?? deck;
    if (out.has(shown.id)) continue;
    const insertions = annotations.get(shown.id)?.insertions;
    let syllabus = deckSyllabus(shown, lang, { insertions });
    const english = sibling(shown, 'en');
    if (syllabus.chapters.length === 0 && english && english !== shown) syllabus = deckSyllabus(shown, lang, { insertions, linesFrom: english });
    out.set(shown.id, syllabus);
  }
  return [...out.values()];
}

const stringsFor = (lang: OutlineLang) => presentStrings(lang === 'FR' ? 'fr' : 'en');

/** Markdown: `# deck`, its duration, then `:XX:Heading` lines as `##` and `:XX:- item` lines as list items. */
export function syllabusMarkdown(s: Syllabus): string {
  const strings = stringsFor(s.lang);
  const out = [`# ${s.title}`, '', `*${fill(strings.duration, { planned: s.duration })}*`, ''];
  // Chapters without a heading line of their own continue the list above them.
  let inList = false;
  for (const e of s.chapters.flatMap((c) => c.entries)) {
    if (e.kind === 'heading') {
      if (inList) out.push('');
      out.push(`## ${e.text}`, '');
      inList = false;
    } else {
      out.push(`- ${e.text}`);
      inList = true;
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** A standalone HTML page of the same outline, in the outline's language. */
export function syllabusHtml(s: Syllabus): string {
  const strings = stringsFor(s.lang);
  const body: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length > 0) body.push(`<ul>\n${list.join('\n')}\n</ul>`);
    list = [];
  };
  for (const e of s.chapters.flatMap((c) => c.entries)) {
    if (e.kind === 'heading') {
      flush();
      body.push(`<h2>${escapeHtml(e.text)}</h2>`);
    } else list.push(`<li>${escapeHtml(e.text)}</li>`);
  }
  flush();
  const lang = s.lang.toLowerCase();
  const title = escapeHtml(s.title);
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="generator" content="labdeck">
<title>${escapeHtml(strings.outlineTitle)}: ${title}</title>
</head>
<body>
<main>
<h1>${title}</h1>
<p class="duration">${escapeHtml(fill(strings.duration, { planned: s.duration }))}</p>
${body.join('\n')}
</main>
</body>
</html>
`;
}
