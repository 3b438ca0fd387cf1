import { codeBlock } from './notes.ts';
import {
  info,
  normalizeTitle,
  textLine,
  scanBlocks,
  type Diagnostic,
  type DraftSlide,
  type ImportContext,
  type ImportResult,
} from './shared.ts';
import { renderSlides } from './markdown.ts';

type Para = { kind: 'para'; lines: string[]; line: number } | { kind: 'code'; info: string; lines: string[]; line: number };

interface Page {
  title: string;
  subtitle?: string;
  line: number;
  body: Para[];
}

/** Longest line taken for a page title that does not repeat; subtitles may be longer (questions). */
const TITLE_MAX = 60;
const SUBTITLE_MAX = 100;

/**
 * A line that can be a page title: short, starts like a title, no sentence punctuation at the
 * end (a question mark is fine), no Markdown or URL in it.
 */
export function isTitleLike(line: string, max: number): boolean {
  const t = line.trim();
  return t.length > 0 && t.length <= max && /^[\p{Lu}\p{N}'"‘«(]/u.test(t) && !/[.:;,!]$/.test(t) && !/[<>|`*_\\[\]]|https?:/.test(t);
}

/**
 * Text extracted from a slide PDF (003): one title line per page. A line that comes back as a
 * standalone line on several pages is a page title for sure; a new short line followed by content
 * opens a page too. Pages that repeat the same title one after the other are one chapter (`# `),
 * each page a slide titled by its subtitle.
 */
export function importPdfText(text: string, ctx: ImportContext): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const paras = paragraphs(text, ctx, diagnostics);
  const single = (p: Para | undefined, max: number) => p?.kind === 'para' && p.lines.length === 1 && isTitleLike(p.lines[0]!, max);
  const counts = new Map<string, number>();
  for (const p of paras) if (single(p, SUBTITLE_MAX)) counts.set(normalizeTitle(p.lines[0]!), (counts.get(normalizeTitle((p as { lines: string[] }).lines[0]!)) ?? 0) + 1);
  const repeated = (p: Para | undefined) => single(p, SUBTITLE_MAX) && (counts.get(normalizeTitle((p as { lines: string[] }).lines[0]!)) ?? 0) >= 2;

  const pages: Page[] = [];
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i]!;
    const next = paras[i + 1];
    const startsPage =
      pages.length === 0
        ? single(p, SUBTITLE_MAX)
        : repeated(p) || (single(p, TITLE_MAX) && next !== undefined && !single(next, SUBTITLE_MAX) && !single(paras[i - 1], SUBTITLE_MAX));
    if (!startsPage || p.kind !== 'para') {
      if (pages.length === 0) pages.push({ title: '', line: p.line, body: [] });
      pages[pages.length - 1]!.body.push(p);
      continue;
    }
    const page: Page = { title: p.lines[0]!.trim(), line: p.line, body: [] };
    // Title, subtitle, then content: the usual page of a slide PDF.
    if (pages.length > 0 && single(next, SUBTITLE_MAX) && paras[i + 2] !== undefined && !single(paras[i + 2], SUBTITLE_MAX)) {
      page.subtitle = (next as { lines: string[] }).lines[0]!.trim();
      i++;
    }
    pages.push(page);
  }

  const slides: DraftSlide[] = [];
  let chapter: string | undefined;
  const same = (a: Page | undefined, b: Page | undefined) => a !== undefined && b !== undefined && normalizeTitle(a.title) === normalizeTitle(b.title);
  let continued = 0;
  pages.forEach((page, k) => {
    const slide: DraftSlide = { body: [] };
    const inRun = same(page, pages[k - 1]) || same(page, pages[k + 1]);
    if (k === 0) {
      slide.chapter = page.title || undefined;
      chapter = page.title;
    } else if (inRun) {
      if (normalizeTitle(chapter ?? '') !== normalizeTitle(page.title)) {
        slide.chapter = page.title;
        chapter = page.title;
      } else continued++;
      // The chapter title already heads the page when it has no subtitle.
      if (page.subtitle !== undefined || slide.chapter === undefined) slide.title = page.subtitle ?? page.title;
    } else {
      slide.title = page.title;
      if (page.subtitle) slide.body.push(`### ${page.subtitle}`, '');
    }
    for (const p of page.body) slide.body.push(...(p.kind === 'code' ? codeBlock(p.info, p.lines, p.line, ctx, diagnostics) : p.lines), '');
    slides.push(slide);
  });
  if (continued > 0) {
    diagnostics.push(info('import/repeated-titles', { file: ctx.source, line: 1, column: 1 }, `${continued} pages repeat the title of the page before: read as one chapter each run, the pages' subtitles as slide titles`));
  }
  return { markdown: renderSlides(slides), diagnostics };
}

/**
 * Blank-line separated paragraphs and code fences. The PDF extraction loses list indentation:
 * ` - item` under `- item` is a sub-item, re-indented so Markdown nests it.
 */
function paragraphs(text: string, ctx: ImportContext, diagnostics: Diagnostic[]): Para[] {
  const out: Para[] = [];
  let current: { kind: 'para'; lines: string[]; line: number } | undefined;
  for (const b of scanBlocks(text, ctx.source, diagnostics)) {
    if (b.kind === 'code') {
      current = undefined;
      out.push({ kind: 'code', info: b.info || guessLanguage(b.lines), lines: b.lines, line: b.line });
      continue;
    }
    if (b.text.trim() === '') {
      current = undefined;
      continue;
    }
    const line = textLine(b.text.replace(/^ (-|\d+\.) /, '  $1 ').replace(/\s+$/, ''), b.line, ctx, diagnostics);
    if (!current) {
      current = { kind: 'para', lines: [], line: b.line };
      out.push(current);
    }
    current.lines.push(line);
  }
  return out;
}

/** YAML manifests are the one kind of unlabelled code a Kubernetes slide PDF shows besides consoles. */
function guessLanguage(lines: readonly string[]): string {
  const first = lines.find((l) => l.trim() !== '' && l.trim() !== '---')?.trim() ?? '';
  return /^(apiVersion|kind):/.test(first) ? 'yaml' : '';
}
