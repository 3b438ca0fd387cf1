import { basename, dirname, join, relative, resolve } from 'node:path';
import type { SourceFile } from '../model/chapter.ts';
import type { Course } from '../model/course.ts';
import type { Deck, Lang } from '../model/deck.ts';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import { DEFAULT_SETTINGS, dialectProcessor, loadRemarkParser, parseSource, normalizeLabel, settingsKey, type MarkdownSettings } from '../parse/index.ts';
import type { DeckMarkdown } from '../model/plugins.ts';
import { loadDeckMarkdown } from './plugins.ts';
import { loadLocale, type Locale } from '../shared/locale.ts';
import { toPosix } from '../shared/paths.ts';
import { readPolicy, type ReadArea, type ReadPolicy, type Refusal } from '../shared/sandbox.ts';
import { contentRootProblem, courseAreas, isRefusal, manifestArea, refusalDiagnostic, type CourseAreas } from './areas.ts';
import { assembleDeck, type DeckEntry } from './assemble.ts';
import { findManifests } from './find.ts';
import { readTextFile } from './chapter.ts';
import { GENERATED_STRING_KEYS, type GeneratedStrings } from './generated.ts';
import { readManifest, type ContentNode, type Manifest } from './manifest.ts';
import { projectSettings } from './project.ts';

export { readManifest, type Manifest } from './manifest.ts';
export { anchorFor } from './anchor.ts';
export { chapterContentRoot, loadChapter, type LoadedChapter } from './chapter.ts';
export { projectNoteVerbs } from './project.ts';
export { findManifests } from './find.ts';

export interface LoadOptions {
  /** `OVERRIDE_<key>` values; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Reuse parsed files across builds (dev server). */
  cache?: ParseCache;
  /** Folder whose labdeck.yml declares course-wide settings (`directives.notes`); default: the working directory. */
  projectDir?: string;
  /** Folders allowed outside the course and the file size limit; default: the process's (set by the CLI). */
  policy?: ReadPolicy;
  /**
   * Told of every file read (manifests, nested manifests, chapters, includes, labdeck.yml) with
   * the text read, undefined when nothing readable was there or the read was refused: the
   * persistent build cache's inputs.
   */
  onRead?: (abs: string, text: string | undefined) => void;
  /**
   * Load the plugins and style sheets decks list from the course's node_modules: that runs the
   * course's code, so only when the person running labdeck says so (`--allow-plugins`);
   * default: `LABDECK_ALLOW_PLUGINS=1` in the environment.
   */
  allowPlugins?: boolean;
}

/** A file's text, a refused read, or undefined when nothing is there. */
type Read = string | Refusal | undefined;

/**
 * Keeps parsed files between builds. A file is parsed again only when its text, the text of
 * a file it includes, or the set of reference labels the course defines has changed.
 */
export class ParseCache {
  readonly #entries = new Map<string, { key: string; includes: Map<string, Read>; file: SourceFile }>();
  parses = 0;

  get(absPath: string, key: string, readInclude: (p: string) => Read): SourceFile | undefined {
    const hit = this.#entries.get(absPath);
    if (!hit || hit.key !== key) return undefined;
    for (const [p, text] of hit.includes) if (readInclude(p) !== text) return undefined;
    return hit.file;
  }

  set(absPath: string, key: string, includes: Map<string, Read>, file: SourceFile): void {
    this.#entries.set(absPath, { key, includes, file });
  }
}


/**
 * Manifests beside the given ones (same folder) that translate them: same `group`, another
 * language. A deck built alone (pack, export, layout check, `build x.yml`) still needs its
 * English counterpart for the slides it shows where a translation is missing.
 */
export function translationManifests(manifestPaths: readonly string[], policy?: ReadPolicy, onRead?: LoadOptions['onRead']): string[] {
  const wanted = new Set(manifestPaths.map((p) => resolve(p)));
  // Read as loadCourse reads a manifest; one that is refused or missing translates nothing.
  const groupOf = (abs: string) => {
    const text = manifestArea(abs, policy).text(abs, abs);
    onRead?.(abs, typeof text === 'string' ? text : undefined);
    return typeof text === 'string' ? readManifest(text, abs).manifest?.group : undefined;
  };
  const groups = new Set([...wanted].map(groupOf).filter((g): g is string => g !== undefined));
  if (groups.size === 0) return [];
  const out: string[] = [];
  for (const dir of new Set([...wanted].map((p) => dirname(p)))) {
    for (const candidate of findManifests(dir)) {
      const abs = resolve(candidate);
      if (wanted.has(abs) || out.includes(abs)) continue;
      const group = groupOf(abs);
      if (group !== undefined && groups.has(group)) out.push(abs);
    }
  }
  return out;
}

