import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Html, Nodes } from 'mdast';
import { afterAll, describe, expect, it } from 'vitest';
import { mermaidDiagnostic, MermaidDiagrams, mermaidElement, mermaidSource, mermaidSources, type MermaidSource } from '../../src/mermaid/index.ts';
import { parseSource } from '../../src/parse/index.ts';
import { BrowserMissingError, chromiumPath, launchChromium } from '../../src/shared/browser.ts';

const html = (value: string, line = 10): Html => ({ type: 'html', value, position: { start: { line, column: 1 }, end: { line, column: 1 } } });
const at = { file: 'k8s/x.md', line: 10, column: 1 };

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'labdeck-mermaid-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const noBrowser = () => Promise.reject(new BrowserMissingError(`Chromium not found at /nowhere`));

describe('finding diagrams in Markdown', () => {
  it('takes a whole `<pre class="mermaid">` HTML block and a ```mermaid fence, nothing else', () => {
    expect(mermaidSource(html('<pre class="mermaid">\nflowchart TD\n  A --> B\n</pre>'))).toEqual({ markup: 'html', text: '\nflowchart TD\n  A --> B\n', lineOffset: 0 });
    expect(mermaidSource(html("<pre class='big mermaid' id=x>graph LR; A-->B</pre>\n"))).toMatchObject({ text: 'graph LR; A-->B' });
    expect(mermaidSource(html('<pre\nclass="mermaid">\ngraph LR\n</pre>'))?.lineOffset).toBe(1);
    expect(mermaidSource(html('<pre class="mermaids">graph LR</pre>'))).toBeUndefined();
    expect(mermaidSource(html('<pre>graph LR</pre>'))).toBeUndefined();
    expect(mermaidSource(html('<pre class="mermaid">graph LR</pre> and text after'))).toBeUndefined();
    expect(mermaidSource({ type: 'code', lang: 'mermaid', value: 'graph LR' })).toEqual({ markup: 'text', text: 'graph LR', lineOffset: 1 });
    expect(mermaidSource({ type: 'code', lang: 'yaml', value: 'graph LR' })).toBeUndefined();
  });

  it('finds them where the parser puts them, blank lines inside included', () => {
    const file = parseSource('## Flow\n\n<pre class="mermaid">\nflowchart LR\n\n  A --> B\n</pre>\n\n- text\n\n```mermaid\ngraph TD\n  C --> D\n```\n', { path: 'x.md' });
    const sources = file.slides.flatMap((s) => s.fragments.flatMap((f) => mermaidSources(f.tree as Nodes)));
    expect(sources.map((s) => [s.markup, s.text.trim()])).toEqual([
      ['html', 'flowchart LR\n\n  A --> B'],
      ['text', 'graph TD\n  C --> D'],
    ]);
  });
});

describe('what the author is told', () => {
  const broken: MermaidSource = { markup: 'html', text: '\n\n  flowchart TD\n  A --> B\n  B --> C[oops\n', lineOffset: 0 };

  it('puts a parse error on the line mermaid names, counted from the diagram’s first line', () => {
    const d = mermaidDiagnostic(broken, { error: 'Parse error on line 3:\n...C[oops\n---^\nExpecting SQE', id: 'm' }, at)!;
    // The diagram starts on the node's line (10) after the tag; two line breaks; "line 3" of the
    // trimmed diagram is `B --> C[oops`, line 14 of the file.
    expect([d.severity, d.code, d.position.line]).toEqual(['error', 'mermaid/syntax', 14]);
    expect(d.message).toBe('Mermaid cannot draw this diagram: Parse error on line 3: ...C[oops ---^ Expecting SQE');
    // No line in the message: the diagram's first line; past its end (an unclosed bracket): its last.
    expect(mermaidDiagnostic(broken, { error: 'No diagram type detected', id: 'm' }, at)!.position.line).toBe(12);
    expect(mermaidDiagnostic(broken, { error: 'Parse error on line 4', id: 'm' }, at)!.position.line).toBe(14);
  });

  it('warns, and shows the source, when no browser could draw it', () => {
    const d = mermaidDiagnostic(broken, { unavailable: 'Chromium not found at /nowhere' }, at)!;
    expect([d.severity, d.code, d.position.line]).toEqual(['warning', 'mermaid/not-drawn', 10]);
    expect(d.message).toContain('Chromium not found at /nowhere');
    expect(d.hint).toContain('apt-get install -y chromium');
    const shown = mermaidElement(broken, { unavailable: 'x' });
    expect([shown.tagName, shown.properties.className]).toEqual(['pre', ['ld-diagram-source']]);
    expect(mermaidDiagnostic(broken, { svg: '<svg/>', id: 'm' }, at)).toBeUndefined();
  });
});

