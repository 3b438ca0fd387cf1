import type { Element, ElementContent, Root as HastRoot, RootContent } from 'hast';
import { toString } from 'hast-util-to-string';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';
import { error, warning } from '../model/diagnostic.ts';
import type { PluginEntry } from '../model/plugins.ts';
import type { Position } from '../model/position.ts';
import { mermaidDiagnostic, mermaidElement, type MermaidSource } from '../mermaid/index.ts';
import { isolatedPlugin, runIsolated } from '../parse/index.ts';
import { renderContext, type MarkdownContext } from './context.ts';

/** `data` key of the element remark-rehype leaves where a Mermaid diagram goes. */
export const MERMAID_DATA = 'labdeckMermaid';

type Parent = HastRoot | Element;

/** Replaces, in place, the children `replace` returns something for; does not look inside replacements. */
function replaceElements(node: Parent, replace: (el: Element) => ElementContent | undefined): void {
  const kids = node.children as RootContent[];
  for (let i = 0; i < kids.length; i++) {
    const child = kids[i]!;
    if (child.type !== 'element') continue;
    const out = replace(child);
    if (out) kids[i] = out;
    else replaceElements(child, replace);
  }
}

const at = (ctx: MarkdownContext, node: { position?: Element['position'] }): Position => ({
  file: ctx.file,
  line: node.position?.start.line ?? ctx.slide?.line ?? 1,
  column: node.position?.start.column ?? 1,
});

/**
 * Mermaid diagrams (```` ```mermaid ```` fences and `<pre class="mermaid">` blocks), drawn
 * before the build (`MermaidDiagrams.prepare`): the SVG in place of the source, or the source
 * and a diagnostic when it could not be drawn.
 */
export function rehypeMermaid(): (tree: HastRoot, file: VFile) => void {
  return (tree, file) => {
    const ctx = renderContext(file);
    if (ctx.pending?.diagrams === 0) return;
    replaceElements(tree, (el) => {
      const source = (el.data as Record<string, unknown> | undefined)?.[MERMAID_DATA] as MermaidSource | undefined;
      if (!source) return undefined;
      const result = ctx.diagrams?.result(source);
      const problem = mermaidDiagnostic(source, result, at(ctx, el));
      if (problem) ctx.diagnostics.push(problem);
      return mermaidElement(source, result);
    });
  };
}

/**
 * Code blocks (`<pre><code class="language-x">`) highlighted by the build's shiki instance
 * (`CodeHighlighter`: cached, deterministic), as raw HTML; a language shiki does not know is shown
 * plain, with one warning per build.
 */
export function rehypeHighlight(): (tree: HastRoot, file: VFile) => void {
  return (tree, file) => {
    const ctx = renderContext(file);
    // No fence in the slide and no author's plugin that could have made one: nothing to colour.
    if (ctx.pending?.code === 0 && (ctx.pipeline?.plugins ?? 0) === 0) return;
    replaceElements(tree, (el) => {
      if (el.tagName !== 'pre' || el.children.length !== 1) return undefined;
      const code = el.children[0]!;
      if (code.type !== 'element' || code.tagName !== 'code') return undefined;
      const classes = (code.properties.className as string[] | undefined) ?? [];
      const lang = classes.find((c) => c.startsWith('language-'))?.slice('language-'.length) ?? '';
      if (!ctx.highlighter.knows(lang) && !ctx.session.unknownLangs.has(lang.toLowerCase())) {
        ctx.session.unknownLangs.add(lang.toLowerCase());
        ctx.diagnostics.push(
          warning('render/unknown-language', at(ctx, el), `code fence language "${lang}" is not known to the highlighter; shown as plain text`, 'use a language shiki knows (bash, yaml, json…) or no language at all'),
        );
      }
      return { type: 'raw', value: ctx.highlighter.highlight(lang, toString(code).replace(/\n$/, '')) } as unknown as ElementContent;
    });
  };
}

/**
 * An author's rehype plugin, isolated: one that throws (or works asynchronously, which a page
 * rendered slide by slide cannot wait for) is reported on the slide, named, and the build goes
 * on with the slide as far as the plugin got.
 */
export function isolatedRehype(entry: PluginEntry): Plugin<[unknown?], HastRoot> {
  return isolatedPlugin<HastRoot>(entry, (transformer, tree, file) => {
    const ctx = renderContext(file);
    const problem = (message: string, hint: string) =>
      ctx.diagnostics.push(error('plugin/failed', ctx.slide ?? { file: ctx.file, line: 1, column: 1 }, `rehype plugin \`${entry.name}\` failed on this slide: ${message}`, hint));
    return runIsolated(transformer, tree, file, entry.name, problem);
  });
}
