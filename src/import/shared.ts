import { diagnostic, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';

export type { Diagnostic };
export const info = (code: string, position: Position, message: string, hint?: string): Diagnostic => diagnostic('info', code, position, message, hint);

export type ImportShape = 'notes' | 'pdf-text' | 'lab-sheet';
export const SHAPES: readonly ImportShape[] = ['notes', 'pdf-text', 'lab-sheet'];
export type ImportLang = 'en' | 'fr';

/** What a converter needs besides the text: kept apart so converters stay pure. */
export interface ImportContext {
  /** Name of the source document in diagnostics (the path as given on the command line). */
  source: string;
  lang: ImportLang;
  /** Whether an image referenced by the document exists (relative to the document). */
  imageExists: (ref: string) => boolean;
}

export interface ImportResult {
  markdown: string;
  /** Problems found in the source document, positioned in it. */
  diagnostics: Diagnostic[];
}

/** One slide being written: an optional chapter title (`# `), a title (`## `) and body lines. */
export interface DraftSlide {
  chapter?: string;
  title?: string;
  body: string[];
}

/** Slides joined with `---`, blank runs trimmed: what `renderSlides` (markdown.ts) normalises. */
export function joinSlides(slides: readonly DraftSlide[]): string {
  const out: string[] = [];
  for (const s of slides) {
    const lines: string[] = [];
    if (s.chapter !== undefined) lines.push(`# ${s.chapter}`, '');
    if (s.title !== undefined) lines.push(`## ${s.title}`, '');
    lines.push(...trimBlank(s.body));
    const body = trimBlank(lines);
    // remark.js takes `word:` on a slide's first line for a property and hides it.
    if (body.length > 0) body[0] = body[0]!.replace(/^([-\w]+):/, '$1\\:');
    const text = squeezeBlank(body).join('\n');
    if (text.trim() !== '') out.push(text);
  }
  return out.join('\n\n---\n\n') + '\n';
}

export function trimBlank(lines: readonly string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a]!.trim() === '') a++;
  while (b > a && lines[b - 1]!.trim() === '') b--;
  return lines.slice(a, b);
}

/** At most one blank line in a row, outside code fences (blank lines inside code are content). */
export function squeezeBlank(lines: readonly string[]): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    const f = fenceMarker(line);
    if (fence === undefined && f) fence = f.marker;
    else if (fence !== undefined && f && f.info === '' && f.marker.startsWith(fence[0]!) && f.marker.length >= fence.length) fence = undefined;
    if (fence === undefined && line.trim() === '' && out.length > 0 && out[out.length - 1]!.trim() === '') continue;
    out.push(line.replace(/[ \t]+$/, fence === undefined ? '' : '$&'));
  }
  return out;
}

export function fenceMarker(line: string): { marker: string; info: string; indent: string } | undefined {
  const m = /^(\s{0,3})(`{3,}|~{3,})\s*([^`]*)$/.exec(line);
  return m ? { indent: m[1]!, marker: m[2]!, info: m[3]!.trim() } : undefined;
}

/** A fenced block of the source, or a run of ordinary lines. Line numbers are 1-based. */
export type SourceBlock =
  | { kind: 'code'; info: string; lines: string[]; line: number; closed: boolean }
  | { kind: 'text'; text: string; line: number };

/**
 * Splits a document into code fences and text lines. A line of two backticks inside a fence
 * is a closing fence typed short (002 has one): closing there is what the author meant, and the
 * importer says so rather than swallowing the following prose into the code.
 */
export function scanBlocks(text: string, source: string, diagnostics: Diagnostic[]): SourceBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: SourceBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = fenceMarker(lines[i]!);
    if (!open) {
      blocks.push({ kind: 'text', text: lines[i]!, line: i + 1 });
      i++;
      continue;
    }
    const start = i;
    const body: string[] = [];
    let closed = false;
    for (i++; i < lines.length; i++) {
      const line = lines[i]!;
      const f = fenceMarker(line);
      if (f && f.info === '' && f.marker[0] === open.marker[0] && f.marker.length >= open.marker.length) {
        closed = true;
        i++;
        break;
      }
      if (/^\s*``\s*$/.test(line)) {
        diagnostics.push(warning('import/short-fence', { file: source, line: i + 1, column: 1 }, 'a line of two backticks inside a code block: read as its closing fence', 'check the block ends where you meant'));
        closed = true;
        i++;
        break;
      }
      body.push(line);
    }
    if (!closed) diagnostics.push(warning('import/unclosed-fence', { file: source, line: start + 1, column: 1 }, 'code block never closed: closed at the end of the document'));
    blocks.push({ kind: 'code', info: open.info, lines: body, line: start + 1, closed });
  }
  return blocks;
}

