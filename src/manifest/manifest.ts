import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, Scalar } from 'yaml';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { DeckValues, Lang } from '../model/deck.ts';
import type { Position } from '../model/position.ts';
import { noteVerbsOf } from './notes.ts';

/** A content entry as written: a path, inline Markdown, or a nested list (a part when top-level). */
export type ContentNode =
  | { kind: 'path'; path: string; position: Position }
  | { kind: 'inline'; markdown: string; position: Position; firstLine: number; indent: number }
  | { kind: 'list'; items: ContentNode[]; position: Position };

/** markmaker's values (`DeckValues`), then labdeck's keys. */
export interface Manifest extends DeckValues {
  path: string;
  exclude: string[];
  content: ContentNode[];
  lang: Lang;
  /** Content root, relative to the manifest's folder. */
  root: string;
  /** Root of `@@INCLUDE[…]` paths, relative to the content root (container.training: the repository). */
  includeroot: string;
  group?: string;
  variant?: string;
  pacing?: Record<string, number>;
  /** `labdeck verify` replays the deck's console transcripts (docs/VERIFY.md). */
  transcripts?: boolean;
  /** `directives: { notes: [...] }`: verbs written like automation that are notes to the presenter. */
  noteVerbs: string[];
  /** Where each key is written, for problems with its value. */
  keys: Record<string, Position>;
  /** `markdown: remark`: parse the deck with remark-parse (what syntax plugins need); default `fast`. */
  markdown?: 'fast' | 'remark';
  /** `plugins:`: remark and rehype plugins from the course's node_modules (a name, or `[name, options]`). */
  plugins?: PluginSpec[];
  /** `styles:`: style sheets from the course's node_modules the plugins' HTML needs (`katex/dist/katex.min.css`). */
  styles?: { path: string; position: Position }[];
  /** Where `plugins:` is written, for diagnostics about the list as a whole. */
  pluginsAt?: Position;
}

/** One entry of `plugins:` as written. */
export interface PluginSpec {
  name: string;
  kind: 'remark' | 'rehype';
  options?: unknown;
  position: Position;
}

/** container.training's keys, then labdeck's. Anything else is an error: a typo must not pass silently. */
const MARKMAKER_KEYS = ['title', 'chat', 'gitrepo', 'slides', 'zip', 'html', 'slidenumberprefix', 'exclude', 'content'];
const LABDECK_KEYS = ['lang', 'root', 'includeroot', 'group', 'variant', 'pacing', 'transcripts', 'directives', 'markdown', 'plugins', 'styles'];
const KNOWN_KEYS = new Set([...MARKMAKER_KEYS, ...LABDECK_KEYS]);
/** Every key a manifest may hold (single-file decks' front matter: the same, but `content`). */
export const MANIFEST_KEYS: ReadonlySet<string> = KNOWN_KEYS;
const LANGS: readonly Lang[] = ['en', 'fr'];

/** `includeroot:` when a manifest does not say (container.training: the repository above `slides/`). */
export const DEFAULT_INCLUDE_ROOT = '..';

export interface ReadManifestResult {
  manifest?: Manifest;
  diagnostics: Diagnostic[];
}

/**
 * Reads a manifest. `path` is what positions name (relative to the content root when known);
 * `env` gives `OVERRIDE_<key>` values, which replace keys already present, as markmaker does.
 */
