import { dirname, join, relative, resolve } from 'node:path';
import { courseDiagnostics, findManifests, loadCourse, ParseCache, translationManifests } from '../manifest/index.ts';
import type { DeckAnnotations } from '../model/annotation.ts';
import type { Course } from '../model/course.ts';
import type { Deck } from '../model/deck.ts';
import { hasErrors, type Diagnostic } from '../model/diagnostic.ts';
import { defaultCacheDir, MermaidDiagrams } from '../mermaid/index.ts';
import { buildAnnotations } from '../parity/annotations.ts';
import { launchChromium } from '../shared/browser.ts';
import { deckDiagrams } from '../render/deck.ts';
import { sharedCodeHighlighter, type CodeHighlighter } from '../render/highlight.ts';
import { newRenderSession, type RenderSession } from '../render/markdown.ts';
import { renderSite, type RenderedSite } from '../render/site.ts';
import type { DeckSummary } from '../render/site-index.ts';
import { loadTheme, type Theme } from '../render/theme.ts';
import { writeSiteAtomically } from '../render/write.ts';
import { isRefusal, messagePath, ReadArea, readPolicy, type ReadPolicy, type Refusal } from '../shared/sandbox.ts';
import type { Report } from '../verify/report/read.ts';
import { deckVerification } from '../verify/verdict.ts';

export interface BuildRequest {
  manifests: string[];
  /** Output folder; undefined renders in memory only (lint). */
  outDir?: string;
  lenient?: boolean;
  theme?: Theme;
  highlighter?: CodeHighlighter;
  /** Mermaid diagrams drawn so far (dev rebuilds); by default a new set over the persistent cache. */
  diagrams?: MermaidDiagrams;
  cache?: ParseCache;
  session?: RenderSession;
  /** Annotations to draw; by default computed by translation parity for bilingual decks. */
  annotations?: ReadonlyMap<string, DeckAnnotations>;
  /** Where a translation is missing: show the English slide (default) or leave it out. */
  missingTranslations?: 'english' | 'omit';
  liveReload?: string;
  /** Folders allowed outside the course, file size limit; default: the process's (set by the CLI). */
  policy?: ReadPolicy;
  /**
   * Verification reports (`labdeck verify --json`, merged or from the history): each lab slide is
   * marked with the verdict of the newest report that verified its deck.
   */
  verifyReports?: readonly Report[];
  /** The build's clock (the index says how long ago labs were verified); now by default. */
  now?: Date;
  /** Told of everything the build reads from the course, as it reads it (the persistent cache's inputs). */
  onInput?: (input: BuildInput) => void;
  /** Load the plugins decks list (runs the course's code); default: LABDECK_ALLOW_PLUGINS=1. */
  allowPlugins?: boolean;
  onLoaded?: (course: Course) => void;
  onDeck?: (deck: Deck, slides: number) => void;
}

/**
 * One thing a build read from the course: a file's text (manifests, nested manifests, chapters,
 * includes, parity stamps; undefined when nothing readable was there), or whether an image exists
 * (pages do not depend on an image's bytes: they are copied when the output is written).
 */
export type BuildInput =
  | { kind: 'text'; path: string; text: string | undefined }
  | { kind: 'exists'; path: string; exists: boolean }
  /** The deck manifests of a folder (`findManifests`): where a deck's translations are looked for. */
  | { kind: 'list'; path: string; names: string[] };

export interface BuildTimings {
  highlighterInit: number;
  load: number;
  /** Translation parity for the annotations of bilingual decks. */
  parity: number;
  /** Drawing Mermaid diagrams the cache did not hold (Chromium start included). */
  diagrams: number;
  highlightPrepare: number;
  render: number;
  index: number;
  write: number;
  total: number;
}

export interface BuildReport {
  /** Output written (or, without outDir, would be). False on errors unless lenient. */
  ok: boolean;
  diagnostics: Diagnostic[];
  summaries: DeckSummary[];
  files: number;
  timings: BuildTimings;
  course: Course;
  site: RenderedSite;
  /** What parity asked each built deck to show (English stand-ins, badges, banner, `L` map). */
  annotations: ReadonlyMap<string, DeckAnnotations>;
}

/**
 * The one build orchestrator: manifests → course (manifest) → parity annotations (parity) →
 * pages (render) → output folder. Render and parity never call each other; this floor joins
 * them. Nothing is written when there are errors (unless lenient).
 */
