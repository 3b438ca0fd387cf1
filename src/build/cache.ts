/**
 * The persistent build cache: a build whose inputs are all as they were at the last build with
 * the same settings writes the pages that build made, without parsing or rendering anything.
 *
 * - The key: labdeck itself (the bytes of its src/, themes/, locales/, package.json and
 *   package-lock.json: its version, the highlighter's and Reveal's; the installed version of each
 *   package it depends on), the theme, the manifests
 *   named, the working folder (labdeck.yml is read there, messages name paths from there), the
 *   build options, every `OVERRIDE_*` variable, Node's major version.
 * - The inputs, checked on every use: every file the build read (manifests, nested manifests,
 *   chapters, includes, parity stamps, labdeck.yml) with the SHA-256 of its text or "absent", and
 *   whether each image the decks show is a regular file inside the content root. Images are
 *   copied afresh from the course on a hit, so that check is the build's own (ReadArea): an image
 *   replaced since by a link leading outside is a miss, and the build refuses it.
 * - A build that ran the course's own plugins (`--allow-plugins`) is not stored: what they do
 *   depends on files the build does not read as inputs.
 * - An entry is `<key>.json` (its body and the body's SHA-256) plus its pages under `pages/`, each
 *   named by the SHA-256 of its bytes. Anything that does not match its checksum, or a body that
 *   does not parse, is a miss: the build runs and writes the entry anew. Never served.
 *
 * It sits above the stages and knows nothing of how a slide is rendered: what is cached is the
 * output of one `buildSite` for a set of inputs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { AssetCopy } from '../render/assets.ts';
import { renderSiteIndex, type DeckSummary } from '../render/site-index.ts';
import type { RenderedSite } from '../render/site.ts';
import { loadTheme, type Theme } from '../render/theme.ts';
import { writeSiteAtomically } from '../render/write.ts';
import { labdeckCacheDir, PACKAGE_ROOT } from '../shared/paths.ts';
import { isRefusal, ReadArea, readPolicy, readRegular, realOrResolved, type ReadPolicy } from '../shared/sandbox.ts';
import { decodeText } from '../shared/text.ts';
import type { BuildInput, BuildReport, BuildRequest } from './site.ts';
import { findManifests } from '../manifest/find.ts';

/** Bump when an entry's layout or meaning changes. */
const FORMAT = 'labdeck-build-2';
/** Entries kept (the most recently used); their pages are shared when equal. */
const KEEP = 12;

/** `$LABDECK_CACHE_DIR/build`, by default `~/.cache/labdeck/build`. */
export const defaultBuildCacheDir = (env: Record<string, string | undefined> = process.env): string => join(labdeckCacheDir(env), 'build');

export interface CachedBuildRequest extends BuildRequest {
  outDir: string;
  /** The cache folder (`defaultBuildCacheDir()`). */
  cacheDir: string;
  /** `OVERRIDE_*` values; defaults to process.env (as the manifests read them). */
  env?: Record<string, string | undefined>;
  /** labdeck's own fingerprint, `labdeckFingerprint()` by default (tests stand for an upgrade with another). */
  labdeck?: string;
}

/** What a cached or fresh build reports; `course` and `site` only when it ran. */
export interface CachedBuildReport extends Omit<BuildReport, 'course' | 'site' | 'annotations'> {
  /** `hit`: pages from the cache; `miss`: built (and stored when it succeeded); `corrupt`: an entry failed its checksums and was rebuilt. */
  cache: 'hit' | 'miss' | 'corrupt';
  course?: BuildReport['course'];
  site?: BuildReport['site'];
  annotations?: BuildReport['annotations'];
}