interface ResolvedManifest {
  manifest: Manifest;
  absPath: string;
  root: string;
  includeRoot: string;
  areas: CourseAreas;
  /** Parser and plugins of the deck. */
  markdown: DeckMarkdown;
  settings: MarkdownSettings;
}

/** Reads manifests and their files (each parsed once), and assembles one Deck per manifest. */
export async function loadCourse(manifestPaths: readonly string[], options: LoadOptions = {}): Promise<Course> {
  const env = options.env ?? process.env;
  const cache = options.cache ?? new ParseCache();
  const policy = options.policy;
  const diagnostics: Diagnostic[] = [];
  // Each file is read once per area (decks of one folder share them); every read goes through the area's checks.
  const texts = new Map<string, Read>();
  // Single-file decks: their text with the front matter blanked, wherever it is read from.
  const slidesOf = new Map<string, string>();
  const read = (area: ReadArea, abs: string, shown: string): Read => {
    const own = slidesOf.get(abs);
    if (own !== undefined) return own;
    const key = `${area.folders.join('\0')}\0${abs}`;
    if (!texts.has(key)) {
      const text = area.text(abs, shown);
      texts.set(key, text);
      options.onRead?.(abs, typeof text === 'string' ? text : undefined);
    }
    return texts.get(key);
  };

  const resolved: ResolvedManifest[] = [];
  const allowPlugins = options.allowPlugins ?? ((policy ?? readPolicy()).allowPlugins === true || env.LABDECK_ALLOW_PLUGINS === '1');
  const project = projectSettings(options.projectDir ?? process.cwd(), (abs) => {
    const text = readTextFile(abs);
    options.onRead?.(abs, text);
    return text;
  });
  diagnostics.push(...project.diagnostics);
  const projectMarkdown = { keys: project.markdown, dir: project.dir };
  for (const path of manifestPaths) {
    const absPath = resolve(path);
    const start = { file: path, line: 1, column: 1 };
    const text = manifestArea(absPath, policy).text(absPath, path);
    options.onRead?.(absPath, typeof text === 'string' ? text : undefined);
    if (text === undefined) {
      diagnostics.push(error('manifest/missing', start, `deck manifest not found: ${path}`, 'give the path of a .yml manifest, e.g. content/decks/kubernetes-en.yml'));
      continue;
    }
    if (isRefusal(text)) {
      diagnostics.push(refusalDiagnostic(text, start, path));
      continue;
    }
    let manifest: Manifest | undefined;
    let rootRel = '.';
    if (isMarkdownPath(path)) {
      // A single-file deck: its manifest is its front matter, its slides the rest (read from now
      // on with the front matter blanked, lines kept). gray-matter is loaded only for these.
      const { singleFileDeck } = await import('./single-file.ts');
      const deck = singleFileDeck(text, toPosix(basename(absPath)), env);
      slidesOf.set(absPath, deck.slides);
      diagnostics.push(...deck.diagnostics);
      manifest = deck.manifest;
      rootRel = manifest?.root ?? '.';
    } else {
      const first = readManifest(text, path, env);
      rootRel = first.manifest?.root ?? '.';
      const rel = toPosix(relative(resolve(dirname(absPath), rootRel), absPath));
      const again = readManifest(text, rel, env);
      diagnostics.push(...again.diagnostics);
      manifest = again.manifest;
    }
    if (!manifest) continue;
    const root = resolve(dirname(absPath), rootRel);
    const includeRoot = resolve(root, manifest.includeroot);
    const areas = courseAreas(absPath, root, includeRoot, policy);
    const outside = contentRootProblem(areas, root, absPath, manifest.keys.root, rootRel);
    if (outside) {
      diagnostics.push(outside);
      continue;
    }
    const load = await loadDeckMarkdown({ deck: { keys: manifest, dir: dirname(absPath) }, project: projectMarkdown }, allowPlugins);
    // labdeck.yml's plugins are each deck's: a problem with them is said once.
    for (const d of load.diagnostics) if (!diagnostics.some((x) => sameDiagnostic(x, d))) diagnostics.push(d);
    const settings: MarkdownSettings = { markdown: load.markdown.parser, remarkPlugins: load.markdown.remarkPlugins };
    if (settings.markdown === 'remark') await loadRemarkParser();
    for (const d of dialectProcessor(settings).diagnostics) if (!diagnostics.includes(d)) diagnostics.push(d);
    resolved.push({ manifest, absPath, root, includeRoot, areas, markdown: load.markdown, settings });
  }

  // A verb declared a note anywhere (labdeck.yml, any manifest) is a note in every file: a file
  // is parsed once for all the decks that show it.
  const noteVerbs = new Set([...project.notes, ...resolved.flatMap((rm) => rm.manifest.noteVerbs)]);
  const notesKey = [...noteVerbs].sort().join(' ');

  // Flatten every deck's content first, so the reference labels of the whole course are known
  // before any file is parsed (remark.js resolves references across the whole deck).
  const flattened: { rm: ResolvedManifest; entries: FlatEntry[] }[] = [];
  for (const rm of resolved) {
    const entries: FlatEntry[] = [];
    flatten(rm.manifest.content, rm, rm.root, -1, [rm.absPath], entries, diagnostics, (abs, shown) => read(rm.areas.content, abs, shown), env);
    flattened.push({ rm, entries });
  }

  const labels = new Set<string>();
  for (const { rm, entries } of flattened) {
    for (const e of entries) {
      const text = e.kind === 'file' ? (read(rm.areas.content, e.abs, e.rel) as string) : e.markdown;
      if (text) for (const m of text.matchAll(DEFINITION_LINE)) labels.add(normalizeLabel(m[1]!));
    }
  }
  const labelsKey = [...labels].sort().join('\n');

  const files = new Map<string, SourceFile>();
  const parse = (key: string, abs: string, text: string, path: string, rm: ResolvedManifest, lineOffset = 0, indent = 0): SourceFile => {
    const includeRoot = rm.includeRoot;
    const includes = new Map<string, Read>();
    const readInclude = (p: string) => {
      const content = read(rm.areas.includes, resolve(includeRoot, p), p);
      includes.set(p, content);
      return content;
    };
    const cacheKey = `${text}\0${labelsKey}\0${lineOffset}\0${indent}\0${includeRoot}\0${notesKey}\0${settingsKey(rm.settings)}`;
    const cached = cache.get(key, cacheKey, readInclude);
    if (cached) return cached;
    cache.parses++;
    const file = parseSource(text, { path, knownLabels: labels, readInclude, lineOffset, indent, noteVerbs, settings: rm.settings });
    cache.set(key, cacheKey, includes, file);
    return file;
  };

  const decks: Deck[] = [];
  for (const { rm, entries } of flattened) {
    const deckEntries: DeckEntry[] = [];
    for (const e of entries) {
      let file: SourceFile;
      // A file is parsed once per parser and plugin set (once in all for most courses).
      const variant = settingsKey(rm.settings) === DEFAULT_KEY ? '' : `#${settingsKey(rm.settings)}`;
      if (e.kind === 'file') {
        const text = read(rm.areas.content, e.abs, e.rel) as string;
        const key = `${e.abs}${variant}`;
        file = files.get(key) ?? parse(key, e.abs, text, e.rel, rm);
        files.set(key, file);
      } else {
        const key = `${rm.absPath}#L${e.firstLine}${variant}`;
        file = files.get(key) ?? parse(key, key, e.markdown, rm.manifest.path, rm, e.firstLine - 1, e.indent);
        files.set(key, file);
      }
      deckEntries.push({ file, part: e.part, position: e.position });
    }
    const id = rm.manifest.path.slice(rm.manifest.path.lastIndexOf('/') + 1).replace(/\.(ya?ml|md|markdown)$/i, '');
    const strings = generatedStrings(rm.manifest.lang, diagnostics, rm.manifest.path);
    const deck = assembleDeck(rm.manifest, id, deckEntries, strings);
    if (rm.markdown.parser !== 'fast' || rm.markdown.remarkPlugins.length > 0 || rm.markdown.rehypePlugins.length > 0 || rm.markdown.styles.length > 0) deck.markdown = rm.markdown;
    decks.push(deck);
  }
  // Inline entries share their manifest's path (positions point into it): key them by line.
  const courseFiles = new Map<string, SourceFile>();
  for (const [key, f] of files) {
    const inline = /#L\d+/.exec(key)?.[0] ?? '';
    const name = `${f.path}${inline}`;
    // The same file under another parser or plugin set: kept apart (its diagnostics count too).
    courseFiles.set(courseFiles.has(name) ? `${name}#${courseFiles.size}` : name, f);
  }
  return { root: resolved[0]?.root ?? process.cwd(), decks, files: courseFiles, diagnostics };
}

