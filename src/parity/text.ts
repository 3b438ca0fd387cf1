import type { Nodes as MdNodes, PhrasingContent, Root } from 'mdast';
import type { Definition } from '../model/chapter.ts';
import type { Slide } from '../model/slide.ts';

/**
 * What a slide says, read from the model and reduced to the parts parity compares.
 * Reading the mdast (not the Markdown text) is what makes cosmetic edits vanish: soft line
 * breaks, emphasis and bullet markers, indentation are not in the tree's text.
 */
export interface SlideText {
  /** One line per block (heading, paragraph, list item, code line, directive): readable, diffable. */
  lines: string[];
  /** Prose only: inline code replaced by a placeholder, whitespace collapsed. */
  prose: string;
  inlineCode: string[];
  urls: string[];
  images: string[];
  /** Numbers written in the prose (versions, counts, ports): not translated. */
  numbers: string[];
  /** Prose words, lower-cased. */
  words: string[];
  titleWords: string[];
  /** Fenced code as `lang\u0000code`, in slide order, with whether it sits in a lab box. */
  code: CodeItem[];
  /** Hidden directives as `verb argument`, and the line of each. */
  directives: string[];
  directiveLines: number[];
  /** Classes that matter to a reader; `exercise` is the old name of `lab`. */
  classes: string[];
  labs: number;
  fragments: number;
  chapterTitle: boolean;
}

export interface CodeItem {
  lang: string;
  value: string;
  /** Inside a `.lab[`/`.exercise[` box: a ```bash``` fence there is a command the runner types. */
  inLab: boolean;
  line: number;
}

/** Layout classes that translators do not need to mirror. */
/** mdast nodes plus the dialect's phrasing nodes (deck variables and links). */
type Nodes = MdNodes | PhrasingContent;

const IRRELEVANT_CLASSES = new Set(['', 'pic']);
/** Stands for inline code in the prose: no letters, so it is not counted as a word. */
const INLINE_CODE_MARK = '⟨⟩';

export function slideText(slide: Slide, definitions: ReadonlyMap<string, Definition> = new Map()): SlideText {
  const out: SlideText = {
    lines: [],
    prose: '',
    inlineCode: [],
    urls: [],
    images: [],
    numbers: [],
    words: [],
    titleWords: [...(slide.title?.text ?? '').toLowerCase().matchAll(WORD)].map((m) => m[0]),
    code: [],
    directives: [],
    directiveLines: [],
    classes: normalizeClasses(slide.classes),
    labs: slide.labs.length,
    fragments: slide.fragments.length,
    chapterTitle: slide.chapterTitles.length > 0,
  };
  if (out.classes.length > 0) out.lines.push(`class: ${out.classes.join(', ')}`);
  const prose: string[] = [];
  const walker = new Walker(out, prose, definitions);
  slide.fragments.forEach((fragment, i) => {
    if (i > 0) out.lines.push('--');
    walker.root(fragment.tree);
  });
  for (const code of slide.code) {
    const value = normalizeCode(code.value);
    out.code.push({ lang: code.lang.trim().toLowerCase(), value, inLab: code.lab !== undefined, line: code.position.line });
  }
  // Code and directives go after the prose in `lines`: they are compared as a list, not in place.
  for (const c of out.code) out.lines.push('```' + c.lang, ...c.value.split('\n'), '```');
  for (const d of slide.directives) {
    const text = `${d.verb} ${normalizeCode(d.argument)}`.trim();
    out.directives.push(text);
    out.directiveLines.push(d.position.line);
    out.lines.push(`<!-- ${text} -->`);
  }
  if (slide.notes) {
    out.lines.push('???');
    const before = out.lines.length;
    walker.root(slide.notes.tree);
    if (out.lines.length === before) out.lines.pop();
  }
  out.prose = prose.join('\n');
  for (const m of out.prose.matchAll(NUMBER)) out.numbers.push(m[0].replace(/,(?=\d)/g, '.'));
  for (const m of out.prose.toLowerCase().matchAll(WORD)) out.words.push(m[0]);
  return out;
}

