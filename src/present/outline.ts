import type { Deck } from '../model/deck.ts';
import type { OutlineLang } from '../model/slide.ts';
import type { Position } from '../model/position.ts';
import { escapeHtml } from '../shared/html.ts';
import { fill, presentStrings } from '../shared/locale.ts';
import { deckPacing, formatMinutes } from '../shared/pacing.ts';

export interface SyllabusEntry {
  kind: 'heading' | 'item';
  text: string;
  position: Position;
}

export interface SyllabusChapter {
  title: string;
  /** Estimated duration, extra details included. */
  duration: string;
  entries: SyllabusEntry[];
}

export interface Syllabus {
  deck: string;
  title: string;
  lang: OutlineLang;
  duration: string;
  chapters: SyllabusChapter[];
}

/**
 * The course outline of a deck in one language: each chapter's `:EN:`/`:FR:` lines in deck
 * order. A line repeated later in the deck (a file included twice) is kept once.
 */
export function deckSyllabus(deck: Deck, lang: OutlineLang): Syllabus {
  const pacing = deckPacing(deck);
  const seen = new Set<string>();
  const collect = (from: number, to: number): SyllabusEntry[] =>
    deck.slides.slice(from, to).flatMap((slide) =>
      (slide.notes?.outline ?? [])
        .filter((line) => line.lang === lang && line.text !== '')
        .filter((line) => {
          const key = `${line.kind}\0${line.text}`;
          return seen.has(key) ? false : (seen.add(key), true);
        })
        .map(({ kind, text, position }) => ({ kind, text, position })),
    );
  const firstChapter = deck.chapters[0]?.start ?? deck.slides.length;
  const before = collect(0, firstChapter);
  const chapters = deck.chapters.map((c, i) => ({
    title: c.title,
    duration: formatMinutes(pacing.chapters[i]!.minutes),
    entries: collect(c.start, c.end),
  }));
  if (before.length > 0) chapters.unshift({ title: '', duration: '', entries: before });
  return {
    deck: deck.id,
    title: deck.values.title.trim().replace(/\s*\n\s*/g, ' '),
    lang,
    duration: formatMinutes(pacing.minutes),
    chapters: chapters.filter((c) => c.entries.length > 0),
  };
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