export function readManifest(text: string, path: string, env: Record<string, string | undefined> = {}): ReadManifestResult {
  const diagnostics: Diagnostic[] = [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number | undefined): Position => {
    const lp = lines.linePos(offset ?? 0);
    return { file: path, line: lp.line, column: lp.col, offset: offset ?? 0 };
  };
  for (const e of doc.errors) {
    diagnostics.push(error('manifest/yaml', pos(e.pos[0]), `invalid YAML: ${e.message.split('\n')[0]}`, 'fix the YAML syntax (indentation, quotes, a `:` inside an unquoted value)'));
  }
  if (doc.errors.length > 0) return { diagnostics };
  if (!isMap(doc.contents)) {
    diagnostics.push(error('manifest/shape', pos(0), 'a manifest is a YAML mapping (title:, content:, …)', 'start from content/decks/kubernetes-en.yml'));
    return { diagnostics };
  }
  const values: Record<string, YamlNode | null> = {};
  const keyAt: Record<string, Position> = {};
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const at = pos(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    if (!KNOWN_KEYS.has(key)) {
      const hint = key === 'chapters' ? '`chapters:` was renamed `content:` in container.training in 2020' : `known keys: ${[...KNOWN_KEYS].join(', ')}`;
      diagnostics.push(error('manifest/unknown-key', at, `unknown manifest key \`${key}\``, hint));
      continue;
    }
    values[key] = (pair.value as YamlNode | null) ?? null;
    keyAt[key] = at;
  }
  const str = (key: string, fallback = ''): string => {
    const override = env[`OVERRIDE_${key}`];
    if (override !== undefined && key in values) return override;
    const v = values[key];
    if (v === undefined || v === null) return fallback;
    if (isScalar(v)) return v.value === null ? fallback : String(v.value);
    diagnostics.push(error('manifest/type', keyAt[key]!, `\`${key}\` must be a string`, undefined));
    return fallback;
  };

  const exclude: string[] = [];
  const ex = values.exclude;
  if (ex && isSeq(ex)) for (const item of ex.items) if (isScalar(item)) exclude.push(String(item.value));
  if (ex && isScalar(ex) && ex.value) exclude.push(...String(ex.value).split(',').map((s) => s.trim()).filter(Boolean));

  const langText = str('lang', 'en');
  if (!LANGS.includes(langText as Lang)) {
    diagnostics.push(error('manifest/lang', keyAt.lang ?? pos(0), `unsupported language \`${langText}\``, `use one of: ${LANGS.join(', ')}`));
  }

  const content: ContentNode[] = [];
  const c = values.content;
  if (c === undefined) {
    diagnostics.push(error('manifest/no-content', pos(0), 'the manifest has no `content:` list', 'add `content:` with the chapter files of the deck'));
  } else if (c && isSeq(c)) {
    for (const item of c.items) {
      const node = contentNode(item as YamlNode, pos, lines, diagnostics, text);
      if (node) content.push(node);
    }
  } else {
    diagnostics.push(error('manifest/content', keyAt.content!, '`content:` must be a list', undefined));
  }

  let pacing: Record<string, number> | undefined;
  const p = values.pacing;
  if (p && isMap(p)) {
    pacing = {};
    for (const pair of p.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      const v = isScalar(pair.value) ? Number(pair.value.value) : NaN;
      if (!Number.isFinite(v) || v < 0) diagnostics.push(error('manifest/pacing', pos((pair.key as Scalar).range?.[0]), `pacing \`${k}\` must be a number of minutes`, undefined));
      else pacing[k] = v;
    }
  }

  const slides = str('slides');
  const manifest: Manifest = {
    path,
    title: str('title').replace(/\n+$/, ''),
    chat: str('chat'),
    gitrepo: str('gitrepo'),
    slides,
    zip: str('zip', slides ? `${slides.replace(/\/?$/, '/')}slides.zip` : ''),
    html: str('html', `${basename(path).replace(/\.(ya?ml|md|markdown)$/i, '')}.html`),
    slidenumberprefix: str('slidenumberprefix'),
    exclude,
    content,
    lang: (LANGS.includes(langText as Lang) ? langText : 'en') as Lang,
    root: str('root', '.'),
    includeroot: str('includeroot', DEFAULT_INCLUDE_ROOT),
    noteVerbs: values.directives === undefined ? [] : noteVerbsOf(values.directives, (node) => pos(node?.range?.[0] ?? keyAt.directives!.offset), diagnostics),
    keys: keyAt,
  };
  const group = str('group');
  if (group) manifest.group = group;
  const variant = str('variant');
  if (variant) manifest.variant = variant;
  if (pacing) manifest.pacing = pacing;
  const t = values.transcripts;
  if (t !== undefined && t !== null) {
    if (isScalar(t) && typeof t.value === 'boolean') manifest.transcripts = t.value;
    else diagnostics.push(error('manifest/type', keyAt.transcripts!, '`transcripts` must be true or false', 'write `transcripts: true` to let `labdeck verify` replay console transcripts'));
  }
  readMarkdownKeys(values, keyAt, pos, manifest, diagnostics);
  if (exclude.length === 0 && ex === undefined) {
    diagnostics.push(warning('manifest/no-exclude', pos(0), 'no `exclude:` list: every variant slide (in-person, self-paced) will show', 'add `exclude: [self-paced]` or `exclude: [in-person]`'));
  }
  return { manifest, diagnostics };
}

/** How a deck's Markdown is read and rendered, as a manifest, front matter or labdeck.yml writes it. */
export type MarkdownKeys = Pick<Manifest, 'markdown' | 'plugins' | 'styles' | 'pluginsAt'>;

