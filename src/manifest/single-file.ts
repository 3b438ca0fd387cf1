import matter from 'gray-matter';
import type { Diagnostic } from '../model/diagnostic.ts';
import { error } from '../model/diagnostic.ts';
import { MANIFEST_KEYS, readManifest, type ReadManifestResult } from './manifest.ts';

/** Properties remark.js reads at the top of a slide: a block made of these is a first slide, not front matter. */
const SLIDE_PROPERTIES = new Set(['class', 'name', 'layout', 'template', 'count', 'background-image', 'id', 'exclude']);

/**
 * Front matter of a single-file deck (`labdeck build talk.md`), read by gray-matter: a `---` line,
 * YAML, a `---` line. container.training's files also start with `---` (a slide separator) and
 * `key: value` lines (slide properties): a block is front matter only when it is a YAML mapping
 * whose keys are all manifest keys and not all slide properties (`class: title` opens a slide).
 */
export function frontMatter(text: string): { yaml: string; end: number } | undefined {
  if (!/^---[ \t]*\r?\n/.test(text)) return undefined;
  let parsed: matter.GrayMatterFile<string>;
  try {
    // A copy of the text: gray-matter caches by content, and a cached result shares its object.
    parsed = matter(text, {});
  } catch {
    return undefined;
  }
  const data = parsed.data as Record<string, unknown>;
  const keys = Object.keys(data);
  if (keys.length === 0 || !keys.every((k) => MANIFEST_KEYS.has(k))) return undefined;
  if (keys.every((k) => SLIDE_PROPERTIES.has(k))) return undefined;
  // What gray-matter read ends with the closing `---` line; the slides start after it.
  const end = text.length - parsed.content.length;
  const open = text.indexOf('\n') + 1;
  const close = text.lastIndexOf('\n---', end);
  return { yaml: text.slice(open, close === -1 ? end : close + 1), end };
}

export interface SingleFileDeck extends ReadManifestResult {
  /** The file's text with its front matter blanked (lines kept, so positions hold). */
  slides: string;
}

/**
 * A Markdown file given where a manifest is expected: a deck of that one file, its manifest keys
 * (title, lang, exclude, markdown, plugins…) read from its front matter when it has one.
 */
export function singleFileDeck(text: string, path: string, env: Record<string, string | undefined>): SingleFileDeck {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const fm = frontMatter(text);
  const diagnostics: Diagnostic[] = [];
  // The YAML sits where it is in the file (line 2 on), so manifest diagnostics point into it.
  const yaml = fm ? `\n${fm.yaml}` : '';
  if (fm && /^content\s*:/m.test(fm.yaml)) {
    diagnostics.push(error('manifest/front-matter-content', { file: path, line: 1, column: 1 }, 'a single-file deck is its own content: front matter has no `content:`', 'remove `content:`, or write a .yml manifest for a deck of several files'));
  }
  const withContent = `${yaml}${yaml.endsWith('\n') || yaml === '' ? '' : '\n'}${/^title\s*:/m.test(yaml) ? '' : `title: ${JSON.stringify(name.replace(/\.(md|markdown)$/, ''))}\n`}content:\n- ${JSON.stringify(name)}\n`;
  const result = readManifest(withContent, path, env);
  const slides = fm ? text.slice(0, fm.end).replace(/[^\n]/g, ' ') + text.slice(fm.end) : text;
  return {
    ...(result.manifest ? { manifest: result.manifest } : {}),
    // A talk has no variants: no `exclude:` is fine.
    diagnostics: [...diagnostics, ...result.diagnostics.filter((d) => d.code !== 'manifest/no-exclude' && !(d.code === 'manifest/yaml' && /duplicate/i.test(d.message) && diagnostics.length > 0))],
    slides,
  };
}
