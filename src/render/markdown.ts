import type { Element, ElementContent } from 'hast';
import type { Code, Html, Image, ImageReference, InlineCode, Link, LinkReference, Nodes, PhrasingContent, Root, Text } from 'mdast';
import { defaultHandlers, type Handlers, type State } from 'mdast-util-to-hast';
import { VFile } from 'vfile';
import type { Definition } from '../model/chapter.ts';
import type { Deck, DeckValues } from '../model/deck.ts';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import type { DeckLink, DeckVariable, MacroBlock, MacroInline } from '../model/slide.ts';
import { normalizeLabel, parseMarkdown } from '../parse/index.ts';
import { mermaidSource, type MermaidSource } from '../mermaid/index.ts';
import type { PluginEntry } from '../model/plugins.ts';
import rehypeStringify from 'rehype-stringify';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { CodeHighlighter } from './highlight.ts';
import { renderContext, type FragmentPipeline, type LinkTargets, type MarkdownContext } from './context.ts';
import { isolatedRehype, MERMAID_DATA, rehypeHighlight, rehypeMermaid } from './rehype.ts';
import { t, type Locale } from '../shared/locale.ts';
import { isRefusal } from '../shared/sandbox.ts';

export { newRenderSession, renderContext, type AssetCheck, type FragmentPipeline, type LinkTargets, type MarkdownContext, type RenderSession } from './context.ts';

const VALUE_NAMES: Record<string, keyof DeckValues> = {
  TITLE: 'title',
  CHAT: 'chat',
  GITREPO: 'gitrepo',
  SLIDES: 'slides',
  ZIP: 'zip',
  HTML: 'html',
  SLIDENUMBERPREFIX: 'slidenumberprefix',
};

/** `@@GITREPO@@` and friends inside URLs and code, which the parser keeps as text. */
export function substituteValues(text: string, values: DeckValues): string {
  if (!text.includes('@@')) return text;
  return text.replace(/@@([A-Z]+)@@/g, (whole, name: string) => {
    const key = VALUE_NAMES[name];
    return key ? values[key] : whole;
  });
}

const rendered = new WeakMap<object, { key: number; html: string }>();
const contextIds = new Map<string, number>();
const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
let nextContextId = 0;
const objectId = (o: object) => {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
};

/**
 * A number standing for everything outside a fragment's tree that shapes its HTML: deck values,
 * reference definitions, link targets, locale and highlighter. Equal numbers, equal HTML.
 */
export function contextId(deck: Pick<Deck, 'values' | 'definitions'>, locale: Locale, highlighter: CodeHighlighter, targets: LinkTargets, pipeline: FragmentPipeline = fragmentPipeline([])): number {
  const definitions = [...deck.definitions].map(([k, d]) => `${k}\t${d.url}\t${d.title ?? ''}`).join('\n');
  const ids = [...targets.ids].map(([k, i]) => `${k}\t${i}`).join('\n');
  const key = [objectId(locale), objectId(highlighter), objectId(pipeline), JSON.stringify(deck.values), definitions, [...targets.names].join('\n'), ids].join('\0');
  let id = contextIds.get(key);
  if (id === undefined) {
    if (contextIds.size > 1000) contextIds.clear();
    contextIds.set(key, (id = nextContextId++));
  }
  return id;
}

/** The part of `contextId` every deck of a locale shares: for fragments that read nothing of their deck. */
export function sharedContextId(locale: Locale, highlighter: CodeHighlighter, pipeline: FragmentPipeline = fragmentPipeline([])): number {
  const key = `shared\0${objectId(locale)}\0${objectId(highlighter)}\0${objectId(pipeline)}`;
  let id = contextIds.get(key);
  if (id === undefined) contextIds.set(key, (id = nextContextId++));
  return id;
}

const deckDependent = new WeakMap<object, boolean>();

/**
 * Whether a tree's HTML can differ from one deck to another: deck values (`@@…@@`, `@@LINK`),
 * reference definitions, `#` links (targets, dead-link severity), images (copied per deck).
 * Kept per tree (the decks that share a chapter share its trees), not per node: a WeakMap entry
 * for every node of a course cost more than the walk.
 */
function dependsOnDeck(tree: Root): boolean {
  let known = deckDependent.get(tree);
  if (known === undefined) deckDependent.set(tree, (known = readsDeck(tree)));
  return known;
}