/** Every diagnostic of a course once: manifests, files (once each, however many decks include them), decks. */
export function courseDiagnostics(course: Course): Diagnostic[] {
  return [...course.diagnostics, ...[...course.files.values()].flatMap((f) => f.diagnostics), ...course.decks.flatMap((d) => d.diagnostics)];
}

const DEFAULT_KEY = settingsKey(DEFAULT_SETTINGS);

/** A Markdown file given where a manifest is expected: a single-file deck. */
const isMarkdownPath = (path: string): boolean => /\.(md|markdown)$/i.test(path);

const sameDiagnostic = (a: Diagnostic, b: Diagnostic): boolean =>
  a.code === b.code && a.message === b.message && a.position.file === b.position.file && a.position.line === b.position.line && a.position.column === b.position.column;

/** `[label]: url` at the start of a line: enough to know which labels a course defines. */
const DEFINITION_LINE = /^ {0,3}\[([^\]\n]+)\]:[ \t]*\S/gm;

type FlatEntry =
  | { kind: 'file'; abs: string; rel: string; part: number; position: Position }
  | { kind: 'inline'; markdown: string; firstLine: number; indent: number; part: number; position: Position };

/**
 * Resolves content entries to files in order. A `.yml` entry pulls in another manifest's
 * content (labdeck addition); `stack` holds the manifests being read, to refuse cycles.
 */
