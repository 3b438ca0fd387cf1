import type { Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import type { Position } from '../model/position.ts';
import type { Slide, SlideKind } from '../model/slide.ts';

/** UI strings the generated slides need; they come from locales/<lang>.json. */
export interface GeneratedStrings {
  tableOfContents: string;
  part: string;
  previousChapter: string;
  backToContents: string;
  nextChapter: string;
}
export const GENERATED_STRING_KEYS: readonly (keyof GeneratedStrings)[] = ['tableOfContents', 'part', 'previousChapter', 'backToContents', 'nextChapter'];

const text = (value: string): PhrasingContent => ({ type: 'text', value });
const link = (url: string, label: string | PhrasingContent[]): PhrasingContent => ({ type: 'link', url, children: typeof label === 'string' ? [text(label)] : structuredClone(label) });

function slide(kind: SlideKind, position: Position, name: string, classes: string[], children: RootContent[]): Slide {
  const tree: Root = { type: 'root', children };
  const firstHeading = children.find((c): c is Heading => c.type === 'heading');
  const s: Slide = {
    kind,
    position,
    properties: { name, ...(classes.length ? { class: classes.join(', ') } : {}) },
    classes,
    name,
    chapterTitles: [],
    fragments: [{ position, tree }],
    labs: [],
    code: [],
    directives: [],
    unknownDirectives: [],
    versionMarkers: [],
    diagnostics: [],
  };
  if (firstHeading) {
    s.title = { depth: firstHeading.depth, text: firstHeading.children.map((c) => ('value' in c ? c.value : '')).join(''), position };
  }
  return s;
}

export interface NavTargets {
  previous: string;
  contents: string;
  next: string;
}

/** The slide before each chapter: its title, big, and links that always lead somewhere. */
export function chapterTitleSlide(title: string, inline: PhrasingContent[] | undefined, anchor: string, nav: NavTargets, strings: GeneratedStrings, position: Position): Slide {
  const navLine: Paragraph = {
    type: 'paragraph',
    children: [link(`#/${nav.previous}`, strings.previousChapter), text(' | '), link(`#/${nav.contents}`, strings.backToContents), text(' | '), link(`#/${nav.next}`, strings.nextChapter)],
  };
  return slide('chapter-title', position, anchor, ['title'], [
    { type: 'heading', depth: 1, children: inline ? structuredClone(inline) : [text(title)] },
    { type: 'macroBlock', classes: ['nav'], children: [navLine] },
  ]);
}

export interface TocPart {
  anchor: string;
  number: number;
  chapters: { title: string; inline?: PhrasingContent[]; anchor: string }[];
}

/** One table-of-contents slide per part, as markmaker's `gentoc`; "Table of contents" when there is one part. */
export function tocSlide(part: TocPart, partCount: number, strings: GeneratedStrings, position: Position): Slide {
  const heading = partCount === 1 ? strings.tableOfContents : strings.part.replace('{n}', String(part.number));
  // Fewer than 10 entries breathe (a blank line between bullets), as in container.training.
  const spread = part.chapters.length < 10;
  const items: ListItem[] = part.chapters.map((c) => ({
    type: 'listItem',
    spread: false,
    children: [{ type: 'paragraph', children: [link(`#/${c.anchor}`, c.inline ?? c.title)] }],
  }));
  const list: List = { type: 'list', ordered: false, spread, children: items };
  return slide('toc', position, part.anchor, ['toc'], [{ type: 'heading', depth: 2, children: [text(heading)] }, list]);
}
