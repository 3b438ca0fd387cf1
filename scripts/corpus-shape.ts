/**
 * The shape of a container.training-style course, measured on its raw text the way markmaker.py
 * walks it (manifests → nested `content` lists → files, `@@INCLUDE[…]` from the parent folder),
 * independently of labdeck's parser: the benchmark prints it for its generated corpus and, when
 * LABDECK_CONTAINER_TRAINING points at a real checkout, for that one, so the two can be compared.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface CourseShape {
  manifests: number;
  /** Per manifest: files it lists, and slides (`---` pieces, before exclusion, generated ones left out). */
  decks: { name: string; files: number; slides: number }[];
  /** Distinct files over all manifests, and how many times they are listed in all. */
  distinctFiles: number;
  fileRefs: number;
  inlineEntries: number;
  bytes: number;
  slides: number;
  /** `--` continuations, `???` notes. */
  steps: number;
  notes: number;
  extraDetails: number;
  /** Slides with a class some manifest excludes (`in-person`, `self-paced`). */
  excludable: number;
  labBoxes: number;
  fences: number;
  fenceLines: number;
  fencesByLang: Record<string, number>;
  /** Hidden automation comments (`<!-- ```wait …``` -->`). */
  hiddenDirectives: number;
  includes: number;
  /** Image references (Markdown and `<img>`), local ones, distinct local files and their bytes. */
  images: number;
  localImages: number;
  distinctImages: number;
  imageBytes: number;
  /** Distinct local images per deck (what a page would fetch if it loaded every image). */
  imagesPerDeck: number[];
}

interface Walk {
  files: Map<string, string>;
  refs: number;
  inline: number;
}

/** Files of one `content` tree, in order (strings with a newline are inline Markdown). */
function walkContent(node: unknown, base: string, walk: Walk, out: string[]): void {
  if (Array.isArray(node)) {
    for (const child of node) walkContent(child, base, walk, out);
    return;
  }
  if (typeof node !== 'string') return;
  if (node.includes('\n')) {
    walk.inline++;
    out.push(`inline:${walk.inline}`);
    walk.files.set(`inline:${walk.inline}`, node);
    return;
  }
  const path = resolve(base, node);
  if (!existsSync(path)) return;
  walk.refs++;
  if (!walk.files.has(path)) walk.files.set(path, readFileSync(path, 'utf8'));
  out.push(path);
}

const IMAGE = /!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]*\ssrc=["']([^"']+)["']/g;