const NUMBER = /(?<![\p{L}\d])\d+(?:[.,]\d+)*(?![\p{L}\d])/gu;
const WORD = /[\p{L}][\p{L}'’-]*/gu;

export function normalizeClasses(classes: readonly string[]): string[] {
  const set = new Set<string>();
  for (const c of classes) {
    const name = c.trim().toLowerCase();
    if (IRRELEVANT_CLASSES.has(name)) continue;
    set.add(name === 'exercise' ? 'lab' : name);
  }
  return [...set].sort();
}

/** Code compares exactly except for trailing blanks and surrounding empty lines. */
export function normalizeCode(value: string): string {
  return value
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** Link targets that only differ in scheme, case of the host or a trailing slash are one target. */
export function canonicalUrl(url: string): string {
  let u = url.trim();
  const m = /^(https?):\/\/([^/?#]+)(.*)$/i.exec(u);
  if (m) u = `https://${m[2]!.toLowerCase()}${m[3]}`;
  return u.replace(/\/+(?=$|[?#])/, '');
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

class Walker {
  constructor(
    private readonly out: SlideText,
    private readonly prose: string[],
    private readonly definitions: ReadonlyMap<string, Definition>,
  ) {}

  root(tree: Root): void {
    for (const node of tree.children) this.block(node, '');
  }

  private block(node: Nodes, indent: string): void {
    switch (node.type) {
      case 'heading':
        this.emit(`${indent}${'#'.repeat(node.depth)} `, node);
        return;
      case 'paragraph':
      case 'tableCell':
        this.emit(indent, node);
        return;
      case 'list':
        for (const item of node.children) this.listItem(item, indent);
        return;
      case 'blockquote':
        for (const child of node.children) this.block(child, `${indent}> `);
        return;
      case 'table':
        for (const row of node.children) this.emit(`${indent}| `, row);
        return;
      case 'macroBlock': {
        const classes = normalizeClasses(node.classes);
        const lab = classes.includes('lab');
        if (lab) this.out.lines.push(`${indent}[lab]`);
        for (const child of node.children) this.block(child, indent);
        if (lab) this.out.lines.push(`${indent}[/lab]`);
        return;
      }
      // Code is read from `slide.code`, directives from `slide.directives`; other HTML is not shown.
      case 'code':
      case 'html':
      case 'definition':
      case 'thematicBreak':
        return;
      default:
        if ('children' in node) for (const child of node.children as Nodes[]) this.block(child, indent);
    }
  }

  private listItem(item: Nodes, indent: string): void {
    if (!('children' in item)) return;
    let first = true;
    for (const child of item.children as Nodes[]) {
      if (child.type === 'paragraph') this.emit(first ? `${indent}- ` : `${indent}  `, child);
      else this.block(child, `${indent}  `);
      first = false;
    }
  }

  /** One block of running text: unwrapped, whitespace collapsed, markers dropped. */
  private emit(prefix: string, node: Nodes): void {
    const parts: string[] = [];
    const plain: string[] = [];
    this.inline(node, parts, plain);
    const line = collapse(parts.join(''));
    if (line === '') return;
    this.out.lines.push(prefix + line);
    const p = collapse(plain.join(''));
    if (p !== '') this.prose.push(p);
  }

  private inline(node: Nodes, parts: string[], plain: string[]): void {
    switch (node.type) {
      case 'text':
        parts.push(node.value);
        plain.push(node.value);
        return;
      case 'inlineCode':
        this.out.inlineCode.push(node.value);
        parts.push('`' + node.value + '`');
        plain.push(INLINE_CODE_MARK);
        return;
      case 'break':
        parts.push(' ');
        plain.push(' ');
        return;
      case 'image':
        this.out.images.push(canonicalUrl(node.url));
        parts.push(`![${node.alt ?? ''}](${node.url})`);
        plain.push(node.alt ?? '');
        return;
      case 'imageReference': {
        const def = this.definitions.get(node.identifier);
        if (def) this.out.images.push(canonicalUrl(def.url));
        parts.push(`![${node.alt ?? ''}]`);
        plain.push(node.alt ?? '');
        return;
      }
      case 'link':
        this.out.urls.push(canonicalUrl(node.url));
        for (const c of node.children) this.inline(c, parts, plain);
        parts.push(` <${node.url}>`);
        return;
      case 'linkReference': {
        const def = this.definitions.get(node.identifier);
        if (def) this.out.urls.push(canonicalUrl(def.url));
        for (const c of node.children) this.inline(c, parts, plain);
        if (def) parts.push(` <${def.url}>`);
        return;
      }
      case 'deckVariable':
        parts.push(`@@${node.name}@@`);
        return;
      case 'deckLink':
        this.out.urls.push(node.path);
        parts.push(`@@LINK[${node.path}]`);
        return;
      case 'html':
        return;
      default:
        if ('children' in node) {
          const children = node.children as Nodes[];
          children.forEach((c, i) => {
            // Table cells and rows have no separator in the tree.
            if (i > 0 && (node.type === 'tableRow')) {
              parts.push(' | ');
              plain.push(' ');
            }
            this.inline(c, parts, plain);
          });
        }
    }
  }
}
