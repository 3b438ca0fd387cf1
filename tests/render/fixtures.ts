import type { Root, RootContent } from 'mdast';
import type { Deck, DeckSlide, SlideKind } from '../../src/model/index.ts';
import { parseMarkdown } from '../../src/parse/index.ts';

/** Hand-built model objects (slide trees through the parser's public `parseMarkdown`, not its slide splitting). */
export const md = (text: string): Root => parseMarkdown(text);

export function slide(id: string, parts: (string | Root)[], extra: Partial<DeckSlide> = {}): DeckSlide {
  const position = { file: 'en/k8s/test.md', line: 10, column: 1 };
  return {
    kind: 'author' as SlideKind,
    position,
    properties: {},
    classes: [],
    chapterTitles: [],
    fragments: parts.map((p) => ({ position, tree: typeof p === 'string' ? md(p) : p })),
    labs: [],
    code: [],
    directives: [],
    unknownDirectives: [],
    versionMarkers: [],
    diagnostics: [],
    file: 'en/k8s/test.md',
    number: 1,
    id,
    ...extra,
  };
}

export const root = (...children: RootContent[]): Root => ({ type: 'root', children });

export function deck(slides: DeckSlide[], extra: Partial<Deck> = {}): Deck {
  return {
    id: 'test-en',
    manifestPath: 'decks/test-en.yml',
    lang: 'en',
    values: { title: 'Test\ndeck', chat: '[Slack](https://chat.example)', gitrepo: 'github.com/example/course', slides: 'https://slides.example', zip: 'slides.zip', html: 'index.html', slidenumberprefix: '' },
    exclude: [],
    slides: slides.map((s, i) => ({ ...s, number: i + 1 })),
    chapters: [],
    parts: [],
    definitions: new Map(),
    files: [],
    meta: {},
    diagnostics: [],
    ...extra,
  };
}