/** `markdown:`, `plugins:` and `styles:` (labdeck.yml may hold them too, for every deck). */
export function readMarkdownKeys(
  values: Record<string, YamlNode | null>,
  keyAt: Record<string, Position>,
  pos: (offset: number | undefined) => Position,
  into: MarkdownKeys,
  diagnostics: Diagnostic[],
): void {
  const md = values.markdown;
  if (md !== undefined && md !== null) {
    const value = isScalar(md) ? String(md.value) : '';
    if (value === 'fast' || value === 'remark') into.markdown = value;
    else diagnostics.push(error('manifest/markdown', keyAt.markdown!, '`markdown:` is `fast` (markdown-it, the default) or `remark` (remark-parse)', 'write `markdown: remark` for decks whose plugins add Markdown syntax (remark-math…)'));
  }
  const list = values.plugins;
  if (list !== undefined && list !== null) {
    into.pluginsAt = keyAt.plugins!;
    into.plugins = [];
    if (!isSeq(list)) diagnostics.push(error('manifest/plugins', keyAt.plugins!, '`plugins:` is a list', 'write `plugins: [remark-math, [rehype-katex, { output: html }]]`'));
    else {
      for (const item of list.items as YamlNode[]) {
        const at = pos(item?.range?.[0]);
        let name: unknown;
        let options: unknown;
        if (isSeq(item) && item.items.length >= 1 && item.items.length <= 2) {
          const js = item.toJSON() as unknown[];
          [name, options] = js;
        } else if (isScalar(item)) name = item.value;
        if (typeof name !== 'string' || !/^(@[\w.-]+\/)?[\w.-]+$/.test(name)) {
          diagnostics.push(error('manifest/plugins', at, 'a plugin is a package name, or `[name, options]`', 'write `- remark-math` or `- [rehype-katex, { output: html }]`'));
          continue;
        }
        const bare = name.replace(/^@[\w.-]+\//, '');
        const kind = bare.startsWith('remark-') ? 'remark' : bare.startsWith('rehype-') ? 'rehype' : undefined;
        if (!kind) {
          diagnostics.push(error('manifest/plugins', at, `\`${name}\` is neither a remark nor a rehype plugin by its name`, 'list packages named remark-* (Markdown trees) or rehype-* (HTML trees)'));
          continue;
        }
        into.plugins.push(options === undefined ? { name, kind, position: at } : { name, kind, options, position: at });
      }
    }
  }
  const styles = values.styles;
  if (styles !== undefined && styles !== null) {
    into.styles = [];
    if (!isSeq(styles)) diagnostics.push(error('manifest/styles', keyAt.styles!, '`styles:` is a list of style sheets in node_modules', 'write `styles: [katex/dist/katex.min.css]`'));
    else {
      for (const item of styles.items as YamlNode[]) {
        const at = pos(item?.range?.[0]);
        const path = isScalar(item) ? String(item.value) : '';
        if (!/^(@[\w.-]+\/)?[\w.-]+\/[^\s]+\.css$/.test(path) || path.split('/').includes('..')) diagnostics.push(error('manifest/styles', at, `\`${path}\` is not a style sheet of a package`, 'write the package name, then the path of the .css file inside it: `katex/dist/katex.min.css`'));
        else into.styles.push({ path, position: at });
      }
    }
  }
}

function indentOfLine(from: number, line: number, lines: LineCounter, text: string): number {
  const start = lines.lineStarts[line - 1] ?? from;
  let i = start;
  while (text[i] === ' ') i++;
  return i - start;
}

function contentNode(item: YamlNode | null, pos: (o: number | undefined) => Position, lines: LineCounter, diagnostics: Diagnostic[], text: string): ContentNode | undefined {
  if (item === null) return undefined;
  const at = pos(item.range?.[0]);
  if (isSeq(item)) {
    const items: ContentNode[] = [];
    for (const child of item.items) {
      const node = contentNode(child as YamlNode, pos, lines, diagnostics, text);
      if (node) items.push(node);
    }
    return { kind: 'list', items, position: at };
  }
  if (isScalar(item) && typeof item.value === 'string') {
    const value = item.value;
    if (value.includes('\n')) {
      const block = item.type === Scalar.BLOCK_LITERAL || item.type === Scalar.BLOCK_FOLDED;
      // Block scalars lose the indentation of their first content line; flow scalars are left as they are.
      const indent = block ? indentOfLine(item.range?.[0] ?? 0, at.line + 1, lines, text) : 0;
      return { kind: 'inline', markdown: value, position: at, firstLine: at.line + (block ? 1 : 0), indent };
    }
    return { kind: 'path', path: value.trim(), position: at };
  }
  diagnostics.push(error('manifest/content-entry', at, 'a `content:` entry must be a file path, inline Markdown or a list', undefined));
  return undefined;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
