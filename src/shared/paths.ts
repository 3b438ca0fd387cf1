import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The labdeck checkout or package: holds `locales/`, `themes/`, `scripts/`. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LOCALES_DIR = `${PACKAGE_ROOT}${sep}locales`;
export const THEMES_DIR = `${PACKAGE_ROOT}${sep}themes`;

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
