import { createHash } from 'node:crypto';
import type { Heading as MdHeading, Html, Node, Parent, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Definition, SourceFile } from '../model/chapter.ts';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { Directive } from '../model/directive.ts';
import type { Position } from '../model/position.ts';
import type { CodeBlock, Fragment, Heading, LabBox, Notes, Slide } from '../model/slide.ts';
import { directivesInComment } from './directives.ts';
import { fastMarkdown } from './fast-markdown.ts';
import { lex, MAX_MACRO_DEPTH, type Token } from './lexer.ts';
import { LineIndex } from './line-index.ts';
import { normalizeLabel, parseTokens, type MarkdownContext } from './markdown.ts';
import type { MarkdownParser } from './markdown-source.ts';
import { findMojibake } from './mojibake.ts';
import { notesMetadata } from './notes.ts';
import { extractProperties, splitParts, type ExtractedProperties, type RawPart } from './parts.ts';
import { DEFAULT_SETTINGS, dialectProcessor, pluginMessages, VFile, type MarkdownSettings, type SlidePart } from './processor.ts';

export { normalizeLabel } from './markdown.ts';
export { DEFAULT_SETTINGS, dialectProcessor, isolatedPlugin, loadRemarkParser, runIsolated, settingsKey, type MarkdownSettings, type SlideNotes, type SlidePart } from './processor.ts';
export { fastMarkdown } from './fast-markdown.ts';

/** Markdown that lives outside a file (a manifest value such as `chat:`), by the parser's own rules. */
export function parseMarkdown(text: string): Root {
  return fastMarkdown({ text, lines: new LineIndex(text), start: 0, source: text, labels: [] });
}
export { findMojibake, repairMojibake } from './mojibake.ts';

export interface ParseOptions {
  /** Path relative to the content root: the `file` of every position. */
  path: string;
  /** Labels defined in other files of the deck; references to them resolve at render time. */
  knownLabels?: ReadonlySet<string>;
  /**
   * Reads an `@@INCLUDE[path]` target (path as written); undefined when it does not exist, a
   * refusal when the reader will not read it (outside the course, not a regular file, not text).
   */
  readInclude?: (path: string) => string | IncludeRefusal | undefined;
  /** Lines of the file before `text` starts (inline Markdown in a manifest). */
  lineOffset?: number;
  /** Indentation YAML removed from every line of inline Markdown, added back to columns. */
  indent?: number;
  /** Directive verbs the course declares as notes to the presenter (`directives: { notes: [...] }`). */
  noteVerbs?: ReadonlySet<string>;
  /** Parser and authors' remark plugins (default: the fast parser, no plugins). */
  settings?: MarkdownSettings;
}

/** Why an include was not read, said where the `@@INCLUDE[…]` is written. */
export interface IncludeRefusal {
  refused: true;
  code: string;
  message: string;
  hint: string;
}

/** Properties remark.js and labdeck give a meaning to; any other is probably a line eaten by mistake. */
const KNOWN_PROPERTIES = new Set(['class', 'name', 'layout', 'template', 'exclude', 'background-image', 'count', 'id']);
const LAB_CLASSES = new Set(['lab', 'exercise']);

/** A slide piece as the parser cut it, kept beside the tree for building the model. */
interface PartInfo {
  part: RawPart;
  props: ExtractedProperties;
}

/**
 * Parses one Markdown file of the dialect into slides, through the deck's unified processor
 * (dialect parser, includes, deck macros, the authors' remark plugins). Pure: all I/O comes
 * through `readInclude`.
 */
