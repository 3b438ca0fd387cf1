import type { Nodes, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import type { Node as UnistNode } from 'unist';
import { unified, type Plugin, type Processor } from 'unified';
import { VFile } from 'vfile';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import type { DeckLink, DeckVariable } from '../model/slide.ts';
import type { PluginEntry } from '../model/plugins.ts';
import { INCLUDE, DECK_VARIABLE_PATTERN } from './deck-macros.ts';
import { fastMarkdown } from './fast-markdown.ts';
import type { LineIndex } from './line-index.ts';
import type { MarkdownParser } from './markdown-source.ts';

/**
 * One `---`/`--` piece of a slide in the processor's tree: the root of a parsed file holds these,
 * in order. Its children are the piece's Markdown, then its speaker notes (a `slideNotes` node).
 */
export interface SlidePart extends Parent {
  type: 'slidePart';
  children: (RootContent | SlideNotes)[];
  data: Parent['data'] & { index: number };
}

/** The `???` notes of a slide piece. */
export interface SlideNotes extends Parent {
  type: 'slideNotes';
  children: RootContent[];
}

declare module 'mdast' {
  interface RootContentMap {
    slidePart: SlidePart;
    slideNotes: SlideNotes;
  }
}

/** How a deck's Markdown is read: the parser, and the authors' remark plugins (already loaded). */
export interface MarkdownSettings {
  /** `fast` (markdown-it, the default) or `remark` (remark-parse, for syntax plugins). */
  markdown: 'fast' | 'remark';
  remarkPlugins: readonly PluginEntry[];
}

export const DEFAULT_SETTINGS: MarkdownSettings = { markdown: 'fast', remarkPlugins: [] };

/** What the dialect parser needs of the file besides its text; set on `file.data.dialect`. */
export interface DialectFileData {
  /** Turns a piece of the file into parts: lexing, slides and Markdown (`parseDialect` in index.ts). */
  parseParts: (markdown: MarkdownParser) => Root;
  /** Reads an `@@INCLUDE[path]` target; undefined when it does not exist. */
  readInclude: (path: string, at: Position) => string;
  lines: LineIndex;
  /** The file's text (line offset of inline Markdown included): what positions index. */
  text: string;
  path: string;
  /** Set when an `@@INCLUDE[…]` brought text in (it may hold deck macros the file does not). */
  included?: boolean;
  /** Problems found while processing (lexer, includes, plugins). */
  diagnostics: Diagnostic[];
  /** Problems of one slide piece, by part index (a plugin that failed on it). */
  partDiagnostics: Map<number, Diagnostic[]>;
  /** Where each part starts, for diagnostics about it. */
  partPositions: Position[];
}

declare module 'vfile' {
  interface DataMap {
    dialect: DialectFileData;
  }
}

/**
 * The unified parser plugin of the dialect: the remark.js lexer cuts slides, macros and
 * definitions, and a Markdown parser reads each piece (markdown-it, fast, by default;
 * remark-parse with the processor's syntax extensions with `markdown: 'remark'`).
 */
export function remarkDialect(this: Processor, options: { markdown: MarkdownSettings['markdown'] }): void {
  const markdown = options.markdown === 'remark' ? remarkParser().remarkMarkdown(this) : fastMarkdown;
  this.parser = (_doc, file) => dialectData(file).parseParts(markdown);
}

/** `@@INCLUDE[path]` in text, code and HTML of the slides (not the notes), replaced by the file. */
export function remarkIncludes(): (tree: Root, file: VFile) => void {
  return (tree, file) => {
    const data = dialectData(file);
    const { readInclude, lines, path, text } = data;
    // Most files include nothing: no walk then.
    if (!text.includes('@@INCLUDE[')) return;
    data.included = true;
    const walk = (node: Nodes) => {
      if (node.type === 'slideNotes') return;
      if ((node.type === 'code' || node.type === 'text' || node.type === 'html') && node.value.includes('@@INCLUDE[')) {
        const where = lines.position(path, node.position?.start.offset ?? 0);
        node.value = node.value.replace(INCLUDE, (whole, target: string, index: number) => {
          const before = node.value.slice(0, index);
          const newlines = before.match(/\n/g)?.length ?? 0;
          // In a fenced block the value starts on the line after the fence.
          if (node.type === 'code') return readInclude(target, { ...where, line: where.line + 1 + newlines });
          const offset = locate(node, whole, index, text);
          return readInclude(target, offset === undefined ? where : lines.position(path, offset));
        });
      }
      if ('children' in node) for (const child of node.children) walk(child as Nodes);
    };
    walk(tree);
  };
}

/**
 * `@@NAME@@` and `@@LINK[path]` in text become typed nodes, so a file is parsed once for every
 * deck that includes it and each deck fills in its own values when rendering.
 */
export function remarkDeckMacros(): (tree: Root, file: VFile) => void {
  return (tree, file) => {
    const { lines, text, included } = dialectData(file);
    if (!included && !text.includes('@@')) return;
    const visit = (parent: Parent) => {
      if (parent.type === 'slideNotes') return;
      let changed = false;
      const out: unknown[] = [];
      for (const child of parent.children) {
        if (child.type === 'text' && child.value.includes('@@')) {
          const pieces = splitDeckMacros(child, lines, text);
          if (pieces.length !== 1 || pieces[0] !== child) changed = true;
          out.push(...pieces);
        } else {
          if ('children' in child) visit(child as Parent);
          out.push(child);
        }
      }
      if (changed) parent.children = out as Parent['children'];
    };
    visit(tree);
  };
}

function splitDeckMacros(node: PhrasingContent & { type: 'text' }, lines: LineIndex, text: string): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  const point = (offset: number) => ({ ...lines.lineColumn(offset), offset });
  const position = (start: number | undefined, end: number | undefined) => (start === undefined || end === undefined ? {} : { position: { start: point(start), end: point(end) } });
  let last = 0;
  let lastOffset = node.position?.start.offset;
  for (const m of node.value.matchAll(DECK_VARIABLE_PATTERN)) {
    const at = locate(node, m[0], m.index, text);
    if (m.index > last) out.push({ type: 'text', value: node.value.slice(last, m.index), ...position(lastOffset, at) });
    const macro: DeckVariable | DeckLink = m[1] ? { type: 'deckVariable', name: m[1] } : { type: 'deckLink', path: m[2]! };
    Object.assign(macro, position(at, at === undefined ? undefined : at + m[0].length));
    out.push(macro);
    last = m.index + m[0].length;
    lastOffset = at === undefined ? undefined : at + m[0].length;
  }
  if (last === 0) return [node];
  if (last < node.value.length) out.push({ type: 'text', value: node.value.slice(last), ...position(lastOffset, node.position?.end.offset) });
  return out;
}