interface Entry {
  format: string;
  key: string;
  root: string;
  /** Path → SHA-256 of the text read, `null` for nothing readable; `exists:` + path → `1`/`0`. */
  inputs: [string, string | null][];
  /** Output path → SHA-256 of the page (its file under pages/). */
  pages: [string, string][];
  images: [string, string][];
  /** Static files beside the theme's the pages need (the emoji font). */
  assets: AssetCopy[];
  summaries: DeckSummary[];
  diagnostics: Diagnostic[];
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export async function buildSiteCached(request: CachedBuildRequest): Promise<CachedBuildReport> {
  const t0 = performance.now();
  const theme = request.theme ?? loadTheme();
  const policy = request.policy ?? readPolicy();
  const key = cacheKey(request, theme, policy);
  const entryFile = join(request.cacheDir, `${key}.json`);
  const found = readEntry(request.cacheDir, entryFile, key, policy);
  if (found.entry) {
    const started = performance.now();
    // The index says how long ago the labs were verified: the one page that depends on the clock.
    found.pages.set('index.html', renderSiteIndex(found.entry.summaries, theme, undefined, request.now));
    const site: RenderedSite = {
      pages: found.pages,
      images: new Map(found.entry.images),
      assets: found.entry.assets,
      summaries: found.entry.summaries,
      diagnostics: [],
      timings: { highlightPrepare: 0, render: 0, index: 0 },
    };
    const files = writeSiteAtomically(site, request.outDir, found.entry.root, theme);
    const write = performance.now() - started;
    touch(entryFile);
    return {
      cache: 'hit',
      ok: true,
      diagnostics: found.entry.diagnostics,
      summaries: found.entry.summaries,
      files,
      timings: { highlighterInit: 0, load: started - t0, parity: 0, diagrams: 0, highlightPrepare: 0, render: 0, index: 0, write, total: performance.now() - t0 },
    };
  }
  // Loaded on a miss only: a hit needs neither the parser nor the renderer.
  const [{ buildSite }, { defaultCacheDir, MermaidDiagrams }, { launchChromium }] = await Promise.all([import('./site.ts'), import('../mermaid/index.ts'), import('../shared/browser.ts')]);
  const diagrams = request.diagrams ?? new MermaidDiagrams({ launch: launchChromium, cacheDir: defaultCacheDir() });
  const inputs = new Map<string, string | null>();
  const report = await buildSite({
    ...request,
    theme,
    diagrams,
    onInput: (input: BuildInput) => {
      if (input.kind === 'text') inputs.set(input.path, input.text === undefined ? null : sha256(input.text));
      else if (input.kind === 'exists') inputs.set(`exists:${input.path}`, input.exists ? '1' : '0');
      else inputs.set(`list:${input.path}`, sha256(input.names.join('\n')));
      request.onInput?.(input);
    },
  });
  // A diagram left undrawn (no Chromium, a timeout) shows its source: the next build tries again.
  const undrawn = diagrams.stats.diagrams - diagrams.stats.cached - diagrams.stats.drawn;
  if (report.ok && report.files > 0 && undrawn === 0 && !ranCourseCode(report)) {
    storeEntry(request.cacheDir, entryFile, {
      format: FORMAT,
      key,
      root: report.course.root,
      inputs: [...inputs],
      pages: [],
      images: [...report.site.images],
      assets: report.site.assets,
      summaries: report.summaries,
      diagnostics: report.diagnostics,
    }, report.site.pages);
  }
  return { ...report, cache: found.corrupt ? 'corrupt' : 'miss' };
}

/**
 * Whether a deck loaded the course's own plugins or style sheets (`--allow-plugins`): their
 * output depends on code and files in the course's node_modules that are not inputs here, so
 * such a build is never stored, and every build of it runs in full.
 */
function ranCourseCode(report: BuildReport): boolean {
  return report.course.decks.some((d) => d.markdown !== undefined && d.markdown.remarkPlugins.length + d.markdown.rehypePlugins.length + d.markdown.styles.length > 0);
}

/** Everything but the course's files that shapes the output. */
function cacheKey(request: CachedBuildRequest, theme: Theme, policy: ReadPolicy): string {
  const env = request.env ?? process.env;
  return sha256(
    JSON.stringify({
      format: FORMAT,
      labdeck: request.labdeck ?? labdeckFingerprint(),
      node: process.versions.node.split('.')[0],
      theme: { name: theme.name, dir: theme.dir, deck: sha256(theme.deckTemplate), index: sha256(theme.indexTemplate) },
      manifests: request.manifests.map((m) => resolve(m)),
      cwd: process.cwd(),
      lenient: request.lenient === true,
      // What the course may read (--allow-read, --max-file-size).
      policy,
      missingTranslations: request.missingTranslations ?? 'english',
      liveReload: request.liveReload ?? null,
      // The verdicts marked on lab slides (verify reports, the history by default).
      verification: request.verifyReports ? sha256(JSON.stringify(request.verifyReports)) : null,
      overrides: Object.entries(env)
        .filter(([k]) => k.startsWith('OVERRIDE_'))
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    }),
  );
}

let fingerprint: string | undefined;

/**
 * The bytes of labdeck's own files that shape a build, and the version of each package it depends
 * on as installed (an install without labdeck's lock file may get other versions), once per
 * process for the running labdeck.
 */
export function labdeckFingerprint(root = PACKAGE_ROOT): string {
  if (root === PACKAGE_ROOT && fingerprint) return fingerprint;
  const hash = createHash('sha256');
  const add = (rel: string) => {
    const abs = join(root, rel);
    if (!existsSync(abs)) return void hash.update(`${rel}\0-\n`);
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) add(`${rel}/${name}`);
      return;
    }
    hash.update(`${rel}\0`).update(readFileSync(abs)).update('\n');
  };
  for (const rel of ['src', 'themes', 'locales', 'package.json', 'package-lock.json']) add(rel);
  for (const [name, version] of installedVersions(root)) hash.update(`${name}@${version}\n`);
  const digest = hash.digest('hex');
  if (root === PACKAGE_ROOT) fingerprint = digest;
  return digest;
}