export async function buildSite(request: BuildRequest): Promise<BuildReport> {
  const t0 = performance.now();
  const highlighterPromise = request.highlighter ? Promise.resolve(request.highlighter) : sharedCodeHighlighter();
  const policy = request.policy ?? readPolicy();
  const onInput = request.onInput;
  const onRead = onInput && ((path: string, text: string | undefined) => onInput({ kind: 'text', path, text }));
  // A translated deck built alone still shows the English slides of its missing translations:
  // its translations are loaded beside it (for parity), not built. Which ones they are depends on
  // the manifests beside it: their folder's list is an input too.
  if (onInput && !request.annotations) for (const dir of new Set(request.manifests.map((m) => dirname(resolve(m))))) onInput({ kind: 'list', path: dir, names: findManifests(dir) });
  const companions = request.annotations ? [] : translationManifests(request.manifests, policy, onRead);
  const loaded = await loadCourse([...request.manifests, ...companions], { cache: request.cache ?? new ParseCache(), policy, onRead, ...(request.allowPlugins === undefined ? {} : { allowPlugins: request.allowPlugins }) });
  const load = performance.now() - t0;
  let started = performance.now();
  const highlighter = await highlighterPromise;
  const highlighterInit = performance.now() - started;
  const theme = request.theme ?? loadTheme();
  started = performance.now();
  const parity = request.annotations ? { annotations: request.annotations, diagnostics: [] } : buildAnnotations(loaded, { missing: request.missingTranslations ?? 'english', onRead });
  const course = companions.length > 0 ? builtPart(loaded, companions, parity.annotations) : loaded;
  const parityTime = performance.now() - started;
  const annotations = request.verifyReports ? withVerification(course, parity.annotations, request.verifyReports) : parity.annotations;
  request.onLoaded?.(course);
  started = performance.now();
  const diagrams = request.diagrams ?? new MermaidDiagrams({ launch: launchChromium, cacheDir: defaultCacheDir() });
  await diagrams.prepare(course.decks.flatMap((deck) => deckDiagrams(deck, annotations.get(deck.id))));
  const diagramTime = performance.now() - started;
  // Images: regular files inside the content root, symbolic links resolved and checked.
  const images = new ReadArea([course.root], `the content root ${messagePath(course.root)}/`, policy);
  const exists = new Map<string, boolean | Refusal>();
  const site = await renderSite(course, {
    highlighter,
    diagrams,
    theme,
    lenient: request.lenient,
    annotations,
    liveReload: request.liveReload,
    now: request.now,
    session: request.session ?? newRenderSession(),
    onDeck: request.onDeck,
    assetExists: (rel) => {
      let hit = exists.get(rel);
      if (hit === undefined) {
        const path = join(course.root, rel);
        const found = images.file(path, rel);
        exists.set(rel, (hit = isRefusal(found) ? found : found !== undefined));
        onInput?.({ kind: 'exists', path, exists: hit === true });
      }
      return hit;
    },
  });
  const diagnostics = [...courseDiagnostics(course), ...parity.diagnostics, ...site.diagnostics];
  const ok = request.lenient === true || !hasErrors(diagnostics);
  let files = 0;
  started = performance.now();
  if (ok && request.outDir !== undefined) files = writeSiteAtomically(site, request.outDir, course.root, theme);
  const write = performance.now() - started;
  return {
    ok,
    diagnostics,
    summaries: site.summaries,
    files,
    course,
    site,
    annotations,
    timings: { highlighterInit, load, parity: parityTime, diagrams: diagramTime, ...site.timings, write, total: performance.now() - t0 },
  };
}

/** The parity annotations with each deck's lab verdicts added (verify computes them, render draws them). */
function withVerification(course: Course, annotations: ReadonlyMap<string, DeckAnnotations>, reports: readonly Report[]): Map<string, DeckAnnotations> {
  const out = new Map(annotations);
  for (const deck of course.decks) {
    const verification = deckVerification(deck, course.root, reports);
    if (verification) out.set(deck.id, { ...(out.get(deck.id) ?? { badges: new Map() }), verification });
  }
  return out;
}

/**
 * The decks asked for, without the translations loaded only for parity: their files are those
 * the built decks read, and those their English stand-ins come from (a problem there is a
 * problem on a slide the audience sees); the translations' manifests are left out.
 */
function builtPart(course: Course, companions: readonly string[], annotations: ReadonlyMap<string, DeckAnnotations>): Course {
  const left = new Set(companions.map((m) => relative(course.root, resolve(m)).split('\\').join('/')));
  const decks = course.decks.filter((d) => !left.has(d.manifestPath));
  const read = new Set(decks.flatMap((d) => [...d.files.map((f) => f.path), ...(annotations.get(d.id)?.insertions ?? []).map((i) => i.slide.file)]));
  return {
    ...course,
    decks,
    files: new Map([...course.files].filter(([, f]) => read.has(f.path))),
    diagnostics: course.diagnostics.filter((d) => !left.has(d.position.file)),
  };
}