/**
 * File offset of `found`, the text at `index` of a node's value. Values may differ from the
 * source (escapes, entities, joined lines): the text is looked for from the node's start.
 */
function locate(node: { position?: Root['position']; value: string }, found: string, index: number, text: string): number | undefined {
  const start = node.position?.start.offset;
  if (start === undefined) return undefined;
  if (text.startsWith(found, start + index)) return start + index;
  const at = text.indexOf(found, start);
  return at === -1 || at > (node.position?.end.offset ?? text.length) ? undefined : at;
}

/**
 * An author's remark plugin, run on each slide piece alone (and on its notes): one that throws
 * or cannot run synchronously is reported on the slide, named, and the build goes on.
 */
export function perSlide(entry: PluginEntry): Plugin<[unknown?], Root> {
  return isolatedPlugin<Root>(entry, (transformer, tree, file) => {
    const data = dialectData(file);
    for (const part of tree.children) {
      if (part.type !== 'slidePart') continue;
      const content = { type: 'root', children: part.children.filter((c) => c.type !== 'slideNotes') } as Root;
      const notes = part.children.find((c): c is SlideNotes => c.type === 'slideNotes');
      const problem = (message: string, hint: string) => {
        const d = error('plugin/failed', data.partPositions[part.data.index]!, `remark plugin \`${entry.name}\` failed on this slide: ${message}`, hint);
        data.partDiagnostics.set(part.data.index, [...(data.partDiagnostics.get(part.data.index) ?? []), d]);
      };
      const run = (root: Root): Root => runIsolated(transformer, root, file, entry.name, problem);
      const done = run(content);
      if (notes) notes.children = run({ type: 'root', children: notes.children }).children;
      part.children = notes ? [...done.children, notes] : done.children;
    }
    return tree;
  });
}

/**
 * An author's plugin, attached as unified attaches it (its options, the processor as `this`),
 * whose transformer labdeck runs through `run` instead of handing it to unified.
 */
export function isolatedPlugin<T extends UnistNode>(entry: PluginEntry, run: (transformer: unknown, tree: T, file: VFile) => T): Plugin<[unknown?], T> {
  return function (this: Processor, ...args: unknown[]) {
    const transformer = (entry.plugin as (...a: unknown[]) => unknown).apply(this, args);
    if (typeof transformer !== 'function') return undefined;
    return (tree: T, file: VFile) => run(transformer, tree, file);
  } as Plugin<[unknown?], T>;
}

