import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readFileSync, realpathSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { displayPath, isInside } from './paths.ts';
import { decodeText, describeNotText } from './text.ts';

/**
 * The course is untrusted input: contributors' pull requests are built in CI jobs that hold
 * secrets, and the result is published. Everything the build reads goes through a ReadArea:
 * a set of folders, each checked by its real path (symbolic links resolved), regular files only,
 * text files up to a size limit and valid UTF-8.
 */

/** What the command line allows beyond the course (`--allow-read`, `--max-file-size`, `--allow-plugins`). */
export interface ReadPolicy {
  /** Absolute folders outside the course that may be read anyway. */
  allow: readonly string[];
  /** Largest text file (manifest, chapter, include) read, in bytes. */
  maxFileSize: number;
  /** Load (run) the remark/rehype plugins the course lists from its node_modules. */
  allowPlugins?: boolean;
}

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
const DEFAULT_POLICY: ReadPolicy = { allow: [], maxFileSize: DEFAULT_MAX_FILE_SIZE };
let processPolicy: ReadPolicy = DEFAULT_POLICY;

/** The policy of this process: the CLI sets it from its options, like `process.env` it is read by default. */
export const readPolicy = (): ReadPolicy => processPolicy;

/** Sets the process policy (the CLI, for one command); returns a function that restores the previous one. */
export function setReadPolicy(policy: Partial<ReadPolicy>): () => void {
  const previous = processPolicy;
  processPolicy = { ...DEFAULT_POLICY, ...policy, allow: (policy.allow ?? []).map((d) => resolve(d)) };
  return () => {
    processPolicy = previous;
  };
}

/** `1.5 MB`, `512 KB`, `20 B`: sizes in messages. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

/** `--max-file-size 20MB` → bytes (B, KB, MB, GB; a bare number is bytes); undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb?|mb?|gb?)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const bytes = Number(m[1]) * { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit]!;
  return bytes >= 1 ? Math.floor(bytes) : undefined;
}

/** A refused read, ready to become a Diagnostic where the path was written. */
export interface Refusal {
  refused: true;
  code: 'sandbox/outside' | 'sandbox/not-a-file' | 'sandbox/too-large' | 'text/not-utf8';
  message: string;
  hint: string;
  /** Set when the problem is inside the file itself (a byte that is not text): line and column there. */
  at?: { line: number; column: number };
}

export const isRefusal = (x: unknown): x is Refusal => typeof x === 'object' && x !== null && (x as Refusal).refused === true;

const refusal = (code: Refusal['code'], message: string, hint: string, at?: Refusal['at']): Refusal => (at ? { refused: true, code, message, hint, at } : { refused: true, code, message, hint });

/**
 * The repository holding a manifest or chapter: the nearest folder above it with a `.git`;
 * without one, `fallback` (by default the folder above the file's folder: container.training
 * keeps its manifests in `slides/`, labdeck in `content/decks/`). Nothing the course names is
 * read above it.
 */
export function repositoryOf(file: string, fallback = dirname(dirname(resolve(file)))): string {
  for (let d = dirname(resolve(file)); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (d === dirname(d)) return fallback;
  }
}

/** A path in a message: relative under the working folder, absolute elsewhere (`/etc/passwd`, not `../../etc/passwd`). */
export const messagePath = (path: string): string => (isInside(path, process.cwd()) ? displayPath(path) : path);

const real = (path: string): string | undefined => {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
};

/** The real path (symbolic links resolved) of a path, or the path made absolute when nothing is there. */
export const realOrResolved = (path: string): string => real(path) ?? resolve(path);

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Folders a stage may read, by real path. `file`/`text` take an absolute path and the path as
 * the author wrote it (for messages); they answer undefined when nothing is there (the caller's
 * "not found"), a Refusal when something is there that must not be read.
 */
export class ReadArea {
  readonly folders: readonly string[];
  readonly #real: string[];
  readonly #policy: ReadPolicy;
  readonly #what: string;

  /** `what` names the folders in messages: "the content root content/". */
  constructor(folders: readonly string[], what: string, policy: ReadPolicy = readPolicy()) {
    this.folders = folders;
    this.#policy = policy;
    this.#what = what;
    this.#real = [...folders, ...policy.allow].map(realOrResolved);
  }

