import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import type { DeckMarkdown, PluginEntry } from '../model/plugins.ts';
import type { Position } from '../model/position.ts';
import type { MarkdownKeys, PluginSpec } from './manifest.ts';

/**
 * The course's own package: the nearest folder at or above `from` with a package.json. Plugins
 * come from its node_modules only, and only when it names them (labdeck's own dependencies do
 * not leak into a course).
 */
export function coursePackage(from: string): { dir: string; dependencies: Set<string> } | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | undefined>;
        const names = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].flatMap((k) => Object.keys(pkg[k] ?? {}));
        return { dir, dependencies: new Set(names) };
      } catch {
        return { dir, dependencies: new Set() };
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Where a package's module entry is: `exports` (import, default), `module`, `main`, index.js. */
function entryOf(packageDir: string): string | undefined {
  let pkg: { exports?: unknown; module?: string; main?: string };
  try {
    pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    return undefined;
  }
  const pick = (e: unknown): string | undefined => {
    if (typeof e === 'string') return e;
    if (Array.isArray(e)) return e.map(pick).find(Boolean);
    if (e && typeof e === 'object') {
      const o = e as Record<string, unknown>;
      if ('.' in o) return pick(o['.']);
      for (const k of ['import', 'node', 'default', 'require']) if (k in o) return pick(o[k]);
    }
    return undefined;
  };
  const rel = pick(pkg.exports) ?? pkg.module ?? pkg.main ?? 'index.js';
  const file = join(packageDir, rel);
  return existsSync(file) && statSync(file).isFile() ? file : existsSync(`${file}.js`) ? `${file}.js` : undefined;
}

/** A package's folder in the course's node_modules, or undefined. */
function packageDir(course: string, name: string): string | undefined {
  const dir = join(course, 'node_modules', ...name.split('/'));
  return existsSync(join(dir, 'package.json')) ? realpathSync(dir) : undefined;
}

export interface PluginLoad {
  markdown: DeckMarkdown;
  diagnostics: Diagnostic[];
}

/** Where a deck's `markdown:`, `plugins:` and `styles:` are written, and the folder each resolves from. */
export interface MarkdownSources {
  /** The deck's own (manifest or front matter), from the manifest's folder. */
  deck: { keys: MarkdownKeys; dir: string };
  /** labdeck.yml's, for each key the deck does not set (a deck's `plugins:` replaces its list). */
  project?: { keys: MarkdownKeys; dir: string };
}

const loaded = new Map<string, Promise<unknown>>();

/**
 * Loads the plugins and style sheets a deck lists. This runs the course's own code: it happens
 * only when `allow` says so (`--allow-plugins`, `LABDECK_ALLOW_PLUGINS=1`), never because the
 * course asks (a contributor's pull request is built in CI with secrets).
 */
export async function loadDeckMarkdown(sources: MarkdownSources, allow: boolean): Promise<PluginLoad> {
  const { deck, project } = sources;
  // Each list from where it is written: the deck's when it has the key, else labdeck.yml's.
  const owner = (key: 'plugins' | 'styles') => (deck.keys[key] === undefined && project?.keys[key] !== undefined ? project : deck);
  const pluginsFrom = owner('plugins');
  const stylesFrom = owner('styles');
  const specs: PluginSpec[] = pluginsFrom.keys.plugins ?? [];
  const styles = stylesFrom.keys.styles ?? [];
  const diagnostics: Diagnostic[] = [];
  const markdown: DeckMarkdown = { parser: deck.keys.markdown ?? project?.keys.markdown ?? 'fast', remarkPlugins: [], rehypePlugins: [], styles: [] };
  if (specs.length === 0 && styles.length === 0) return { markdown, diagnostics };
  const at: Position = specs.length > 0 ? (pluginsFrom.keys.pluginsAt ?? specs[0]!.position) : styles[0]!.position;
  if (!allow) {
    diagnostics.push(
      error(
        'plugin/not-allowed',
        at,
        `this deck loads code from the course (${[...specs.map((s) => s.name), ...styles.map((s) => s.path)].join(', ')}), which labdeck runs only when told to`,
        'review the course and its package.json, then run with --allow-plugins (or LABDECK_ALLOW_PLUGINS=1); see "Authors\' plugins" in the README',
      ),
    );
    return { markdown, diagnostics };
  }
  const course = coursePackage(pluginsFrom.dir);
  for (const spec of specs) {
    const where = course ? relative(process.cwd(), join(course.dir, 'package.json')) || 'package.json' : undefined;
    if (!course || !course.dependencies.has(spec.name)) {
      diagnostics.push(error('plugin/not-a-dependency', spec.position, `\`${spec.name}\` is not a dependency of the course${where ? ` (${where})` : ' (no package.json above the manifest)'}`, `add it: npm install ${spec.name} (in the course's folder)`));
      continue;
    }
    const dir = packageDir(course.dir, spec.name);
    const entry = dir && entryOf(dir);
    if (!entry) {
      diagnostics.push(error('plugin/not-installed', spec.position, `\`${spec.name}\` is not installed in ${join(relative(process.cwd(), course.dir) || '.', 'node_modules')}`, 'run npm install in the course\'s folder'));
      continue;
    }
    try {
      let module = loaded.get(entry);
      if (!module) loaded.set(entry, (module = import(pathToFileURL(entry).href)));
      const plugin = ((await module) as { default?: unknown }).default;
      if (typeof plugin !== 'function') throw new Error('its module has no default export that is a plugin');
      const loadedEntry: PluginEntry = { name: spec.name, kind: spec.kind, plugin, position: spec.position };
      if (spec.options !== undefined) loadedEntry.options = spec.options;
      (spec.kind === 'remark' ? markdown.remarkPlugins : markdown.rehypePlugins).push(loadedEntry);
    } catch (e) {
      diagnostics.push(error('plugin/load', spec.position, `\`${spec.name}\` could not be loaded: ${(e as Error).message.split('\n')[0]}`, 'check the package installs and exports a unified plugin'));
    }
  }
  const styleCourse = stylesFrom.dir === pluginsFrom.dir ? course : coursePackage(stylesFrom.dir);
  for (const style of styles) {
    const [first, ...rest] = style.path.split('/');
    const name = first!.startsWith('@') ? `${first}/${rest.shift()}` : first!;
    const dir = styleCourse && styleCourse.dependencies.has(name) ? packageDir(styleCourse.dir, name) : undefined;
    const file = dir && join(dir, ...rest);
    if (!dir || !file || !file.startsWith(dir + sep) || !existsSync(file)) {
      diagnostics.push(error('plugin/style-missing', style.position, `style sheet \`${style.path}\` not found in the course's node_modules`, `add \`${name}\` to the course's package.json and run npm install`));
      continue;
    }
    markdown.styles.push({ source: file, output: `assets/styles/${style.path}` });
  }
  return { markdown, diagnostics };
}