describe('a build machine without Chromium', () => {
  it('marks every diagram not drawn, and does not throw', async () => {
    const diagrams = new MermaidDiagrams({ launch: noBrowser, cacheDir: tempDir() });
    const source: MermaidSource = { markup: 'text', text: 'graph LR\n  A --> B', lineOffset: 1 };
    await diagrams.prepare([source]);
    expect(diagrams.result(source)).toEqual({ unavailable: 'Chromium not found at /nowhere' });
    expect(diagrams.stats).toMatchObject({ diagrams: 1, cached: 0, drawn: 0 });
  });
});

describe.skipIf(!existsSync(chromiumPath()))('drawing in headless Chromium', () => {
  if (!existsSync(chromiumPath())) console.log(`skipped: no Chromium at ${chromiumPath()} (set LABDECK_CHROMIUM)`);

  // As container.training writes them: HTML entities and <br/> inside a <pre>, an %%{init}%% theme, a gitGraph.
  const flow: MermaidSource = { markup: 'html', text: '\n  flowchart TD\n    A["Client &amp; friends<br/>(web)"] ---> B["Load balancer"]\n', lineOffset: 0 };
  const themed: MermaidSource = { markup: 'text', text: '%%{init: {"theme": "dark"}}%%\nflowchart LR\n  X --> Y', lineOffset: 1 };
  const git: MermaidSource = { markup: 'html', text: '\ngitGraph\n  commit id:"start"\n  branch TEST\n  commit id:"x"\n', lineOffset: 0 };
  const broken: MermaidSource = { markup: 'html', text: '\nflowchart TD\n  A --> B[oops\n  B --> C\n', lineOffset: 0 };

  it('draws each diagram as an SVG with an id of its own, reports one that does not parse, and caches both', async () => {
    const cacheDir = tempDir();
    const first = new MermaidDiagrams({ launch: launchChromium, cacheDir });
    await first.prepare([flow, themed, git, broken, flow]);
    expect(first.stats).toMatchObject({ diagrams: 4, cached: 0, drawn: 4 });

    const svg = (s: MermaidSource) => {
      const r = first.result(s)!;
      if (!('svg' in r)) throw new Error(`not drawn: ${JSON.stringify(r)}`);
      return r;
    };
    const drawn = svg(flow);
    expect(drawn.svg).toMatch(new RegExp(`^<svg[^>]* id="${drawn.id}"`));
    // The entity is decoded by the page's HTML parser and <br/> is a line break, as in remark.js's page.
    expect(drawn.svg).toContain('Client &amp; friends<br>(web)');
    expect(drawn.svg).not.toContain('&amp;amp;');
    expect(drawn.svg).not.toMatch(/<script/i);
    // Every id of the picture (styles, markers) is scoped by the content key, never by the clock.
    expect(drawn.svg).not.toMatch(/mermaid-\d{10,}/);
    expect(new Set([flow, themed, git].map((s) => svg(s).id)).size).toBe(3);
    // The diagram's own theme applies to it only.
    expect(svg(themed).svg).toMatch(/fill:\s*#1f2020/i);
    expect(svg(flow).svg).not.toMatch(/fill:\s*#1f2020/i);
    expect(svg(git).svg).toContain('start');
    const failed = first.result(broken)!;
    expect('error' in failed && failed.error).toMatch(/^Parse error on line \d+:/);
    // The bracket left open on line 2 runs to the end: the last line is named.
    expect(mermaidDiagnostic(broken, failed, at)!.position.line).toBe(13);

    // A warm build: every answer from the cache folder, and no browser at all.
    expect(readdirSync(cacheDir).sort()).toHaveLength(4);
    const warm = new MermaidDiagrams({ launch: noBrowser, cacheDir });
    await warm.prepare([flow, themed, git, broken]);
    expect(warm.stats).toMatchObject({ diagrams: 4, cached: 4, drawn: 0 });
    expect(warm.result(flow)).toEqual(first.result(flow));
    expect(warm.result(broken)).toEqual(failed);
  }, 60_000);
});
