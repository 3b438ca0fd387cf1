import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { SourceFile } from '../model/chapter.ts';
import { parseSource } from '../parse/index.ts';
import { toPosix } from '../shared/paths.ts';
import { readPolicy, repositoryOf } from '../shared/sandbox.ts';
import { courseAreas, isRefusal, refusalDiagnostic } from './areas.ts';
import { DEFAULT_INCLUDE_ROOT } from './manifest.ts';

/** A file's text, or undefined when it is not a readable regular file (labdeck's own files: the course's go through a ReadArea). */
export function readTextFile(abs: string): string | undefined {
  try {
    return statSync(abs).isFile() ? readFileSync(abs, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The content root above a chapter (positions are relative to it): the nearest folder that is
 * `content/` (labdeck's layout) or holds deck manifests (container.training's `slides/`, whose
 * `*.yml` have a `content:` list), else the chapter's own folder.
 */
export function chapterContentRoot(abs: string): string {
  for (let d = dirname(abs); d !== dirname(d); d = dirname(d)) if (basename(d) === 'content' || holdsManifest(d)) return d;
  return dirname(abs);
}

function holdsManifest(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  } catch {
    return false;
  }
  return names.some((f) => /^content:/m.test(readTextFile(join(dir, f)) ?? ''));
}

export interface LoadChapterOptions {
  /** Content root the positions are relative to; default: `chapterContentRoot`. */
  contentRoot?: string;
  /** Directive verbs declared as notes to the presenter (labdeck.yml's `directives.notes`). */
  noteVerbs?: ReadonlySet<string>;
}

export interface LoadedChapter {
  file: SourceFile;
  /** Absolute content root; `file.path` is relative to it. */
  root: string;
}

/**
 * One Markdown chapter read on its own, without a manifest, the way `loadCourse` reads it in a
 * deck that leaves `includeroot:` at its default: positions relative to the content root,
 * `@@INCLUDE[…]` paths from the include root above it. Undefined when the file cannot be read.
 */
export function loadChapter(path: string, options: LoadChapterOptions = {}): LoadedChapter | undefined {
  const abs = resolve(path);
  const root = resolve(options.contentRoot ?? chapterContentRoot(abs));
  const includeRoot = resolve(root, DEFAULT_INCLUDE_ROOT);
  // Without a `.git`, the repository is the folder above the content root, where includes come from by default.
  const areas = courseAreas(abs, root, includeRoot, readPolicy(), repositoryOf(abs, dirname(root)));
  const rel = toPosix(relative(root, abs));
  const text = areas.manifest.text(abs, rel);
  if (text === undefined) return undefined;
  if (isRefusal(text)) {
    // Refused (outside its repository, not a regular file, not text): an empty chapter with the reason.
    const file = parseSource('', { path: rel });
    file.diagnostics.push(refusalDiagnostic(text, { file: rel, line: 1, column: 1 }, rel));
    return { file, root };
  }
  const file = parseSource(text, { path: rel, readInclude: (p) => areas.includes.text(resolve(includeRoot, p), p), ...(options.noteVerbs ? { noteVerbs: options.noteVerbs } : {}) });
  return { file, root };
}