export function parseSource(input: string, options: ParseOptions): SourceFile {
  const text = (options.lineOffset ? '\n'.repeat(options.lineOffset) : '') + input.replace(/\r\n?/g, '\n');
  const file = options.path;
  const lines = new LineIndex(text, options.indent ?? 0, (options.lineOffset ?? 0) + 1);
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number) => lines.position(file, offset);

  for (const m of findMojibake(text)) {
    diagnostics.push(
      error('text/mojibake', at(m.index), `\`${m.damaged}\` looks like UTF-8 read as Mac Roman (it should be \`${m.repaired}\`)`, 'run `labdeck lint --fix-mojibake` to repair the file in place'),
    );
  }

  const includes = new Set<string>();
  const readInclude = (path: string, position: Position): string => {
    includes.add(path);
    const content = options.readInclude?.(path);
    if (content === undefined) {
      diagnostics.push(error('include/missing', position, `@@INCLUDE[${path}]: file not found`, 'paths are relative to the include root (the parent of the content root by default, as in container.training)'));
      return `@@INCLUDE[${path}]`;
    }
    if (typeof content !== 'string') {
      diagnostics.push(error(content.code, position, `@@INCLUDE[${path}] not read: ${content.message}`, content.hint));
      return `@@INCLUDE[${path}]`;
    }
    return content.replace(/\n$/, '');
  };

  let definitions: Definition[] = [];
  const infos: PartInfo[] = [];
  const partPositions: Position[] = [];
  const parseParts = (markdown: MarkdownParser): Root => {
    const lexed = lexFile(text, at, diagnostics);
    definitions = collectDefinitions(lexed.tokens, text, at);
    const labels = new Set([...(options.knownLabels ?? []), ...definitions.map((d) => normalizeLabel(d.label))]);
    const ctx: MarkdownContext = { text, lines, labels, parse: markdown };
    const root: Root = { type: 'root', children: [] };
    for (const part of splitParts(lexed.tokens, text.length)) {
      const props = extractProperties(text, part);
      const content = parseTokens(ctx, part.start, part.end, part.content, props.removed);
      const node: SlidePart = { type: 'slidePart', children: [...content.children], data: { index: infos.length } };
      if (part.notes) node.children.push({ type: 'slideNotes', children: notesTree(part, ctx, file).children });
      infos.push({ part, props });
      partPositions.push(at(firstContentOffset(text, part)));
      root.children.push(node);
    }
    return root;
  };

  const settings = options.settings ?? DEFAULT_SETTINGS;
  const { processor } = dialectProcessor(settings);
  const vfile = new VFile({ path: file, value: text });
  vfile.data.dialect = { parseParts, readInclude, lines, path: file, text, diagnostics, partDiagnostics: new Map(), partPositions };
  const tree = processor.runSync(processor.parse(vfile), vfile);
  diagnostics.push(...pluginMessages(vfile, file));

  const slides: Slide[] = [];
  for (const node of tree.children) {
    if (node.type !== 'slidePart') continue;
    const { part, props } = infos[node.data.index]!;
    const notesNode = node.children.find((c) => c.type === 'slideNotes');
    const fragment: Fragment = { position: partPositions[node.data.index]!, tree: { type: 'root', children: node.children.filter((c) => c.type !== 'slideNotes') as Root['children'] } };
    const notes = notesNode ? { tree: { type: 'root', children: notesNode.children } as Root, meta: notesMetadata(text, part.notes!.start, part.notes!.end, file, lines), start: part.notes!.start } : undefined;
    const slideDiagnostics: Diagnostic[] = [...(vfile.data.dialect!.partDiagnostics.get(node.data.index) ?? [])];
    for (const key of props.fromComments) {
      slideDiagnostics.push(warning('slide/comment-property', at(props.at[key]!), `the comment \`<!-- ${key}: … -->\` is read as a slide property (remark.js rule) and hidden`, 'drop the colon after the first word if it is a plain comment'));
    }
    for (const key of Object.keys(props.properties)) {
      if (!KNOWN_PROPERTIES.has(key)) {
        slideDiagnostics.push(warning('slide/unknown-property', at(props.at[key]!), `\`${key}:\` at the top of a slide is read as a slide property and hidden`, 'if it is text, start the slide with something else (remark.js reads `word:` there as a property)'));
      }
    }
    checkMisplacedProperties(text, part, props.removed, at, slideDiagnostics);

    if (part.kind === '--' && slides.length > 0) {
      const slide = slides[slides.length - 1]!;
      if (Object.keys(props.properties).length > 0) {
        slideDiagnostics.push(warning('slide/continuation-property', at(part.start), 'properties after `--` apply only to that step in remark.js; labdeck ignores them', 'put `class:` and `name:` on the slide\'s first part'));
      }
      addFragment(slide, fragment, lines, options.noteVerbs);
      addNotes(slide, notes, lines, file);
      slide.diagnostics.push(...slideDiagnostics);
      continue;
    }
    // remark.js splits on ", " exactly: `a,b` is one (probably unintended) class.
    const classes = (props.properties.class ?? '').split(', ').map((c) => c.trim()).filter(Boolean);
    for (const c of classes) {
      if (c.includes(',')) slideDiagnostics.push(warning('slide/class-comma', at(props.at.class!), `\`class: ${props.properties.class}\` has a comma without a space: remark.js reads \`${c}\` as one class`, 'separate classes with a comma and a space'));
    }
    const slide: Slide = {
      kind: 'author',
      position: partPositions[node.data.index]!,
      properties: props.properties,
      classes,
      chapterTitles: [],
      fragments: [],
      labs: [],
      code: [],
      directives: [],
      unknownDirectives: [],
      versionMarkers: [],
      diagnostics: slideDiagnostics,
    };
    if (props.properties.name) slide.name = props.properties.name;
    addFragment(slide, fragment, lines, options.noteVerbs);
    addNotes(slide, notes, lines, file);
    slides.push(slide);
  }

  for (const slide of slides) {
    for (const d of collectSlideDiagnostics(slide, text, at)) slide.diagnostics.push(d);
    diagnostics.push(...slide.diagnostics);
  }

  const hash = createHash('sha256').update(text).update('\0').update([...includes].sort().join('\0')).digest('hex').slice(0, 16);
  return { path: file, hash, slides, definitions, includes: [...includes], diagnostics };
}

