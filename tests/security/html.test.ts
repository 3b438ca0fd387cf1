/**
 * HTML built as trees or escaped by one function: the probe of issue 11 (a fence info string
 * that broke out of its attribute), then property tests that throw hostile strings at every page
 * and report labdeck writes — deck pages, the JUnit XML, the verify and parity HTML reports, the
 * syllabus — and read the result back with real parsers (parse5, fast-xml-parser).
 */
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { afterAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../src/parity/format.ts';
import { summarize as paritySummary } from '../../src/parity/report.ts';
import { syllabusHtml } from '../../src/present/outline.ts';
import { escapeHtml, escapeXml, scriptJson } from '../../src/shared/html.ts';
import { htmlReport } from '../../src/verify/report/html.ts';
import { junitXml } from '../../src/verify/report/junit.ts';
import type { RunSummary } from '../../src/verify/report/summary.ts';
import { check } from '../parity/helpers.ts';
import { removeContentTrees, renderChapter } from '../render/helpers.ts';

afterAll(removeContentTrees);

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function elements(html: string): Element[] {
  const out: Element[] = [];
  const walk = (n: Node) => {
    if ('tagName' in n) out.push(n);
    const children = 'childNodes' in n ? n.childNodes : [];
    for (const c of children) walk(c);
    if ('content' in n && n.content) walk(n.content as Node);
  };
  walk(parse(html) as unknown as Node);
  return out;
}

const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;
const textOf = (e: Element): string => e.childNodes.map((c) => ('value' in c ? c.value : 'tagName' in c ? textOf(c) : '')).join('');

/** What no string of the course may add to a page: an event handler attribute, a script of its own. */
function assertNoInjection(html: string): Element[] {
  const all = elements(html);
  expect(all.flatMap((e) => e.attrs.filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`))).toEqual([]);
  for (const s of all.filter((e) => e.tagName === 'script')) expect(attr(s, 'src') ?? attr(s, 'id')).toMatch(/^(assets\/|labdeck-config$)/);
  return all;
}

/** Characters that end attributes, open tags or entities, and a few that are just awkward. */
const hostile = fc.string({ unit: fc.constantFrom('"', "'", '<', '>', '&', '`', '=', ' ', 'x', 'on', 'mouseover', '/', 'script', 'é', '\u2028', ';', '#', '\t'), maxLength: 30 });

describe('a fence info string stays one attribute value', () => {
  it('```x"onmouseover="alert(1) renders data-lang="x&quot;onmouseover=&quot;alert(1)", no event handler', async () => {
    const r = await renderChapter('## Fence\n\n```x"onmouseover="alert(1)\ncode\n```\n');
    const pres = assertNoInjection(r.html).filter((e) => e.tagName === 'pre');
    expect(pres.map((p) => [attr(p, 'class'), attr(p, 'data-lang')])).toEqual([['plain', 'x"onmouseover="alert(1)']]);
    expect(r.html).toContain('<pre class="plain" data-lang="x&#x22;onmouseover=&#x22;alert(1)" style="--ld-cols:');
  });

  it('any info string, code, class, name and deck title: no event handler, no script, values read back as written', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, async (info, code, title) => {
        const lang = info.trim().split(/\s+/)[0] ?? '';
        // Backticks and newlines end a fence's info string; tildes fences keep backticks out of the way.
        fc.pre(!lang.includes('`') && !code.includes('~~~'));
        const md = `name: n${Buffer.from(title).toString('hex').slice(0, 8)}\nclass: ${info.replace(/[\n,]/g, '')}\n\n## Slide\n\n~~~${info.replace(/\n/g, '')}\n${code}\n~~~\n\nInline \`${code.replace(/`/g, '')}\` code.\n`;
        const r = await renderChapter(md, { lenient: true, files: { 'decks/deck.yml': `title: ${JSON.stringify(title)}\nlang: en\nroot: ..\nexclude: []\ncontent:\n- en/a.md\n` } });
        const all = assertNoInjection(r.html);
        const pre = all.find((e) => e.tagName === 'pre');
        if (lang) expect(attr(pre!, 'data-lang')).toBe(lang.toLowerCase());
        const config = all.find((e) => attr(e, 'id') === 'labdeck-config')!;
        expect(JSON.parse(textOf(config)).deck).toBe('deck');
        expect(textOf(all.find((e) => e.tagName === 'title')!)).toBe(title.replace(/\s*\n\s*/g, ' '));
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('reports', () => {
  const summary = (s: string): RunSummary => {
    const slide = { index: 0, number: 1, id: s, file: `${s}.md`, line: 3, title: s, hash: s };
    const step = { type: 'step' as const, unit: s, slide, step: { index: 0, kind: 'command' as const, text: s, file: `${s}.md`, line: 4 }, status: 'failed' as const, durationMs: 5, exitCode: 1, message: s, screen: s, output: s, pane: s };
    return { run: s, status: 'failed', durationMs: 10, units: [{ id: s, title: s, kind: 'deck', source: s, root: '/tmp', time: s, status: 'failed', durationMs: 10, slides: [{ slide, steps: [step], status: 'failed', durationMs: 5 }], hooks: [{ ...step, step: { ...step.step, index: -1, kind: 'setup' } }], namespace: s, context: s, simulation: s, warnings: [s], casts: { [s]: `${s}.cast` } }] };
  };
  const anyText = fc.oneof(hostile, fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 10 }));

  it('JUnit XML stays well-formed XML whatever the slide titles, commands and output, and reads back as written', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const xml = junitXml(summary(s));
        expect(XMLValidator.validate(xml)).toBe(true);
        const doc = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true, trimValues: false, parseAttributeValue: false }).parse(xml);
        // XML drops the control characters it forbids, and reads whitespace in attributes as spaces.
        const asRead = (x: string) => x.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '').replace(/\s/g, ' ');
        expect(asRead(String(doc.testsuites.testsuite['@_name']))).toBe(asRead(s));
      }),
      { numRuns: 200 },
    );
  });

  it('the verify HTML report and the parity HTML report carry no event handler or script of the course', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        assertNoInjection(htmlReport(summary(s)));
        const en = `## ${s.replace(/\n/g, ' ')}\n\n\`\`\`bash\nkubectl get ${s.replace(/[`\n]/g, '')}\n\`\`\`\n`;
        const fr = `## Titre\n\n\`\`\`bash\nkubectl get pods\n\`\`\`\n`;
        const file = check(en, fr);
        const html = formatReport({ lang: 'fr', files: [file], decks: [], summary: paritySummary([file]), diagnostics: [] }, 'html');
        // A title may hold raw HTML in the dialect; in the report it is text.
        assertNoInjection(html);
      }),
      { numRuns: 100 },
    );
  });

  it('the syllabus page escapes outline lines and titles', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const all = assertNoInjection(syllabusHtml({ deck: 'd', title: s, lang: 'EN', duration: '1 h', chapters: [{ title: s, entries: [{ kind: 'heading', text: s, position: { file: 'a', line: 1, column: 1 } }, { kind: 'item', text: s, position: { file: 'a', line: 2, column: 1 } }] }] }));
        expect(textOf(all.find((e) => e.tagName === 'h1')!)).toBe(s);
      }),
      { numRuns: 100 },
    );
  });
});

describe('the one escaper', () => {
  it('escapes every character that ends text or an attribute value, and XML drops what XML 1.0 forbids', () => {
    expect(escapeHtml(`a"b'c<d>e&f\`g`)).toBe('a&quot;b&#x27;c&lt;d&gt;e&amp;f&#x60;g');
    expect(escapeXml('a\u0001b\u0000<')).toBe('ab&lt;');
    expect(scriptJson({ s: '</script><!--' })).toBe('{"s":"\\u003c/script>\\u003c!--"}');
  });
});
