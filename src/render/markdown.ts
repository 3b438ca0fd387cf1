import type { Element, ElementContent, Root as HastRoot } from 'hast';
import type { Code, Html, Image, ImageReference, InlineCode, Link, LinkReference, Nodes, PhrasingContent, Root, Text } from 'mdast';
import type { Point } from 'unist';
import { toHtml } from 'hast-util-to-html';
import { defaultHandlers, toHast, type Handlers, type State } from 'mdast-util-to-hast';
import type { Definition } from '../model/chapter.ts';
import type { Deck, DeckValues } from '../model/deck.ts';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { DeckLink, DeckVariable, MacroBlock, MacroInline } from '../model/slide.ts';
import { normalizeLabel, parseMarkdown } from '../parse/index.ts';
import { mermaidDiagnostic, mermaidElement, mermaidSource, type MermaidResult, type MermaidSource } from '../mermaid/index.ts';
import type { CodeHighlighter } from './highlight.ts';
import { t, type Locale } from '../shared/locale.ts';
import { isRefusal, type Refusal } from '../shared/sandbox.ts';

/**
 * Whether an image exists, relative to the content root (the only I/O, injected): true, false,
 * or why it may not be shown (outside the course, not a regular file).
 */
export type AssetCheck = (relativePath: string) => boolean | Refusal;

/** What turning one slide's Markdown into HTML needs to know about the deck and the build. */
export interface MarkdownContext {
  deck: Pick<Deck, 'values' | 'definitions'>;
  locale: Locale;
  highlighter: CodeHighlighter;
  /** Source file of the nodes being converted, relative to the content root. */
  file: string;
  assetExists: AssetCheck;
  /** Whether the nodes come from a generated slide (a dead link there is labdeck's bug). */
  generated: boolean;
  session: RenderSession;
  /** Problems found while converting (per slide). */
  diagnostics: Diagnostic[];
  /** Images the deck shows: path relative to the content root → path in the output folder. */
  images: Map<string, string>;
  /** What `#anchor` links may point to in this deck. */
  targets: LinkTargets;
  /** `contextId` of the deck: fragments converted under the same id are reused (`fragmentHtml`). */
  reuse?: number;
  /** `sharedContextId` of the deck: the key of fragments that read nothing of the deck, reused across decks. */
  reuseShared?: number;
  /** Set while converting when a local image is shown: that conversion must run again each build (images to copy). */
  showedImage?: boolean;
  /** Mermaid diagrams drawn before rendering (`MermaidDiagrams.prepare`). */
  diagrams?: { result(source: MermaidSource): MermaidResult | undefined };
}

export interface LinkTargets {
  /** `name:` anchors that are a section's `id`. */
  names: ReadonlySet<string>;
  /** Slide ids → Reveal index, for links to slides without a name (generated navigation). */
  ids: ReadonlyMap<string, number>;
}

/** State shared by every deck of one build. */
export interface RenderSession {
  /** Fence languages shiki does not know, warned about once per build. */
  unknownLangs: Set<string>;
}

export const newRenderSession = (): RenderSession => ({ unknownLangs: new Set() });

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
export function contextId(deck: Pick<Deck, 'values' | 'definitions'>, locale: Locale, highlighter: CodeHighlighter, targets: LinkTargets): number {
  const definitions = [...deck.definitions].map(([k, d]) => `${k}\t${d.url}\t${d.title ?? ''}`).join('\n');
  const ids = [...targets.ids].map(([k, i]) => `${k}\t${i}`).join('\n');
  const key = [objectId(locale), objectId(highlighter), JSON.stringify(deck.values), definitions, [...targets.names].join('\n'), ids].join('\0');
  let id = contextIds.get(key);
  if (id === undefined) {
    if (contextIds.size > 1000) contextIds.clear();
    contextIds.set(key, (id = nextContextId++));
  }
  return id;
}

/** The part of `contextId` every deck of a locale shares: for fragments that read nothing of their deck. */
export function sharedContextId(locale: Locale, highlighter: CodeHighlighter): number {
  const key = `shared\0${objectId(locale)}\0${objectId(highlighter)}`;
  let id = contextIds.get(key);
  if (id === undefined) contextIds.set(key, (id = nextContextId++));
  return id;
}

const deckDependent = new WeakMap<object, boolean>();