/** `$ cmd`, `dev $ cmd`, `user@host:~$ cmd`, `root@pod:/# cmd`: a shell prompt at the start of a line. */
export function hasPrompt(line: string): boolean {
  return /^\s*(?:\$|[\w.-]+ \$|[\w.-]+@[\w.-]+:\S*[$#])( |$)/.test(line);
}

/** The command of a prompt line (`dev $ kubectl get po` → `kubectl get po`), undefined if none. */
export function commandOf(line: string): string | undefined {
  const m = /^\s*(?:\$|[\w.-]+ \$|[\w.-]+@[\w.-]+:\S*[$#]|\/[\w/.-]* #)(?: (.*)|$)/.exec(line);
  return m ? (m[1] ?? '').trimEnd() : undefined;
}

/** A code block is a console transcript when it has at least one prompt line. */
export function isConsole(lines: readonly string[]): boolean {
  return lines.some(hasPrompt);
}

/** Commands only, no output: every non-empty line is a prompt line. */
export function isCommandsOnly(lines: readonly string[]): boolean {
  const content = lines.filter((l) => l.trim() !== '');
  return content.length > 0 && content.every((l) => commandOf(l) !== undefined);
}

export function fence(info: string, lines: readonly string[], indent = ''): string[] {
  const ticks = lines.some((l) => /^\s*```/.test(l)) ? '````' : '```';
  return [`${indent}${ticks}${info}`, ...lines.map((l) => (l === '' ? '' : indent + l)), `${indent}${ticks}`];
}

/**
 * One line of prose, ready for the dialect: ```` ```cmd``` ```` written inline becomes `` `cmd` ``
 * (remark.js's slide splitter takes triple backticks for a fence and would swallow the slides
 * that follow); a prose line starting `class:` or `name:` is escaped (the dialect reads those as slide
 * properties); images are checked.
 */
export function textLine(line: string, lineNo: number, ctx: ImportContext, diagnostics: Diagnostic[]): string {
  const text = escapeDialect(line.replace(/`{3,}([^`\n]+?)`{3,}/g, '`$1`'));
  return replaceImages(text, lineNo, ctx, diagnostics);
}

/**
 * What the source means as text but the dialect would read as syntax: `.word[` (a macro; inline
 * code is safe already), a stray backtick, a `--` or `???` line (fragment, notes), a `---` line (a new slide, where
 * the author meant a rule: `***` draws the same rule).
 */
export function escapeDialect(line: string): string {
  if (/^---\s*$/.test(line)) return '***';
  if (/^(--|\?\?\?)\s*$/.test(line)) return `\\${line}`;
  // Code spans closed on their line are safe; any other backtick would pair with one on a later
  // line in remark.js's lexer and hide the structure between: it becomes an entity.
  const escaped = line
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/(^|[^\\])\.([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*)\[/g, '$1\\.$2[').replace(/`/g, '&#96;')))
    .join('');
  return escaped.replace(/^(class|name):/, '$1\\:');
}

const MISSING = { fr: 'Image manquante', en: 'Missing image' } as const;

/**
 * Images of the document: kept when the file exists, else a visible placeholder and a warning,
 * so a missing picture is seen on the slide instead of silently vanishing.
 */
export function replaceImages(line: string, lineNo: number, ctx: ImportContext, diagnostics: Diagnostic[]): string {
  const placeholder = (ref: string, column: number): string | undefined => {
    const clean = ref.replace(/\s+=\d*x\d*$/, '').trim();
    if (/^(https?:)?\/\//.test(clean) || ctx.imageExists(clean)) return undefined;
    const name = clean.replace(/^\.\//, '');
    diagnostics.push(warning('import/missing-image', { file: ctx.source, line: lineNo, column }, `image ${name} not found: replaced by a visible placeholder`, `put ${name} next to the chapter and replace the placeholder with ![](${name})`));
    return `.warning[${MISSING[ctx.lang]}${ctx.lang === 'fr' ? ' : ' : ': '}${name}]`;
  };
  let out = line.replace(/!\[([^\]]*)\]\(([^)]+)\)/g, (all, _alt: string, ref: string, index: number) => placeholder(ref, index + 1) ?? all.replace(/\s+=\d*x\d*\)$/, ')'));
  out = out.replace(/<img\s[^>]*src="([^"]+)"[^>]*>/gi, (all, ref: string, index: number) => placeholder(ref, index + 1) ?? all);
  return out;
}

/** Text for comparing headings and page titles: case, spacing and numbering ignored. */
export function normalizeTitle(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

export const OUTLINE_TITLE = { fr: 'Plan', en: 'Outline' } as const;
