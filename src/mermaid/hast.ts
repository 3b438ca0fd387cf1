import type { Element } from 'hast';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import type { MermaidResult, MermaidSource } from './source.ts';

/**
 * The node that stands for a diagram on the slide: its SVG (inline, so the page, the speaker view
 * and the PDF show one picture with no script), or, when it could not be drawn, its source as code.
 */
export function mermaidElement(source: MermaidSource, result: MermaidResult | undefined): Element {
  if (result && 'svg' in result) {
    return {
      type: 'element',
      tagName: 'div',
      properties: { className: ['ld-diagram', 'ld-mermaid'] },
      // Serialised by mermaid in the page that drew it; printed as is.
      children: [{ type: 'raw', value: result.svg } as unknown as Element],
    };
  }
  return {
    type: 'element',
    tagName: 'pre',
    properties: { className: ['ld-diagram-source'], dataLang: 'mermaid' },
    children: [{ type: 'element', tagName: 'code', properties: {}, children: [{ type: 'text', value: source.text.replace(/^\s*\n|\s+$/g, '') }] }],
  };
}

/**
 * What to tell the author about a diagram: nothing when it was drawn; an error at the line mermaid
 * names (or the diagram's first line) when it does not parse; a warning when no browser could draw it.
 * `at` is the position of the node holding the diagram.
 */
export function mermaidDiagnostic(source: MermaidSource, result: MermaidResult | undefined, at: Position): Diagnostic | undefined {
  if (result && 'svg' in result) return undefined;
  if (!result || 'unavailable' in result) {
    return warning(
      'mermaid/not-drawn',
      at,
      `Mermaid diagram not drawn: ${result?.unavailable ?? 'it was not prepared'}; its source is shown instead`,
      'install Chromium (apt-get install -y chromium) or set LABDECK_CHROMIUM; a diagram drawn once is served from the cache (LABDECK_CACHE_DIR) without a browser',
    );
  }
  const said = result.error.replace(/\s+/g, ' ').trim();
  return error(
    'mermaid/syntax',
    { ...at, line: at.line + diagramLine(source, result.error), column: 1 },
    `Mermaid cannot draw this diagram: ${said.length > 300 ? `${said.slice(0, 300)}…` : said}`,
    'fix the diagram (mermaid 11 syntax: https://mermaid.js.org/intro/syntax-reference.html)',
  );
}

/** Lines from the node's first line to the one mermaid's message names (`line 3`; the last one at most), or to the diagram's first line. */
function diagramLine(source: MermaidSource, message: string): number {
  // mermaid numbers the lines of the trimmed diagram: blank lines before it do not count.
  const leading = /^\s*/.exec(source.text)![0].split('\n').length - 1;
  const start = source.lineOffset + leading;
  const named = /\bline (\d+)/i.exec(message);
  // An error found at the end (an unclosed bracket) is reported one line past it.
  const line = Math.min(named ? Number(named[1]) : 1, source.text.trim().split('\n').length);
  return start + Math.max(line, 1) - 1;
}