/** Measures a course from its manifests (paths of YAML files). */
export function measureCourse(manifests: readonly string[]): CourseShape {
  const walk: Walk = { files: new Map(), refs: 0, inline: 0 };
  const perDeck: { name: string; list: string[] }[] = [];
  const excludes = new Set<string>();
  for (const manifest of manifests) {
    const doc = parseYaml(readFileSync(manifest, 'utf8')) as { content?: unknown; exclude?: string[] };
    const list: string[] = [];
    walkContent(doc.content, dirname(manifest), walk, list);
    for (const c of doc.exclude ?? []) excludes.add(c);
    perDeck.push({ name: manifest.replace(/^.*\//, '').replace(/\.ya?ml$/, ''), list });
  }
  const shape: CourseShape = {
    manifests: manifests.length,
    decks: [],
    distinctFiles: [...walk.files.keys()].filter((k) => !k.startsWith('inline:')).length,
    fileRefs: walk.refs,
    inlineEntries: walk.inline,
    bytes: 0,
    slides: 0,
    steps: 0,
    notes: 0,
    extraDetails: 0,
    excludable: 0,
    labBoxes: 0,
    fences: 0,
    fenceLines: 0,
    fencesByLang: {},
    hiddenDirectives: 0,
    includes: 0,
    images: 0,
    localImages: 0,
    distinctImages: 0,
    imageBytes: 0,
    imagesPerDeck: [],
  };
  const slidesOf = new Map<string, number>();
  const imagesOf = new Map<string, Set<string>>();
  const distinctImages = new Map<string, number>();
  for (const [path, text] of walk.files) {
    shape.bytes += Buffer.byteLength(text);
    const pieces = text.split(/\n---\n/);
    slidesOf.set(path, pieces.length);
    shape.slides += pieces.length;
    for (const piece of pieces) {
      const top = piece.replace(/^\s+/, '').split('\n').slice(0, 4).join('\n');
      const cls = /^class:\s*(.*)$/m.exec(top)?.[1] ?? '';
      if (/extra-details/.test(cls)) shape.extraDetails++;
      if ([...excludes].some((c) => cls.split(/[\s,]+/).includes(c))) shape.excludable++;
    }
    shape.steps += (text.match(/^--\s*$/gm) ?? []).length;
    shape.notes += (text.match(/^\?\?\?\s*$/gm) ?? []).length;
    shape.labBoxes += (text.match(/\.(lab|exercise)\[/g) ?? []).length;
    shape.hiddenDirectives += (text.match(/<!--\s*```/g) ?? []).length;
    shape.includes += (text.match(/@@INCLUDE\[/g) ?? []).length;
    for (const m of text.matchAll(/^\s*```(\S*)\s*\n([\s\S]*?)^\s*```\s*$/gm)) {
      shape.fences++;
      shape.fenceLines += m[2]!.split('\n').length - 1;
      const lang = m[1] || '(none)';
      shape.fencesByLang[lang] = (shape.fencesByLang[lang] ?? 0) + 1;
    }
    const images = new Set<string>();
    for (const m of text.matchAll(IMAGE)) {
      shape.images++;
      const url = (m[1] ?? m[2])!;
      if (/^([a-z]+:|\/\/)/i.test(url) || path.startsWith('inline:')) continue;
      shape.localImages++;
      const file = [resolve(dirname(path), url), resolve(dirname(path), '..', url)].find((p) => existsSync(p));
      if (!file) continue;
      images.add(file);
      if (!distinctImages.has(file)) distinctImages.set(file, statSync(file).size);
    }
    imagesOf.set(path, images);
  }
  shape.distinctImages = distinctImages.size;
  shape.imageBytes = [...distinctImages.values()].reduce((a, b) => a + b, 0);
  for (const { name, list } of perDeck) {
    shape.decks.push({ name, files: list.filter((f) => !f.startsWith('inline:')).length, slides: list.reduce((n, f) => n + (slidesOf.get(f) ?? 0), 0) });
    shape.imagesPerDeck.push(new Set(list.flatMap((f) => [...(imagesOf.get(f) ?? [])])).size);
  }
  return shape;
}

/** Two shapes side by side (the second optional), one measure a line. */
export function formatShapes(a: CourseShape, aName: string, b?: CourseShape, bName = ''): string {
  const langs = (s: CourseShape) =>
    Object.entries(s.fencesByLang)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 6)
      .map(([l, n]) => `${l} ${Math.round((100 * n) / s.fences)}%`)
      .join(', ');
  const rows: [string, (s: CourseShape) => string][] = [
    ['manifests', (s) => String(s.manifests)],
    ['slides per deck', (s) => s.decks.map((d) => d.slides).sort((x, y) => y - x).join(' ')],
    ['files: distinct / listed / inline', (s) => `${s.distinctFiles} / ${s.fileRefs} / ${s.inlineEntries}`],
    ['distinct slides, MB', (s) => `${s.slides}, ${(s.bytes / 1e6).toFixed(2)}`],
    ['steps `--` / notes `???`', (s) => `${s.steps} / ${s.notes}`],
    ['extra-details / excludable slides', (s) => `${s.extraDetails} / ${s.excludable}`],
    ['lab boxes / hidden directives / includes', (s) => `${s.labBoxes} / ${s.hiddenDirectives} / ${s.includes}`],
    ['fences (lines)', (s) => `${s.fences} (${s.fenceLines})`],
    ['fence languages', langs],
    ['images: refs / local / distinct files, MB', (s) => `${s.images} / ${s.localImages} / ${s.distinctImages}, ${(s.imageBytes / 1e6).toFixed(1)}`],
    ['distinct images per deck', (s) => s.imagesPerDeck.join(' ')],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, f]) => `  ${k.padEnd(width)}  ${aName}: ${f(a)}${b ? `\n  ${''.padEnd(width)}  ${bName}: ${f(b)}` : ''}`).join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const dir = process.argv[2] ?? join(process.env.LABDECK_CONTAINER_TRAINING ?? '.', 'slides');
  const manifests = process.argv.slice(3).length ? process.argv.slice(3) : readdirSync(dir).filter((f) => f.endsWith('.yml')).map((f) => join(dir, f));
  process.stdout.write(`${formatShapes(measureCourse(manifests), dir)}\n`);
}