/**
 * Whether a tree's HTML can differ from one deck to another: deck values (`@@…@@`, `@@LINK`),
 * reference definitions, `#` links (targets, dead-link severity), images (copied per deck).
 */
function dependsOnDeck(node: Nodes): boolean {
  let known = deckDependent.get(node);
  if (known !== undefined) return known;
  switch (node.type as string) {
    case 'deckVariable':
    case 'deckLink':
    case 'linkReference':
    case 'imageReference':
    case 'image':
      known = true;
      break;
    case 'link':
      known = (node as Link).url.startsWith('#') || (node as Link).url.includes('@@');
      break;
    case 'code':
    case 'inlineCode':
      known = (node as Code).value.includes('@@');
      break;
    default:
      known = false;
  }
  if (!known && 'children' in node) known = (node.children as Nodes[]).some(dependsOnDeck);
  deckDependent.set(node, known);
  return known;
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
  const html = toHtml(markdownToHast(tree, ctx), { allowDangerousHtml: true });
  if (key !== undefined && ctx.diagnostics.length === problems && !ctx.showedImage) rendered.set(tree, { key, html });
  return html;
}

/** Markdown notes of the deck and slide bodies → hast, with the dialect's nodes handled. */
export function markdownToHast(tree: Root | Nodes, ctx: MarkdownContext): HastRoot {
  inheritPositions(tree as Nodes);
  const out = toHast(tree as Nodes, { allowDangerousHtml: true, handlers: handlersFor(ctx) });
  return (out.type === 'root' ? out : { type: 'root', children: [out] }) as HastRoot;
}

/**
 * The parser positions block nodes only: an inline node (image, link) is reported at the start
 * of its nearest positioned ancestor, not at line 1.
 */
const inheritedStart = new WeakMap<object, Point>();

function inheritPositions(node: Nodes, start?: Point): void {
  const own = node.position?.start ?? start;
  if (!node.position && own) inheritedStart.set(node, own);
  if ('children' in node) for (const child of node.children) inheritPositions(child as Nodes, own);
}

const startOf = (node: { position?: Nodes['position'] }): Point | undefined => node.position?.start ?? inheritedStart.get(node);

const positionOf = (node: { position?: Nodes['position'] }): Nodes['position'] => {
  const start = startOf(node);
  return node.position ?? (start ? { start, end: start } : undefined);
};

const pos = (ctx: MarkdownContext, node: { position?: Nodes['position'] }) => ({
  file: ctx.file,
  line: startOf(node)?.line ?? 1,
  column: startOf(node)?.column ?? 1,
});

const isExternal = (url: string) => /^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(url);

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

  const diagram = (node: Code | Html, source: MermaidSource): ElementContent => {
    const result = ctx.diagrams?.result(source);
    const problem = mermaidDiagnostic(source, result, pos(ctx, node));
    if (problem) ctx.diagnostics.push(problem);
    return mermaidElement(source, result);
  };

  const code = (_state: State, node: Code): ElementContent => {
    const mermaid = mermaidSource(node);
    if (mermaid) return diagram(node, mermaid);
    const lang = (node.lang ?? '').trim();
    if (!ctx.highlighter.knows(lang) && !ctx.session.unknownLangs.has(lang.toLowerCase())) {
      ctx.session.unknownLangs.add(lang.toLowerCase());
      ctx.diagnostics.push(
        warning('render/unknown-language', pos(ctx, node), `code fence language "${lang}" is not known to the highlighter; shown as plain text`, 'use a language shiki knows (bash, yaml, json…) or no language at all'),
      );
    }
    return { type: 'raw', value: ctx.highlighter.highlight(lang, substituteValues(node.value, values)) };
  };

  const inlineCode = (state: State, node: InlineCode) => defaultHandlers.inlineCode(state, { ...node, value: substituteValues(node.value, values) });

  const html = (state: State, node: Html) => {
    const mermaid = mermaidSource(node);
    if (mermaid) return diagram(node, mermaid);
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
    return link(state, { type: 'link', url: def.url, title: def.title ?? null, children: node.children, position: positionOf(node) });
  };

  const imageReference = (state: State, node: ImageReference) => {
    const def = lookupDefinition(ctx.deck.definitions, node);
    if (!def) {
      undefinedReference(node, node.label ?? node.identifier);
      return defaultHandlers.imageReference(state, node);
    }
    return image(state, { type: 'image', url: def.url, title: def.title ?? null, alt: node.alt, position: positionOf(node) });
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
