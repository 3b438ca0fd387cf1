import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../shared/files.ts';
import { isInside } from '../shared/paths.ts';
import { isRefusal, readRegular } from '../shared/sandbox.ts';
import { clientAssets, deckScript, revealAssets, type AssetCopy } from './assets.ts';
import type { RenderedSite } from './site.ts';
import { THEME_TEMPLATES, type Theme } from './theme.ts';

/** Written in every output folder: only a folder holding it may be replaced by a build. */
export const OUTPUT_MARKER = '.labdeck-output';

export class OutputFolderError extends Error {}

/** Static files of every site: Reveal, the client controllers, the theme's CSS and images. */
export function staticAssets(theme: Theme): AssetCopy[] {
  return [...revealAssets(), ...clientAssets(), ...themeFiles(theme.dir).map((f) => ({ from: join(theme.dir, f), to: `assets/theme/${f}` }))];
}

/** The theme's files to copy: regular files and folders only (a link or a FIFO in a theme is not followed). */
function themeFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) return themeFiles(dir, rel);
    return e.isFile() && !THEME_TEMPLATES.has(rel) ? [rel] : [];
  });
}

/**
 * Copies a file the build checked (an image of the course, an asset): read again as a regular
 * file through its real path, never following a link swapped in or blocking on a FIFO since.
 */
function copyChecked(from: string, to: string): void {
  const data = readRegular(realpathSync.native(from));
  if (data === undefined || isRefusal(data)) throw new Error(`${from} ${data ? data.message : 'disappeared during the build'}`);
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, data);
}

/**
 * Refuses an output folder whose replacement would destroy something that is not a previous
 * build: the content, the working directory or one of its parents, a folder of other files.
 */
export function checkOutputFolder(outDir: string, contentRoot: string): void {
  const out = resolve(outDir);
  if (isInside(resolve(contentRoot), out) || isInside(process.cwd(), out) || isInside(out, resolve(contentRoot))) {
    throw new OutputFolderError(`refusing to build into ${outDir}: it contains or is inside the content folder or the working directory`);
  }
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, OUTPUT_MARKER))) {
    throw new OutputFolderError(`refusing to replace ${outDir}: it is not empty and was not written by labdeck (no ${OUTPUT_MARKER} file)`);
  }
}

function writeInto(dir: string, site: RenderedSite, contentRoot: string, theme: Theme): number {
  let files = 0;
  const write = (rel: string, data: string) => {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
    files++;
  };
  const copy = (from: string, rel: string) => {
    copyChecked(from, join(dir, rel));
    files++;
  };
  for (const [rel, html] of site.pages) write(rel, html);
  for (const [from, to] of site.images) copy(join(contentRoot, from), to);
  for (const asset of [...staticAssets(theme), ...site.assets]) copy(asset.from, asset.to);
  const script = deckScript();
  write(script.to, script.data);
  write(OUTPUT_MARKER, 'Built by labdeck. This folder is replaced as a whole by `labdeck build`.\n');
  return files;
}

/**
 * Writes the whole site into a temporary sibling folder, then swaps it in, so readers (and a
 * failed build) never see a half-written output. Returns the number of files written. The new
 * folder gets the permissions of the one it replaces (a first build: the umask's, like mkdir).
 */
export function writeSiteAtomically(site: RenderedSite, outDir: string, contentRoot: string, theme: Theme): number {
  const out = resolve(outDir);
  checkOutputFolder(out, contentRoot);
  mkdirSync(dirname(out), { recursive: true });
  // Not mkdtemp: its 0700 would become the output folder's mode once swapped in.
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(dirname(out), `${basename(out)}.tmp-${suffix}`);
  mkdirSync(tmp);
  let files: number;
  try {
    files = writeInto(tmp, site, contentRoot, theme);
    if (existsSync(out)) chmodSync(tmp, statSync(out).mode & 0o7777);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  // Two renames: a directory cannot replace a non-empty one in one step.
  const old = existsSync(out) ? join(dirname(out), `${basename(out)}.old-${suffix}`) : undefined;
  if (old) renameSync(out, old);
  try {
    renameSync(tmp, out);
  } catch (e) {
    if (old) renameSync(old, out);
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (old) rmSync(old, { recursive: true, force: true });
  return files;
}

/**
 * Dev rebuilds: replaces only the pages rendered this time and copies new images, each file
 * through a temporary name so the browser never loads half a page.
 */
export function writePagesInPlace(site: RenderedSite, outDir: string, contentRoot: string): number {
  let files = 0;
  for (const [rel, html] of site.pages) {
    // Not flushed to disk: the next rebuild rewrites it anyway; the rename alone keeps it whole.
    writeFileAtomic(join(outDir, rel), html, { durable: false });
    files++;
  }
  const copies = [...[...site.images].map(([from, to]) => ({ from: join(contentRoot, from), to })), ...site.assets];
  for (const { from: source, to } of copies) {
    const target = join(outDir, to);
    if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) continue;
    copyChecked(source, target);
    files++;
  }
  return files;
}