/** The remark.js lexer over the whole file, its warnings and errors added to `diagnostics`. */
function lexFile(text: string, at: (offset: number) => Position, diagnostics: Diagnostic[]): ReturnType<typeof lex> {
  const lexed = lex(text);
  for (const d of lexed.tooDeep) {
    diagnostics.push(error('macro/too-deep', at(d.start), `\`.${d.classes.join('.')}[\` is nested more than ${MAX_MACRO_DEPTH} macros deep: shown as text`, 'macros nest a few levels at most: close some of the enclosing ones'));
  }
  for (const t of lexed.traps) {
    diagnostics.push(
      t.end === undefined
        ? warning('text/lone-backtick', at(t.start), 'this backtick is never closed: remark.js pairs it with the first backtick of the next file of the deck, merging slides', 'close the code span or escape the backtick as \\`')
        : warning('text/backtick-swallows-separator', at(t.start), `this backtick pairs with the one at line ${at(t.end).line} (remark.js rule), and the code span between them hides a slide separator or a macro`, 'close the code span on the same line; in a hidden directive, put the comment inside the `.lab[` box'),
    );
  }
  for (const u of lexed.unbalanced) {
    diagnostics.push(
      error('macro/unbalanced', at(u.start), `\`.${u.classes.join('.')}[\` is never closed`, 'add the closing `]`, or write `\\.' + u.classes.join('.') + '[` to show it as text'),
    );
  }
  return lexed;
}

function collectDefinitions(tokens: readonly Token[], text: string, at: (offset: number) => Position): Definition[] {
  const out: Definition[] = [];
  const walk = (list: readonly Token[]) => {
    for (const t of list) {
      if (t.type === 'def') {
        const def: Definition = { label: t.label, url: t.url, position: at(text.indexOf('[', t.start)) };
        if (t.title !== undefined) def.title = t.title;
        out.push(def);
      } else if (t.type === 'macro') walk(t.children);
    }
  };
  walk(tokens);
  return out;
}

function firstContentOffset(text: string, part: RawPart): number {
  let i = part.start;
  while (i < part.end && /\s/.test(text[i]!)) i++;
  return i < part.end ? i : part.start;
}

/** Lines that look like properties but are not at the top: remark.js shows them as text. */
function checkMisplacedProperties(text: string, part: RawPart, removed: readonly [number, number][], at: (o: number) => Position, out: Diagnostic[]): void {
  const scan = (tokens: readonly Token[]) => {
    for (const t of tokens) {
      if (t.type === 'macro') scan(t.children);
      if (t.type !== 'text') continue;
      const slice = text.slice(t.start, t.end);
      for (const m of slice.matchAll(/^(class|name):[ \t]*\S.*$/gm)) {
        const offset = t.start + m.index;
        if (removed.some(([a, b]) => offset >= a && offset < b)) continue;
        out.push(error('slide/misplaced-property', at(t.start + m.index), `\`${m[1]}:\` is not at the top of the slide, so it shows as text`, 'move it to the first lines of the slide, right after `---`'));
      }
    }
  };
  scan(part.content);
}

