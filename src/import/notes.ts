import {
  info,
  type Diagnostic,
  fence,
  isConsole,
  normalizeTitle,
  OUTLINE_TITLE,
  textLine,
  scanBlocks,
  type DraftSlide,
  type ImportContext,
  type ImportResult,
} from './shared.ts';
import { renderSlides } from './markdown.ts';

interface Section {
  heading?: { depth: number; text: string; line: number };
  body: string[];
}

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
/** `*****` lines around a title: the banner headings of notes pasted from a terminal tutorial. */
const BANNER = /^\*{10,}\s*$/;
const IMAGE_LINE = /^(!\[[^\]]*\]\([^)]*\)|\.warning\[[^\]]*\]|<img\s[^>]*>)$/;

/**
 * Free-form notes (002): Markdown headings and `*****` banners open slides, one per heading;
 * a run of headings with nothing between them is the author's table of contents and becomes one
 * outline slide; a heading directly followed by a deeper one stays on the same slide as a subtitle.
 */
export function importNotes(text: string, ctx: ImportContext): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const blocks = scanBlocks(text, ctx.source, diagnostics);
  const sections: Section[] = [{ body: [] }];
  const current = () => sections[sections.length - 1]!;

  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.kind === 'code') {
      current().body.push('', ...codeBlock(b.info, b.lines, b.line, ctx, diagnostics), '');
      continue;
    }
    const next = blocks[i + 1];
    const after = blocks[i + 2];
    if (BANNER.test(b.text) && next?.kind === 'text' && after?.kind === 'text' && BANNER.test(after.text) && next.text.trim() !== '') {
      sections.push({ heading: { depth: 2, text: next.text.replace(/^#+\s*/, '').trim(), line: next.line }, body: [] });
      i += 2;
      continue;
    }
    const h = HEADING.exec(b.text);
    if (h) {
      sections.push({ heading: { depth: h[1]!.length, text: h[2]!.trim(), line: b.line }, body: [] });
      continue;
    }
    current().body.push(textLine(b.text, b.line, ctx, diagnostics));
  }

  const slides: DraftSlide[] = [];
  let chapter: string | undefined;
  const blank = (s: Section) => s.body.every((l) => l.trim() === '');
  // Images alone do not break a table of contents: the one of 002 carries a diagram.
  const bare = (s: Section) => s.body.every((l) => l.trim() === '' || IMAGE_LINE.test(l.trim()));
  const preamble = blank(sections[0]!) ? [] : sections[0]!.body;
  const open = (s: Section, slide: DraftSlide): Section[] => {
    if (s.heading!.depth !== 1) return [s];
    // A chapter title repeated right after the table of contents is the same chapter.
    if (chapter === undefined || normalizeTitle(chapter) !== normalizeTitle(s.heading!.text)) slide.chapter = s.heading!.text;
    chapter = s.heading!.text;
    return [];
  };
  const rest = sections.slice(1);
  let i = 0;
  while (i < rest.length) {
    const slide: DraftSlide = { body: [] };
    if (slides.length === 0 && preamble.length > 0) slide.body.push(...preamble, '');
    let end = i;
    while (end < rest.length && bare(rest[end]!)) end++;
    const run = rest.slice(i, end);
    if (run.filter(blank).length >= 3) {
      const headed = run.flatMap((s) => open(s, slide));
      slide.title = OUTLINE_TITLE[ctx.lang];
      const base = Math.min(...headed.map((s) => s.heading!.depth));
      let level = -1;
      for (const s of headed) {
        level = Math.min(level + 1, s.heading!.depth - base);
        slide.body.push(`${'  '.repeat(level)}- ${s.heading!.text.replace(/^(\d+)\.(?=\s)/, '$1\\.')}`);
      }
      for (const s of run) if (!blank(s)) slide.body.push('', ...s.body);
      diagnostics.push(info('import/outline', { file: ctx.source, line: run[0]!.heading!.line, column: 1 }, `${run.length} headings with no text between them: read as a table of contents, shown as one "${slide.title}" slide`));
      slides.push(slide);
      i = end;
      continue;
    }
    // Headings with nothing under them title the next section's slide: `## 1. Concepts` then `### 1.1 …`.
    let last = i;
    while (last < rest.length - 1 && blank(rest[last]!)) last++;
    const headed = rest.slice(i, last + 1).flatMap((s) => open(s, slide));
    if (headed.length > 0) {
      slide.title = headed[0]!.heading!.text;
      slide.body.push(...headed[0]!.body);
      for (const s of headed.slice(1)) slide.body.push('', `### ${s.heading!.text}`, '', ...s.body);
    } else {
      slide.body.push(...rest[last]!.body);
    }
    slides.push(slide);
    i = last + 1;
  }
  if (slides.length === 0 && preamble.length > 0) slides.push({ body: preamble });
  return { markdown: renderSlides(slides), diagnostics };
}

/** Console transcripts get the `console` info string with prompts kept; other code is kept as written. */
export function codeBlock(infoString: string, lines: readonly string[], line: number, ctx: ImportContext, diagnostics: Diagnostic[]): string[] {
  const long = lines.findIndex((l) => l.length > 400);
  if (long !== -1) {
    diagnostics.push(info('import/long-line', { file: ctx.source, line: line + 1 + long, column: 1 }, 'a very long line in a code block: terminal output pasted without its line breaks?', 'split it where the terminal wrapped, or cut the output down to what the slide needs'));
  }
  const lang = infoString === '' || /^(sh|shell|bash|console|text)$/.test(infoString) ? (isConsole(lines) ? 'console' : infoString) : infoString;
  return fence(lang, lines);
}