function flatten(
  nodes: readonly ContentNode[],
  rm: ResolvedManifest,
  root: string,
  part: number,
  stack: string[],
  out: FlatEntry[],
  diagnostics: Diagnostic[],
  read: (abs: string, shown: string) => Read,
  env: Record<string, string | undefined>,
): void {
  nodes.forEach((node, i) => {
    const entryPart = part === -1 ? i : part;
    if (node.kind === 'list') {
      flatten(node.items, rm, root, entryPart, stack, out, diagnostics, read, env);
    } else if (node.kind === 'inline') {
      out.push({ kind: 'inline', markdown: node.markdown, firstLine: node.firstLine, indent: node.indent, part: entryPart, position: node.position });
    } else {
      const abs = resolve(root, node.path);
      const rel = toPosix(relative(rm.root, abs));
      if (/\.ya?ml$/.test(node.path)) {
        if (stack.includes(abs)) {
          diagnostics.push(error('content/cycle', node.position, `\`${node.path}\` includes itself (${[...stack, abs].map((p) => toPosix(relative(rm.root, p))).join(' → ')})`, 'remove one of the entries that close the loop'));
          return;
        }
        const text = read(abs, node.path);
        if (text === undefined) {
          diagnostics.push(error('content/missing', node.position, `manifest \`${node.path}\` not found (looked for ${rel})`, 'paths in `content:` are relative to the content root'));
          return;
        }
        if (isRefusal(text)) {
          diagnostics.push(refusalDiagnostic(text, node.position, rel));
          return;
        }
        const { manifest, diagnostics: d } = readManifest(text, rel, env);
        // An included manifest contributes content only: its deck-level keys do not apply.
        diagnostics.push(...d.filter((x) => x.code !== 'manifest/no-exclude'));
        if (manifest) flatten(manifest.content, rm, root, entryPart, [...stack, abs], out, diagnostics, read, env);
        return;
      }
      const text = read(abs, node.path);
      if (text === undefined) {
        diagnostics.push(error('content/missing', node.position, `content file \`${node.path}\` not found (looked for ${rel})`, 'paths in `content:` are relative to the content root (the `root:` key, default: the manifest folder)'));
        return;
      }
      if (isRefusal(text)) {
        diagnostics.push(refusalDiagnostic(text, node.position, rel));
        return;
      }
      out.push({ kind: 'file', abs, rel, part: entryPart, position: node.position });
    }
  });
}

const DEFAULT_STRINGS: Record<Lang, GeneratedStrings> = {
  en: { tableOfContents: 'Table of contents', part: 'Part {n}', previousChapter: 'Previous part', backToContents: 'Back to table of contents', nextChapter: 'Next part' },
  fr: { tableOfContents: 'Table des matières', part: 'Partie {n}', previousChapter: 'Partie précédente', backToContents: 'Retour à la table des matières', nextChapter: 'Partie suivante' },
};

function generatedStrings(lang: Lang, diagnostics: Diagnostic[], manifestPath: string): GeneratedStrings {
  let locale: Locale;
  try {
    locale = loadLocale(lang);
  } catch {
    return DEFAULT_STRINGS[lang];
  }
  const strings = { ...DEFAULT_STRINGS[lang] };
  for (const key of GENERATED_STRING_KEYS) {
    const value = locale[key];
    if (typeof value === 'string') strings[key] = value;
    else diagnostics.push(warning('locale/missing-key', { file: manifestPath, line: 1, column: 1 }, `locales/${lang}.json has no \`${key}\`; using the built-in text`, `add "${key}" to locales/${lang}.json`));
  }
  return strings;
}
