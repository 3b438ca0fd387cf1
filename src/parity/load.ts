import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { SourceFile } from '../model/chapter.ts';
import type { Course } from '../model/course.ts';
import type { Deck } from '../model/deck.ts';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import { findManifests, loadChapter, loadCourse } from '../manifest/index.ts';
import { pairFiles, type FilePair, type ParityInput } from './index.ts';
import { readStamps, stampPath } from './store.ts';
import { toPosix } from '../shared/paths.ts';

export interface LoadParityOptions {
  /** Content root (holds `en/`, `fr/`, `decks/`). */
  content: string;
  lang: string;
  /** Decks (manifest paths or ids) and files (`en/x.md`, `fr/x.md`, paths from the cwd); none: everything. */
  targets: readonly string[];
}

export interface LoadedParity {
  input: ParityInput;
  course: Course;
  contentRoot: string;
  stampFile: string;
  /** Bad targets, a malformed stamp file, bad manifests. */
  diagnostics: Diagnostic[];
  /** True when the stamp file exists but could not be read: never write over it. */
  stampsInvalid: boolean;
}

/** The I/O half of `parity`: reads manifests, files and stamps, and says what to compare. */
export async function loadParity(options: LoadParityOptions): Promise<LoadedParity> {
  const contentRoot = resolve(options.content);
  const course = await loadCourse(findManifests(join(contentRoot, 'decks')));
  const diagnostics: Diagnostic[] = [...course.diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('manifest/'))];
  const files = new Map<string, SourceFile>(course.files);
  const decks: { deck: Deck; source?: Deck }[] = [];
  const paths = new Set<string>();
  const translatedDeck = (d: Deck) => {
    if (decks.some((x) => x.deck === d)) return;
    const source = course.decks.find((e) => e.lang === 'en' && e.meta.group !== undefined && e.meta.group === d.meta.group);
    decks.push({ deck: d, ...(source ? { source } : {}) });
    for (const f of [...d.files, ...(source?.files ?? [])]) paths.add(f.path);
  };

  if (options.targets.length === 0) {
    for (const d of course.decks) if (d.lang === options.lang) translatedDeck(d);
    for (const dir of ['en', options.lang]) for (const p of markdownFiles(contentRoot, dir)) paths.add(p);
  }
  for (const target of options.targets) {
    const deck = course.decks.find((d) => d.id === target || resolve(d.manifestPath) === resolve(target) || d.id === basename(target).replace(/\.ya?ml$/, ''));
    if (deck) {
      if (deck.lang === options.lang) translatedDeck(deck);
      else for (const d of course.decks) if (d.lang === options.lang && d.meta.group !== undefined && d.meta.group === deck.meta.group) translatedDeck(d);
      continue;
    }
    const rel = contentPath(contentRoot, target);
    if (rel && (rel.startsWith('en/') || rel.startsWith(`${options.lang}/`)) && /\.md$/.test(rel)) {
      paths.add(rel);
      continue;
    }
    diagnostics.push(
      error('parity/target', { file: target, line: 1, column: 1 }, `\`${target}\` is neither a deck nor a Markdown file under ${contentRoot}/en or /${options.lang}`, `name a deck (${course.decks.map((d) => d.id).join(', ') || 'none found'}) or a file like ${options.lang}/k8s/kubectl-run.md`),
    );
  }

  const pairs: FilePair[] = pairFiles(paths, options.lang);
  for (const p of pairs) for (const path of [p.en, p.fr]) if (!files.has(path)) readLoose(contentRoot, path, files);

  const stampFile = stampPath(contentRoot, options.lang);
  const stamps = readStamps(stampFile, toPosix(relative(contentRoot, stampFile)));
  diagnostics.push(...stamps.diagnostics);
  return {
    input: { lang: options.lang, files, pairs, stamps: stamps.book, decks },
    course,
    contentRoot,
    stampFile,
    diagnostics,
    stampsInvalid: stamps.diagnostics.length > 0,
  };
}

/** A path as given on the command line, relative to the content root (or as written when already so). */
export function contentPath(contentRoot: string, target: string): string | undefined {
  const clean = target.replace(/[:#].*$/, '');
  for (const candidate of [resolve(clean), resolve(contentRoot, clean)]) {
    const rel = relative(contentRoot, candidate);
    if (!rel.startsWith('..') && existsSync(candidate)) return toPosix(rel);
  }
  // A file that does not exist (yet) still names a side of a pair.
  const rel = relative(contentRoot, resolve(contentRoot, clean));
  return rel.startsWith('..') ? undefined : toPosix(rel);
}

function markdownFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    let entries: string[];
    try {
      entries = readdirSync(abs);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      const a = join(abs, name);
      const r = `${rel}/${name}`;
      if (statSync(a).isDirectory()) walk(a, r);
      else if (name.endsWith('.md')) out.push(r);
    }
  };
  walk(join(root, dir), dir);
  return out;
}

/** Files outside every deck are read on their own, as `loadChapter` reads any chapter. */
function readLoose(contentRoot: string, path: string, files: Map<string, SourceFile>): void {
  const chapter = loadChapter(join(contentRoot, path), { contentRoot });
  if (chapter) files.set(path, chapter.file);
}