function readsDeck(node: Nodes): boolean {
  switch (node.type as string) {
    case 'deckVariable':
    case 'deckLink':
    case 'linkReference':
    case 'imageReference':
    case 'image':
      return true;
    case 'link':
      if ((node as Link).url.startsWith('#') || (node as Link).url.includes('@@')) return true;
      break;
    case 'code':
    case 'inlineCode':
      return (node as Code).value.includes('@@');
  }
  return 'children' in node && (node.children as Nodes[]).some(readsDeck);
}

/**
 * HTML of a slide's Markdown tree. With `ctx.reuse`, an unchanged tree (the parse cache keeps
 * the trees of unchanged files) under the same context is not converted again: dev rebuilds
 * re-render whole decks, and a chapter shared by several decks is converted once per build when
 * nothing in it reads its deck (`ctx.reuseShared`). Conversions that reported a problem or showed
 * an image are not kept, since those effects must happen on every build.
 */
export function fragmentHtml(tree: Root, ctx: MarkdownContext): string {
  const key = ctx.reuseShared !== undefined && !dependsOnDeck(tree) ? ctx.reuseShared : ctx.reuse;
  if (key !== undefined) {
    const hit = rendered.get(tree);
    if (hit && hit.key === key) return hit.html;
  }
  const problems = ctx.diagnostics.length;
  ctx.showedImage = false;
  ctx.pending = { diagrams: 0, code: 0 };
  const html = (ctx.pipeline ?? fragmentPipeline([])).toHtml(tree, renderFile(ctx));
  if (key !== undefined && ctx.diagnostics.length === problems && !ctx.showedImage) rendered.set(tree, { key, html });
  return html;
}

const pipelines = new Map<string, FragmentPipeline>();

/**
 * The unified pipeline of a deck: remark-rehype with the dialect's handlers, Mermaid, the
 * authors' rehype plugins (isolated), shiki, rehype-stringify. One per set of plugins.
 */
export function fragmentPipeline(rehypePlugins: readonly PluginEntry[]): FragmentPipeline {
  const key = JSON.stringify(rehypePlugins.map((p) => [p.name, p.options ?? null]));
  let pipeline = pipelines.get(key);
  if (pipeline) return pipeline;
  let processor = unified().use(remarkRehype, { allowDangerousHtml: true, handlers: DIALECT_HANDLERS }).use(rehypeMermaid) as unknown as ReturnType<typeof unified>;
  for (const entry of rehypePlugins) processor = processor.use(isolatedRehype(entry), ...(entry.options === undefined ? [] : [entry.options])) as never;
  const frozen = processor.use(rehypeHighlight).use(rehypeStringify, { allowDangerousHtml: true }).freeze();
  pipeline = {
    plugins: rehypePlugins.length,
    toHtml(tree, file) {
      const hast = frozen.runSync(tree as never, file);
      return String(frozen.stringify(hast as never, file));
    },
  };
  pipelines.set(key, pipeline);
  return pipeline;
}

const renderFiles = new WeakMap<MarkdownContext, VFile>();

/** The vfile the fragments of one slide are rendered with: it carries the slide's context. */
function renderFile(ctx: MarkdownContext): VFile {
  let file = renderFiles.get(ctx);
  if (!file) {
    file = new VFile({ path: ctx.file });
    file.data.render = ctx;
    renderFiles.set(ctx, file);
  }
  return file;
}

const pos = (ctx: MarkdownContext, node: { position?: Nodes['position'] }): Position => ({
  file: ctx.file,
  line: node.position?.start.line ?? ctx.slide?.line ?? 1,
  column: node.position?.start.column ?? 1,
});

const isExternal = (url: string) => /^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(url);

const handlerSets = new WeakMap<MarkdownContext, Handlers>();

/**
 * The dialect's mdast → hast handlers, for remark-rehype: each asks the fragment's file for its
 * context (deck values, definitions, link targets), and works with that context's own handlers.
 */
export const DIALECT_HANDLERS = Object.fromEntries(
  ['macroBlock', 'macroInline', 'deckVariable', 'deckLink', 'code', 'inlineCode', 'html', 'link', 'image', 'text', 'linkReference', 'imageReference'].map((type) => [
    type,
    (state: State, node: Nodes, parent: Nodes | undefined) => {
      const ctx = renderContext(state.options.file ?? undefined);
      let handlers = handlerSets.get(ctx);
      if (!handlers) handlerSets.set(ctx, (handlers = handlersFor(ctx)));
      return ((handlers as Record<string, unknown>)[type] as (s: State, n: Nodes, p: Nodes | undefined) => unknown)(state, node, parent);
    },
  ]),
) as unknown as Handlers;

