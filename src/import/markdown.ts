import type { Nodes, Parents, Root, Text } from 'mdast';
import type { Handle, Options, State, Unsafe } from 'mdast-util-to-markdown';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import type { SourceFile } from '../model/chapter.ts';
import type { DeckLink, DeckVariable, MacroBlock, MacroInline, Slide } from '../model/slide.ts';
import { parseSource } from '../parse/index.ts';
import { joinSlides, type DraftSlide } from './shared.ts';

/**
 * Markdown of the dialect, written by remark-stringify. CommonMark's escapes are not enough for
 * the dialect: remark.js's lexer reads `.name[` as a macro, a `--` or `???` line as a step or
 * notes, and pairs backticks across lines whatever escapes them. Those are escaped too.
 */
const DIALECT_UNSAFE: Unsafe[] = [
  // `.red[`: a macro; `\.red[` shows the text.
  { character: '.', after: '[A-Za-z_-][\\w-]*(?:\\.[A-Za-z_-][\\w-]*)*\\[', inConstruct: 'phrasing' },
  // A line of `--` (a step) or `???` (speaker notes). `after` is a lookahead: what it matches is
  // consumed otherwise, and a consumed line end hid the next `???` line from the pattern.
  { atBreak: true, character: '-', after: '(?=-[ \\t]*(?:\\r?\\n|$))' },
  { atBreak: true, character: '?', after: '(?=\\?\\?[ \\t]*(?:\\r?\\n|$))' },
];

const macroBlock: Handle = (node: MacroBlock, _parent, state, info) => `.${node.classes.join('.')}[\n\n${state.containerFlow(node as unknown as Root, info)}\n\n]`;

const macroInline: Handle = (node: MacroInline, _parent, state, info) => {
  const tracker = state.createTracker(info);
  let value = tracker.move(`.${node.classes.join('.')}[`);
  value += tracker.move(state.containerPhrasing(node as unknown as Parents, { before: value, after: ']', ...tracker.current() }));
  return value + tracker.move(']');
};

const deckVariable: Handle = (node: DeckVariable) => `@@${node.name}@@`;
const deckLink: Handle = (node: DeckLink) => `@@LINK[${node.path}]`;

/**
 * Text as CommonMark escapes it, plus: a backtick as an entity (remark.js's lexer pairs escaped
 * ones), and `class:`/`name:` at the start of a line escaped (the dialect reads them as properties).
 */
const text: Handle = (node: Text, _parent, state: State, info) => {
  const value = state.safe(node.value, info).replace(/\\`/g, '&#96;');
  const atLineStart = info.before === '' || info.before === '\n';
  return value.replace(/(^|\n)(class|name):/g, (whole, nl: string, key: string) => (nl === '' && !atLineStart ? whole : `${nl}${key}\\:`));
};

/** The dialect's house style: `-` bullets, `*` emphasis, backtick fences, `***` rules (`---` cuts slides). */
export const DIALECT_STYLE: Options = {
  bullet: '-',
  bulletOther: '*',
  emphasis: '*',
  strong: '*',
  fence: '`',
  fences: true,
  rule: '*',
  listItemIndent: 'one',
  incrementListMarker: true,
  setext: false,
  closeAtx: false,
  resourceLink: false,
  unsafe: DIALECT_UNSAFE,
  handlers: { macroBlock, macroInline, deckVariable, deckLink, text } as Options['handlers'],
};

const processor = unified().use(remarkGfm).use(remarkStringify, DIALECT_STYLE).freeze();

/** One slide's tree as Markdown of the dialect. */
export function slideMarkdown(tree: Root): string {
  return String(processor.stringify(tree)).replace(/\n+$/, '');
}

/** remark.js reads `word:` on a slide's first line as a property and hides it. */
const escapeProperty = (markdown: string): string => markdown.replace(/^([-\w]+):/, '$1\\:');

/** A parsed file written back: slides joined by `---`, steps by `--`, notes after `???`. */
export function fileMarkdown(file: SourceFile): string {
  const slides = file.slides.map((slide) => escapeProperty([...propertyLines(slide), slideBody(slide)].filter(Boolean).join('\n\n')));
  const definitions = file.definitions.map((d) => `[${d.label}]: ${d.url}${d.title === undefined ? '' : ` "${d.title}"`}`);
  const body = slides.filter((s) => s.trim() !== '').join('\n\n---\n\n');
  return `${definitions.length > 0 ? `${body}\n\n${definitions.join('\n')}` : body}\n`;
}

function propertyLines(slide: Slide): string[] {
  const lines = Object.entries(slide.properties).map(([k, v]) => `${k}: ${v}`);
  return lines.length > 0 ? [lines.join('\n')] : [];
}

function slideBody(slide: Slide): string {
  const steps = slide.fragments.map((f) => slideMarkdown(f.tree)).join('\n\n--\n\n');
  const notes = slide.notes && slide.notes.tree.children.length > 0 ? `\n\n???\n\n${slideMarkdown(slide.notes.tree)}` : '';
  return steps + notes;
}

/**
 * Markdown assembled by an importer (prose lines of the source, titles, fences, lab boxes),
 * normalised: parsed by the dialect's parser and written again by remark-stringify, so what
 * labdeck generates is in one style, and stable (`fileMarkdown(parse(x)) === x`).
 */
export function normalizeMarkdown(markdown: string): string {
  return fileMarkdown(parseSource(markdown, { path: 'import.md' }));
}

/**
 * The Markdown a human reviews afterwards: slides joined with `---`, then read by the dialect's
 * parser and written again by remark-stringify in the dialect's style.
 */
export function renderSlides(slides: readonly DraftSlide[]): string {
  return normalizeMarkdown(joinSlides(slides));
}

export type { Nodes };
