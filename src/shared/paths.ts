import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The labdeck checkout or package: holds `locales/`, `themes/`, `scripts/`, `src/render/client/`.
 * Found upwards from this module, which runs from src/shared/ or from the compiled CLI's folder
 * (bin/compile.js), at different depths.
 */
export const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));
export const LOCALES_DIR = `${PACKAGE_ROOT}${sep}locales`;
export const THEMES_DIR = `${PACKAGE_ROOT}${sep}themes`;

/**
 * labdeck's cache folder: `LABDECK_CACHE_DIR`, else `$XDG_CACHE_HOME/labdeck`, else
 * `~/.cache/labdeck`. Each cache has its folder below it (`build/`, `mermaid/`).
 */
export function labdeckCacheDir(env: Record<string, string | undefined> = process.env): string {
  return env.LABDECK_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'labdeck');
}

/** Where decks' manifests are found when the command line names none (from the working folder). */
export const DECKS_DIR = 'content/decks';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'locales')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`labdeck: no package root (with locales/ and package.json) above ${from}`);
  }
}

/** `a\b` → `a/b`: positions and keys use `/` on every platform. */
export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Whether `path` is `dir` or inside it (both absolute, no `..` left). */
export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** Relative path from the working folder, for messages. */
export const displayPath = (path: string): string => relative(process.cwd(), path) || '.';