/**
 * One run of an author's transformer on one tree: the tree it gives back (or the same one,
 * transformed in place); a throw or a promise is a `problem`, and the tree stays as the plugin
 * left it. Shared by remark plugins (per slide) and rehype plugins (per fragment).
 */
export function runIsolated<T extends { type: string }>(transformer: unknown, tree: T, file: VFile, name: string, problem: (message: string, hint: string) => void): T {
  try {
    const result = (transformer as (t: T, f: VFile) => unknown)(tree, file);
    if (result && typeof (result as { then?: unknown }).then === 'function') {
      problem('it works asynchronously, which labdeck does not run', 'use a plugin that transforms the tree synchronously');
      return tree;
    }
    return result && typeof result === 'object' && (result as T).type === tree.type ? (result as T) : tree;
  } catch (e) {
    problem(e instanceof Error ? e.message : String(e), `fix the slide or remove \`${name}\` from \`plugins:\``);
    return tree;
  }
}

/**
 * remark-parse and remark-gfm (micromark and its extensions): loaded when a deck first needs
 * them (`markdown: remark`), not at every start of labdeck, which they would slow by ~100 ms.
 */
let remark: typeof import('./remark-markdown.ts') | undefined;

export async function loadRemarkParser(): Promise<void> {
  remark ??= await import('./remark-markdown.ts');
}

function remarkParser(): typeof import('./remark-markdown.ts') {
  if (!remark) throw new Error("labdeck: await loadRemarkParser() before parsing with `markdown: 'remark'`");
  return remark;
}

/** `file.data.dialect`, which parseSource sets before parsing. */
export function dialectData(file: VFile): DialectFileData {
  const data = file.data.dialect;
  if (!data) throw new Error('labdeck: the dialect processor needs file.data.dialect (use parseSource)');
  return data;
}

/** The processor of one Markdown setting, built once (authors' plugins attach when it freezes). */
const processors = new Map<string, { processor: Processor<Root, Root, Root>; diagnostics: Diagnostic[] }>();

export function dialectProcessor(settings: MarkdownSettings, key = settingsKey(settings)): { processor: Processor<Root, Root, Root>; diagnostics: Diagnostic[] } {
  let hit = processors.get(key);
  if (hit) return hit;
  const diagnostics: Diagnostic[] = [];
  let processor = unified().use(remarkDialect, { markdown: settings.markdown }) as unknown as Processor<Root, Root, Root>;
  if (settings.markdown === 'remark') processor = processor.use(remarkParser().remarkGfm) as never;
  // Includes and deck macros first: the authors' plugins see the slides as they will show.
  processor = processor.use(remarkIncludes).use(remarkDeckMacros) as never;
  for (const entry of settings.remarkPlugins) {
    processor = processor.use(watchSyntax(entry, settings, diagnostics), ...(entry.options === undefined ? [] : [entry.options])) as never;
  }
  processor.freeze();
  hit = { processor, diagnostics };
  if (processors.size > 50) processors.clear();
  processors.set(key, hit);
  return hit;
}

/** Attaches an author's plugin per slide, and says so when it adds syntax the fast parser cannot read. */
function watchSyntax(entry: PluginEntry, settings: MarkdownSettings, diagnostics: Diagnostic[]): Plugin<[unknown?], Root> {
  const wrapped = perSlide(entry);
  return function (this: Processor, ...args: unknown[]) {
    const count = () => ((this.data() as Record<string, unknown[] | undefined>).micromarkExtensions ?? []).length;
    const before = count();
    const transformer = (wrapped as (...a: unknown[]) => unknown).apply(this, args);
    if (count() > before && settings.markdown !== 'remark') {
      diagnostics.push(error('plugin/needs-remark', entry.position, `\`${entry.name}\` adds Markdown syntax, which the fast parser cannot read`, 'add `markdown: remark` to the manifest: that deck is then parsed with remark-parse (slower)'));
    }
    return transformer;
  } as Plugin<[unknown?], Root>;
}

export function settingsKey(settings: MarkdownSettings): string {
  return JSON.stringify([settings.markdown, settings.remarkPlugins.map((p) => [p.name, p.options ?? null])]);
}

/** Messages authors' plugins left on the file (`file.message()`), as labdeck diagnostics. */
export function pluginMessages(file: VFile, path: string): Diagnostic[] {
  return file.messages.map((m) => {
    const place = m.place && 'start' in m.place ? m.place.start : m.place;
    const position: Position = { file: path, line: place?.line ?? 1, column: place?.column ?? 1 };
    const code = `plugin/${m.source ?? 'message'}${m.ruleId ? `:${m.ruleId}` : ''}`;
    return m.fatal ? error(code, position, m.reason) : warning(code, position, m.reason);
  });
}

export { VFile };