function handlersFor(ctx: MarkdownContext): Handlers {
  const { values } = ctx.deck;

  const macroBlock = (state: State, node: MacroBlock): Element => {
    const lab = node.classes.includes('lab') || node.classes.includes('exercise');
    const classes = lab && !node.classes.includes('lab') ? [...node.classes, 'lab'] : node.classes;
    const children = state.all(node as unknown as Nodes);
    if (lab) {
      children.unshift({
        type: 'element',
        tagName: 'div',
        properties: { className: ['ld-box-label'], ariaHidden: 'true' },
        children: [{ type: 'text', value: t(ctx.locale, 'labBox') }],
      });
    }
    const div: Element = { type: 'element', tagName: 'div', properties: { className: classes }, children: state.wrap(children, true) };
    state.patch(node as unknown as Nodes, div);
    return div;
  };

  const macroInline = (state: State, node: MacroInline): Element => ({
    type: 'element',
    tagName: 'span',
    properties: { className: node.classes },
    children: state.all(node as unknown as Nodes),
  });

  const deckVariable = (state: State, node: DeckVariable): ElementContent | ElementContent[] => {
    const key = VALUE_NAMES[node.name];
    if (!key) return { type: 'text', value: `@@${node.name}@@` };
    const value = values[key];
    if (key === 'title') {
      // As markmaker: newlines in the manifest title become line breaks.
      return value.split('\n').flatMap((line, i): ElementContent[] => {
        const text: ElementContent = { type: 'text', value: line };
        return i === 0 ? [text] : [{ type: 'element', tagName: 'br', properties: {}, children: [] }, text];
      });
    }
    if (key === 'chat') return state.all({ type: 'paragraph', children: inlineMarkdown(value) } as Nodes);
    return { type: 'text', value };
  };

  const deckLink = (_state: State, node: DeckLink): Element => {
    const gitrepo = values.gitrepo.replace(/^https?:\/\//, '').replace(/\/+$/, '');
    const href = gitrepo ? `https://${gitrepo}/tree/main/${node.path}` : node.path;
    return { type: 'element', tagName: 'a', properties: { href }, children: [{ type: 'text', value: node.path }] };
  };

  // A diagram is drawn by the pipeline's Mermaid plugin (rehype.ts): here it only leaves its source.
  const diagram = (state: State, node: Code | Html, source: MermaidSource): Element => {
    if (ctx.pending) ctx.pending.diagrams++;
    const element: Element = { type: 'element', tagName: 'pre', properties: { className: ['mermaid'] }, children: [], data: { [MERMAID_DATA]: source } as Element['data'] };
    state.patch(node, element);
    return element;
  };

  // Highlighting is the pipeline's shiki plugin (rehype.ts): here the code, deck values filled in.
  const code = (state: State, node: Code): ElementContent => {
    const mermaid = mermaidSource(node);
    if (mermaid) return diagram(state, node, mermaid);
    if (ctx.pending) ctx.pending.code++;
    return defaultHandlers.code(state, { ...node, lang: (node.lang ?? '').trim() || null, value: substituteValues(node.value, values) });
  };

  const inlineCode = (state: State, node: InlineCode) => defaultHandlers.inlineCode(state, { ...node, value: substituteValues(node.value, values) });

  const html = (state: State, node: Html) => {
    const mermaid = mermaidSource(node);
    if (mermaid) return diagram(state, node, mermaid);
    // Hidden automation and disabled content live in comments: they never reach the page.
    const value = node.value.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
    return value.trim() === '' ? undefined : defaultHandlers.html(state, { ...node, value });
  };

  const link = (state: State, node: Link) => {
    let url = substituteValues(node.url, values);
    if (url.startsWith('#') && url.length > 1) url = anchorHref(ctx, safeDecode(url.replace(/^#\/?/, '')), node);
    return defaultHandlers.link(state, { ...node, url });
  };

  const image = (state: State, node: Image) => defaultHandlers.image(state, { ...node, url: imageUrl(ctx, substituteValues(node.url, values), node) });

  // remark.js shows a reference to a label nobody defines as its text, brackets included.
  const undefinedReference = (node: { position?: Nodes['position'] }, label: string) =>
    ctx.diagnostics.push(
      warning('render/undefined-reference', pos(ctx, node), `reference [${label}] is not defined for this slide: it shows as text, brackets included`, `add \`[${label}]: https://…\` to the slide's file, or fix the label`),
    );

  const text = (state: State, node: Text) => {
    for (const m of node.value.matchAll(FULL_REFERENCE)) undefinedReference(node, m[2] || m[1]!);
    return defaultHandlers.text(state, node);
  };

  const linkReference = (state: State, node: LinkReference) => {
    const def = lookupDefinition(ctx.deck.definitions, node);
    if (!def) {
      undefinedReference(node, node.label ?? node.identifier);
      return defaultHandlers.linkReference(state, node);
    }
    return link(state, { type: 'link', url: def.url, title: def.title ?? null, children: node.children, position: node.position });
  };

  const imageReference = (state: State, node: ImageReference) => {
    const def = lookupDefinition(ctx.deck.definitions, node);
    if (!def) {
      undefinedReference(node, node.label ?? node.identifier);
      return defaultHandlers.imageReference(state, node);
    }
    return image(state, { type: 'image', url: def.url, title: def.title ?? null, alt: node.alt, position: node.position });
  };

  return {
    macroBlock,
    macroInline,
    deckVariable,
    deckLink,
    code,
    inlineCode,
    html,
    link,
    image,
    text,
    linkReference,
    imageReference,
  } as unknown as Handlers;
}

/**
 * `#name` and `#/name` go to the slide with that `name:`; a slide id (what generated navigation
 * uses for slides without a name) becomes Reveal's index, since ids hold `/` and `:`.
 */
function anchorHref(ctx: MarkdownContext, anchor: string, node: { position?: Nodes['position'] }): string {
  if (ctx.targets.names.has(anchor) || /^\d+(\/\d+)*$/.test(anchor)) return `#/${anchor}`;
  const index = ctx.targets.ids.get(anchor);
  if (index !== undefined) return `#/${index}`;
  const make = ctx.generated ? error : warning;
  ctx.diagnostics.push(
    make('render/dead-link', pos(ctx, node), `link to "#${anchor}" goes nowhere: no slide of this deck has that name`, 'link to a chapter anchor (toc-…) or to a slide with a name: property'),
  );
  return `#/${anchor}`;
}

/** `[text][label]` or `[text][]` left as text: the parser found no definition of the label anywhere. */
const FULL_REFERENCE = /\[([^\[\]\n]+)\]\[([^\[\]\n]*)\]/g;

function lookupDefinition(definitions: Map<string, Definition>, node: LinkReference | ImageReference): Definition | undefined {
  const label = normalizeLabel(node.label ?? node.identifier);
  return definitions.get(label) ?? definitions.get(node.identifier);
}

const inlineCache = new Map<string, PhrasingContent[]>();

/** A manifest value written in Markdown (`chat: "[Slack](https://…)"`), as phrasing content. */
function inlineMarkdown(value: string): PhrasingContent[] {
  let children = inlineCache.get(value);
  if (!children) {
    const tree = parseMarkdown(value);
    children = tree.children.flatMap((n) => (n.type === 'paragraph' ? n.children : []));
    inlineCache.set(value, children);
  }
  return children;
}

/**
 * Local images are looked up next to the slide's file, then from the content root (where
 * container.training decks point with `images/…`), and copied under `images/` of the output.
 */
function imageUrl(ctx: MarkdownContext, url: string, node: { position?: Nodes['position'] }): string {
  if (isExternal(url) || url.startsWith('/') || url === '') return url;
  const [path, suffix = ''] = splitSuffix(url);
  const decoded = safeDecode(path);
  const dir = ctx.file.includes('/') ? ctx.file.slice(0, ctx.file.lastIndexOf('/')) : '';
  const candidates = [joinRelative(dir, decoded), joinRelative('', decoded)].filter((c): c is string => c !== undefined);
  const checked = candidates.map((c) => ctx.assetExists(c));
  const refused = checked.find(isRefusal);
  if (refused) {
    ctx.diagnostics.push(error(refused.code, pos(ctx, node), `image "${url}" not copied: ${refused.message}`, refused.hint));
    return url;
  }
  const found = candidates.find((_c, i) => checked[i] === true);
  if (!found) {
    ctx.diagnostics.push(
      error('render/missing-image', pos(ctx, node), `image "${url}" not found (looked for ${candidates.map((c) => `"${c}"`).join(' and ')} in the content folder)`, 'fix the path, or add the image next to the slide file or under the content root'),
    );
    return url;
  }
  ctx.showedImage = true;
  const target = found.startsWith('images/') ? found : `images/${found}`;
  ctx.images.set(found, target);
  return encodeURI(target) + suffix;
}

function splitSuffix(url: string): [string, string?] {
  const i = url.search(/[?#]/);
  return i === -1 ? [url] : [url.slice(0, i), url.slice(i)];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Joins and normalises a relative path; undefined when it climbs out of the content root. */
export function joinRelative(dir: string, path: string): string | undefined {
  const parts: string[] = [];
  for (const seg of `${dir}/${path}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}