function addFragment(slide: Slide, fragment: Fragment, lines: LineIndex, noteVerbs?: ReadonlySet<string>): void {
  const index = slide.fragments.length;
  slide.fragments.push(fragment);
  const file = fragment.position.file;
  const pos = (node: Node): Position => ({
    file,
    line: node.position?.start.line ?? fragment.position.line,
    column: node.position?.start.column ?? 1,
    offset: node.position?.start.offset ?? 0,
  });
  const walk = (node: Node, lab: number | undefined) => {
    if (node.type === 'macroBlock' || node.type === 'macroInline') {
      const classes = (node as unknown as { classes: string[] }).classes;
      const labClass = classes.find((c) => LAB_CLASSES.has(c));
      if (labClass) {
        lab = slide.labs.push({ className: labClass as LabBox['className'], position: pos(node), fragment: index }) - 1;
        if (node.type === 'macroBlock') (node as unknown as { data?: object }).data = { lab };
      }
    } else if (node.type === 'heading') {
      const h = node as MdHeading;
      const heading: Heading = { depth: h.depth, text: toString(h).trim(), inline: structuredClone(h.children), position: pos(h) };
      if (!slide.title) slide.title = heading;
      // markmaker's rule: `# ` at the very start of a line opens a chapter.
      const offset = h.position?.start.offset ?? -1;
      if (h.depth === 1 && offset >= 0 && lines.lineStart(lines.lineColumn(offset).line) === offset) slide.chapterTitles.push(heading);
    } else if (node.type === 'code') {
      const c = node as unknown as { lang?: string | null; meta?: string | null; value: string };
      const block: CodeBlock = { lang: [c.lang, c.meta].filter(Boolean).join(' '), value: c.value, position: pos(node), fragment: index };
      if (lab !== undefined) block.lab = lab;
      slide.code.push(block);
    } else if (node.type === 'html') {
      const value = (node as Html).value;
      if (value.startsWith('<!--')) {
        if (value.includes('##VERSION##')) slide.versionMarkers.push(pos(node));
        const found = directivesInComment(value, node.position?.start.offset ?? 0, file, lines, noteVerbs);
        for (const d of found.directives) {
          const directive: Directive = { ...d, fragment: index };
          if (lab !== undefined) directive.lab = lab;
          slide.directives.push(directive);
        }
        for (const d of found.unknown) slide.unknownDirectives.push(lab === undefined ? { ...d, fragment: index } : { ...d, fragment: index, lab });
        slide.diagnostics.push(...found.diagnostics);
      }
    }
    if ('children' in node) for (const child of (node as Parent).children) walk(child as Node, lab);
  };
  walk(fragment.tree, undefined);
}

function notesTree(part: RawPart, ctx: MarkdownContext, file: string): Root {
  const { start, end, tokens } = part.notes!;
  const meta = notesMetadata(ctx.text, start, end, file, ctx.lines);
  return parseTokens(ctx, start, end, tokens, meta.removed);
}

function addNotes(slide: Slide, notes: { tree: Root; meta: ReturnType<typeof notesMetadata>; start: number } | undefined, lines: LineIndex, file: string): void {
  if (!notes) return;
  if (slide.notes) {
    slide.notes.tree.children.push(...notes.tree.children);
    slide.notes.outline.push(...notes.meta.outline);
    slide.notes.quiz.push(...notes.meta.quiz);
  } else {
    const value: Notes = { position: lines.position(file, notes.start), tree: notes.tree, outline: notes.meta.outline, quiz: notes.meta.quiz };
    slide.notes = value;
  }
}

function collectSlideDiagnostics(slide: Slide, text: string, at: (o: number) => Position): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const block of slide.code) {
    const lineStart = block.position.offset ?? 0;
    const fenceLine = text.slice(lineStart, text.indexOf('\n', lineStart) === -1 ? undefined : text.indexOf('\n', lineStart));
    if (/^\s*(```|~~~)\S*[ \t]+$/.test(fenceLine)) {
      out.push(warning('code/fence-trailing-space', at(lineStart), `the fence \`${fenceLine.trim()}\` has trailing spaces`, 'remove them; the old autopilot silently skipped such blocks, labdeck runs them'));
    }
  }
  return out;
}