/** The version of each dependency in package.json, found where Node would load it from `root`. */
function installedVersions(root: string): [string, string][] {
  let manifest: { dependencies?: Record<string, string> };
  try {
    manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    return [];
  }
  const lookup = createRequire(join(root, 'package.json')).resolve.paths;
  return Object.keys(manifest.dependencies ?? {})
    .sort()
    .map((name) => {
      // package.json itself: some packages' exports (reveal.js) do not let it be resolved by name.
      for (const dir of lookup(name) ?? []) {
        try {
          return [name, (JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')) as { version?: string }).version ?? '?'];
        } catch {
          // not installed in this folder
        }
      }
      return [name, '-'];
    });
}

interface Found {
  entry?: Entry;
  pages: Map<string, string>;
  /** An entry was there and failed a checksum. */
  corrupt: boolean;
}

/** The entry when it is whole and every input is as it was; anything else is a miss. */
function readEntry(dir: string, file: string, key: string, policy: ReadPolicy): Found {
  const miss = (corrupt: boolean): Found => ({ pages: new Map(), corrupt });
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return miss(false);
  }
  const newline = raw.indexOf('\n');
  const body = raw.slice(newline + 1);
  if (newline !== 64 || sha256(body) !== raw.slice(0, 64)) return miss(true);
  let entry: Entry;
  try {
    entry = JSON.parse(body) as Entry;
  } catch {
    return miss(true);
  }
  if (entry.format !== FORMAT || entry.key !== key) return miss(true);
  const images = new ReadArea([entry.root], 'the content root', policy);
  for (const [input, hash] of entry.inputs) if (currentHash(input, images, policy) !== hash) return miss(false);
  const pages = new Map<string, string>();
  for (const [path, hash] of entry.pages) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, 'pages', `${hash}.html`));
    } catch {
      return miss(true);
    }
    if (sha256(bytes) !== hash) return miss(true);
    pages.set(path, bytes.toString('utf8'));
  }
  return { entry, pages, corrupt: false };
}

/**
 * An input as it is now. An image: whether the build would copy it (a regular file inside the
 * content root, links resolved and checked), as it is copied from the course on a hit. A text:
 * decoded as the build decodes it, a regular file (links resolved, never a FIFO or a device)
 * within the size limit; its folder checks are not made again, since a hit serves the pages made
 * from the text as it was then: a file the build refused was recorded as absent, so finding it
 * here is a change, and the build runs (and refuses it again).
 */
function currentHash(input: string, images: ReadArea, policy: ReadPolicy): string | null {
  if (input.startsWith('exists:')) {
    const found = images.file(input.slice('exists:'.length), input);
    return found !== undefined && !isRefusal(found) ? '1' : '0';
  }
  if (input.startsWith('list:')) return sha256(findManifests(input.slice('list:'.length)).join('\n'));
  const bytes = readRegular(realOrResolved(input), policy.maxFileSize);
  if (bytes === undefined || isRefusal(bytes)) return null;
  const decoded = decodeText(bytes);
  return 'text' in decoded ? sha256(decoded.text) : null;
}

/**
 * Pages first (each named by its checksum: equal pages of several entries are one file), then the entry, each
 * through a temporary name and a rename: a concurrent build reads a whole entry or none. A
 * cache that cannot be written only costs time on the next build.
 */
function storeEntry(dir: string, file: string, entry: Entry, pages: ReadonlyMap<string, string>): void {
  try {
    mkdirSync(join(dir, 'pages'), { recursive: true });
    for (const [path, html] of pages) {
      const bytes = Buffer.from(html, 'utf8');
      const hash = sha256(bytes);
      entry.pages.push([path, hash]);
      // Written even when a page of that name exists: it may be the damaged one that made this a miss.
      writeRenamed(join(dir, 'pages', `${hash}.html`), bytes);
    }
    const body = JSON.stringify(entry);
    writeRenamed(file, `${sha256(body)}\n${body}`);
    prune(dir);
  } catch {
    // Not stored: the next build runs in full.
  }
}

function writeRenamed(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** A hit marks its entry as recently used (its modification time). */
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // a read-only cache: fine
  }
}

/**
 * Keeps the KEEP most recently used entries, and the pages they name or written in the last
 * minute (a concurrent build writes its pages before its entry).
 */
function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ f, used: mtime(join(dir, f)) }))
    .sort((a, b) => b.used - a.used);
  for (const { f } of entries.slice(KEEP)) rmSync(join(dir, f), { force: true });
  const named = new Set<string>();
  for (const { f } of entries.slice(0, KEEP)) {
    try {
      const raw = readFileSync(join(dir, f), 'utf8');
      for (const [, hash] of (JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as Entry).pages) named.add(`${hash}.html`);
    } catch {
      // a broken entry names nothing; it is replaced on its next use
    }
  }
  const recent = Date.now() - 60_000;
  for (const page of readdirSync(join(dir, 'pages'))) {
    const path = join(dir, 'pages', page);
    if (!named.has(page) && mtime(path) < recent) rmSync(path, { force: true });
  }
}

const mtime = (path: string): number => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
