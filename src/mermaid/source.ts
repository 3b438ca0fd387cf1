import { createHash } from 'node:crypto';
import type { Nodes } from 'mdast';

/**
 * A Mermaid diagram as the author wrote it. `html` is the inside of a `<pre class="mermaid">`
 * block, still HTML (container.training's form: the page's HTML parser reads it, then
 * `mermaid.run` decodes it); `text` is the body of a ```` ```mermaid ```` fence, plain text.
 */
export interface MermaidSource {
  markup: 'html' | 'text';
  text: string;
  /** Lines between the node's first line and the diagram's first line (the `<pre>` or fence line). */
  lineOffset: number;
}

/**
 * A diagram's picture, mermaid's message when it cannot draw it (the author's problem), or why
 * it was not drawn at all (no browser on this machine: not the author's problem).
 */
export type MermaidResult = { svg: string; id: string } | { error: string; id: string } | { unavailable: string };

/** `<pre class="mermaid">…</pre>` as the whole of an HTML block (the class among others, any quotes). */
const PRE = /^\s*<pre\b[^>]*?\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/pre\s*>\s*$/i;

/** The Mermaid diagram a Markdown node holds: an HTML block `<pre class="mermaid">` or a ```` ```mermaid ```` fence. */
export function mermaidSource(node: Nodes): MermaidSource | undefined {
  if (node.type === 'code') {
    return (node.lang ?? '').trim().toLowerCase() === 'mermaid' ? { markup: 'text', text: node.value, lineOffset: 1 } : undefined;
  }
  if (node.type !== 'html') return undefined;
  const m = PRE.exec(node.value);
  if (!m) return undefined;
  const classes = (m[1] ?? m[2] ?? m[3] ?? '').split(/\s+/);
  if (!classes.includes('mermaid')) return undefined;
  // The match is the whole block, so the diagram starts right after the opening tag's `>`.
  const start = node.value.length - m[4]!.length - /<\/pre\s*>\s*$/i.exec(node.value)![0].length;
  return { markup: 'html', text: m[4]!, lineOffset: countLines(node.value.slice(0, start)) };
}

const countLines = (s: string) => s.split('\n').length - 1;

/** Every diagram of a tree, depth first. */
export function mermaidSources(tree: Nodes): MermaidSource[] {
  const out: MermaidSource[] = [];
  const walk = (node: Nodes): void => {
    const found = mermaidSource(node);
    if (found) out.push(found);
    else if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  return out;
}

/**
 * What the picture depends on: the renderer's version and recipe, and the diagram as written.
 * Equal keys, equal SVG; the key names the cache entry and, shortened, the SVG's own id.
 */
export function mermaidKey(source: MermaidSource, renderer: string): string {
  return createHash('sha256').update(`${renderer}\0${source.markup}\0${source.text}`).digest('hex');
}
