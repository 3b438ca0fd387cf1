import { buildSite, type BuildReport } from '../../src/build/site.ts';
import { join } from 'node:path';
import { contentTree, removeContentTrees } from '../content-tree.ts';

export { contentTree, removeContentTrees };

export const manifest = (lang: 'en' | 'fr', files: string[], extra = ''): string =>
  `title: Test deck\nlang: ${lang}\nroot: ..\nexclude: [self-paced]\n${extra}content:\n${files.map((f) => `- ${f}`).join('\n')}\n`;

export interface Rendered {
  dir: string;
  report: BuildReport;
  html: string;
  sections: string[];
}

/**
 * One chapter file (`en/a.md` or `fr/a.md`) built in memory through the real pipeline
 * (manifest → parser → renderer), without writing output.
 */
export async function renderChapter(markdown: string, options: { lang?: 'en' | 'fr'; lenient?: boolean; files?: Record<string, string> } = {}): Promise<Rendered> {
  const lang = options.lang ?? 'en';
  const dir = contentTree({ [`${lang}/a.md`]: markdown, 'decks/deck.yml': manifest(lang, [`${lang}/a.md`]), ...options.files });
  const report = await buildSite({ manifests: [join(dir, 'decks/deck.yml')], lenient: options.lenient });
  const html = inlineSlides(report.site.pages.get('deck.html') ?? '');
  return { dir, report, html, sections: sectionsOf(html) };
}

/**
 * A deck page as if every slide's content were in its `<section>`: pages hold most of it in
 * `#labdeck-slides` (a JSON array of HTML, null for slides already filled) until the client fills it.
 */
export function inlineSlides(html: string): string {
  const store = html.match(/<script type="application\/json" id="labdeck-slides">([\s\S]*?)<\/script>/);
  if (!store) return html;
  const contents = JSON.parse(store[1]!) as (string | null)[];
  let i = 0;
  return html.replace(store[0], '').replace(/<section\b(?:[^>"]|"[^"]*")*>(<\/section>)?/g, (open, close: string | undefined) => {
    const content = contents[i++];
    if (typeof content !== 'string') return open;
    if (!close) throw new Error(`section ${i - 1} has content in the page and in #labdeck-slides`);
    return open.slice(0, -'</section>'.length) + content + '</section>';
  });
}

/** Reveal's horizontal slides of a page (labdeck never nests sections), with their content. */
export function sectionsOf(html: string): string[] {
  return [...inlineSlides(html).matchAll(/<section\b[\s\S]*?<\/section>/g)].map((m) => m[0]);
}

/** The author slides of a rendered chapter (generated chapter titles dropped). */
export const authorSections = (r: Rendered): string[] => r.sections.filter((s) => /^<section[^>]*data-source=/.test(s));

export const openTag = (section: string): string => section.slice(0, section.indexOf('>') + 1);

export const attr = (section: string, name: string): string | undefined => openTag(section).match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];

export const count = (s: string, re: RegExp): number => [...s.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))].length;

/** Visible text of an HTML fragment, roughly (tags and notes dropped, entities decoded). */
export function visibleText(html: string): string {
  return inlineSlides(html)
    .replace(/<aside class="notes">[\s\S]*?<\/aside>/g, '')
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&#x3C;|&lt;/g, '<')
    .replace(/&#x26;|&amp;/g, '&')
    .replace(/&quot;/g, '"');
}

/**
 * A normalised outline of a built deck page, one line per `<section>`: where it comes from,
 * its classes, fragments, notes, lab boxes and code languages. Golden files compare these.
 */
export function outlineOf(html: string): string {
  return sectionsOf(html)
    .map((s, i) => {
      const source = attr(s, 'data-source');
      const origin = source ? `source=${source}` : `generated=${attr(s, 'data-generated') ?? '?'}`;
      const classes = attr(s, 'class') ?? '';
      const fragments = count(s, /class="fragment"/);
      const notes = /<aside class="notes">/.test(s) ? 'notes' : '-';
      const labs = count(s, /<div class="[^"]*\blab\b[^"]*">/);
      const langs = [...s.matchAll(/<pre class="(shiki|plain)[^>]*>/g)].map((m) => `${m[1] === 'plain' ? '!' : ''}${m[0].match(/data-lang="([^"]*)"/)?.[1] ?? ''}`);
      const flag = /ld-flag-extra/.test(s) ? ' flag' : '';
      const lang = attr(s, 'lang');
      const inserted = attr(s, 'data-inserted') !== undefined ? ` inserted${lang ? `(${lang})` : ''}` : '';
      return `${String(i + 1).padStart(3)} ${origin}${inserted} [${classes}]${flag} fragments=${fragments} ${notes} labs=${labs} code=${langs.join(',') || '-'}`;
    })
    .join('\n')
    .concat('\n');
}