  /** Whether a real path is inside one of the folders (or an allowed one). */
  contains(realPath: string): boolean {
    return this.#real.some((f) => isInside(realPath, f));
  }

  /** The real path and size of a regular file inside the area. */
  file(abs: string, shown: string): { real: string; size: number } | Refusal | undefined {
    const r = real(abs);
    if (r === undefined) return undefined;
    if (!this.contains(r)) {
      const where = r === resolve(abs) ? 'is' : `leads to ${messagePath(r)},`;
      return refusal(
        'sandbox/outside',
        `\`${shown}\` ${where} outside ${this.#what}`,
        'a course reads only files inside its own folders (symbolic links are followed and checked too); to read a folder outside on purpose, pass --allow-read <folder> on the command line',
      );
    }
    let stats: Stats;
    try {
      stats = lstatSync(r);
    } catch {
      return undefined;
    }
    if (!stats.isFile()) return refusal('sandbox/not-a-file', `\`${shown}\` is ${kindOf(stats)}, not a regular file`, 'the build reads regular files only: put the file itself there');
    return { real: r, size: stats.size };
  }

  /** A text file's content: a regular file inside the area, within the size limit, valid UTF-8 without NUL bytes. */
  text(abs: string, shown: string): string | Refusal | undefined {
    const found = this.file(abs, shown);
    if (found === undefined || isRefusal(found)) return found;
    const max = this.#policy.maxFileSize;
    if (found.size > max) return tooLarge(shown, found.size, max);
    const bytes = readRegular(found.real, max);
    if (bytes === undefined) return undefined;
    if (isRefusal(bytes)) return bytes.code === 'sandbox/too-large' ? tooLarge(shown, max + 1, max) : refusal(bytes.code, `\`${shown}\` ${bytes.message}`, bytes.hint);
    const decoded = decodeText(bytes);
    if ('notText' in decoded) {
      return refusal('text/not-utf8', `\`${shown}\` is not UTF-8 text: ${describeNotText(decoded.notText)}`, 'save the file as UTF-8 (a binary file has no place in the content)', { line: decoded.notText.line, column: decoded.notText.column });
    }
    return decoded.text;
  }
}

function tooLarge(shown: string, size: number, max: number): Refusal {
  const want = Math.max(size, max) * 2;
  const raised = want >= 1024 * 1024 ? `${Math.ceil(want / 1024 / 1024)}MB` : `${Math.ceil(want / 1024)}KB`;
  return refusal(
    'sandbox/too-large',
    `\`${shown}\` is ${size > max + 1 ? formatSize(size) : 'more than ' + formatSize(max)}, above the ${formatSize(max)} limit for a course file${max === DEFAULT_MAX_FILE_SIZE ? ' (the default)' : ''}`,
    `split it into several files, or raise the limit on the command line: --max-file-size ${raised}`,
  );
}

/**
 * Reads a regular file without following a link swapped in since it was checked and without
 * blocking on a FIFO: opened with O_NOFOLLOW | O_NONBLOCK, checked again on the open descriptor.
 */
export function readRegular(realPath: string, maxBytes = Infinity): Buffer | Refusal | undefined {
  let fd: number;
  try {
    fd = openSync(realPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') return refusal('sandbox/not-a-file', 'is a symbolic link that changed while it was read', 'run the build again on a course that does not change under it');
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return refusal('sandbox/not-a-file', `is ${kindOf(stats)}, not a regular file`, 'the build reads regular files only: put the file itself there');
    if (stats.size > maxBytes) return refusal('sandbox/too-large', '', '');
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Where a write to `path` lands, when that is inside one of `folders` (real paths compared):
 * write-file-atomic follows symbolic links, so a content file linked to a file outside the course
 * would be rewritten there. Undefined when it would land outside.
 */
export function writeTargetInside(path: string, folders: readonly string[]): string | undefined {
  const target = realOrResolved(path);
  const inside = folders.map(realOrResolved).some((f) => isInside(target, f));
  return inside ? target : undefined;
}
