import {
  bundledLanguages,
  bundledLanguagesAlias,
  createHighlighter,
  createOnigurumaEngine,
  type DecorationItem,
  type Highlighter,
} from 'shiki';
import type { Element, ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';

/** Light, high-contrast: code must stay readable on a washed-out projector. */
export const CODE_THEME = 'github-light-high-contrast';

/** A highlight span of remark's `highlightSpans`: text between backticks inside a code block. */
export interface HighlightSpan {
  start: number;
  end: number;
}

/**
 * Removes the backticks of remark highlight spans (`` `text` `` on one line) and says where the
 * highlighted text now sits. An unpaired backtick stays as written, as remark leaves it.
 */
export function extractHighlightSpans(code: string): { code: string; spans: HighlightSpan[] } {
  const spans: HighlightSpan[] = [];
  let out = '';
  let last = 0;
  for (const m of code.matchAll(/`([^`\n]+)`/g)) {
    out += code.slice(last, m.index);
    const start = out.length;
    out += m[1];
    spans.push({ start, end: out.length });
    last = m.index + m[0].length;
  }
  if (spans.length === 0) return { code, spans };
  return { code: out + code.slice(last), spans };
}

/** East Asian wide characters and emoji take two columns of a monospace font. */
const WIDE = /[\p{Extended_Pictographic}\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

/**
 * Columns of the code's longest line (tabs to the next multiple of 8, wide characters counting
 * two): the theme shrinks the font of a block so that many columns fit, down to a readable minimum
 * (`--ld-cols`), then wraps what is still too long.
 */
export function codeColumns(code: string): number {
  let widest = 0;
  for (const line of code.split('\n')) {
    let cols = 0;
    for (const ch of line.trimEnd()) cols = ch === '\t' ? cols + 8 - (cols % 8) : cols + (WIDE.test(ch) ? 2 : 1);
    widest = Math.max(widest, cols);
  }
  return widest;
}

/**
 * Plain `<pre><code>` for languages shiki does not know, highlight spans still marked, one
 * `span.line` per line as shiki writes them (the theme marks where a long line wraps). Built as a
 * tree: the language is the author's fence info string, and must stay one attribute value.
 */
export function plainCodeHtml(code: string, lang: string): string {
  const { code: text, spans } = extractHighlightSpans(code);
  const lines: ElementContent[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const end = offset + line.length;
    const children: ElementContent[] = [];
    let last = offset;
    // Spans never hold a newline: each lies within one line.
    for (const s of spans.filter((x) => x.start >= offset && x.end <= end)) {
      if (s.start > last) children.push({ type: 'text', value: text.slice(last, s.start) });
      children.push({ type: 'element', tagName: 'mark', properties: { className: ['hl'] }, children: [{ type: 'text', value: text.slice(s.start, s.end) }] });
      last = s.end;
    }
    if (end > last) children.push({ type: 'text', value: text.slice(last, end) });
    if (lines.length > 0) lines.push({ type: 'text', value: '\n' });
    lines.push({ type: 'element', tagName: 'span', properties: { className: ['line'] }, children });
    offset = end + 1;
  }
  const pre: Element = {
    type: 'element',
    tagName: 'pre',
    properties: { className: ['plain'], ...(lang ? { dataLang: lang } : {}), style: `--ld-cols:${codeColumns(text)}` },
    children: [{ type: 'element', tagName: 'code', properties: {}, children: lines }],
  };
  return toHtml(pre);
}

export interface HighlightStats {
  blocks: number;
  cacheHits: number;
  /** Milliseconds spent inside shiki. */
  ms: number;
}

/**
 * One shiki instance for the whole process, with its output cached by (lang, code): French decks
 * show the same commands as English ones, and the dev server re-renders unchanged slides.
 */
export interface CodeHighlighter {
  /** Loads the grammars of these languages (unknown ones are ignored): call before `highlight`. */
  prepare(langs: Iterable<string>): Promise<void>;
  /** Whether `lang` is a language shiki knows (an empty lang is plain text and counts as known). */
  knows(lang: string): boolean;
  /** `<pre>` HTML for the code: highlighted when the grammar is loaded, plain otherwise. */
  highlight(lang: string, code: string): string;
  stats: HighlightStats;
}

/** Characters of one line past which shiki leaves the line uncoloured (minified JSON, base64). */
export const MAX_HIGHLIGHTED_LINE = 20_000;

const normalise = (lang: string) => lang.trim().toLowerCase();
const isBundled = (lang: string) => lang in bundledLanguages || lang in bundledLanguagesAlias;

export async function createCodeHighlighter(): Promise<CodeHighlighter> {
  // Oniguruma (WASM) takes ~0.2 s more to start than the JavaScript regex engine, but highlights
  // 30–40 % faster on a container.training-sized course (1,500 distinct blocks: 0.8–1.2 s against
  // 1.3–1.8 s), and its start overlaps the loading of the course (buildSite starts it first).
  const shiki: Highlighter = await createHighlighter({
    themes: [CODE_THEME],
    langs: [],
    engine: createOnigurumaEngine(import('shiki/wasm')),
  });
  const loaded = new Set<string>();
  const cache = new Map<string, string>();
  const stats: HighlightStats = { blocks: 0, cacheHits: 0, ms: 0 };

  return {
    stats,
    knows: (lang) => normalise(lang) === '' || isBundled(normalise(lang)),
    async prepare(langs) {
      const wanted = [...new Set([...langs].map(normalise))].filter((l) => l && isBundled(l) && !loaded.has(l));
      if (wanted.length === 0) return;
      await shiki.loadLanguage(...(wanted as Parameters<Highlighter['loadLanguage']>));
      for (const l of wanted) loaded.add(l);
    },
    highlight(rawLang, code) {
      const lang = normalise(rawLang);
      stats.blocks++;
      const key = `${lang}\0${code}`;
      const hit = cache.get(key);
      if (hit !== undefined) {
        stats.cacheHits++;
        return hit;
      }
      let html: string;
      if (!loaded.has(lang)) {
        html = plainCodeHtml(code, lang);
      } else {
        const started = performance.now();
        const { code: text, spans } = extractHighlightSpans(code);
        const decorations: DecorationItem[] = spans.map((s) => ({
          start: s.start,
          end: s.end,
          tagName: 'mark',
          properties: { class: 'hl' },
          alwaysWrap: true,
        }));
        html = shiki.codeToHtml(text, {
          lang,
          theme: CODE_THEME,
          // shiki stops tokenizing a line after 500 ms by default: on a busy machine the same
          // build then highlights differently. No time limit; a length limit instead, which
          // depends on the input only (lines past it are shown plain).
          tokenizeTimeLimit: 0,
          tokenizeMaxLineLength: MAX_HIGHLIGHTED_LINE,
          decorations,
          transformers: [
            {
              pre: (pre) => {
                pre.properties['data-lang'] = lang;
                pre.properties.style = `${String(pre.properties.style ?? '')};--ld-cols:${codeColumns(text)}`;
              },
            },
          ],
        });
        stats.ms += performance.now() - started;
      }
      cache.set(key, html);
      return html;
    },
  };
}

let shared: Promise<CodeHighlighter> | undefined;
/** The process-wide highlighter (created on first use). */
export function sharedCodeHighlighter(): Promise<CodeHighlighter> {
  shared ??= createCodeHighlighter();
  return shared;
}
