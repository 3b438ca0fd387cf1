import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { buildSite, type BuildReport } from '../build/site.ts';
import { ParseCache } from '../manifest/index.ts';
import type { Course } from '../model/course.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { sharedCodeHighlighter } from '../render/highlight.ts';
import { newRenderSession } from '../render/markdown.ts';
import { writePagesInPlace } from '../render/write.ts';
import { clearLocaleCache } from '../shared/locale.ts';
import { isInside, LOCALES_DIR, THEMES_DIR } from '../shared/paths.ts';
import { startServer, type RunningServer } from './serve.ts';

export const EVENTS_PATH = '/__labdeck/events';
export const FOLLOW_PATH = '/__labdeck/follow';

export interface DevOptions {
  manifests: string[];
  outDir: string;
  host?: string;
  port?: number;
  lenient?: boolean;
  /** Load the plugins decks list (runs the course's code). */
  allowPlugins?: boolean;
  /** Where build results go (the CLI prints them). */
  onBuild: (event: DevBuildEvent) => void;
}

export interface DevBuildEvent {
  kind: 'initial' | 'rebuild';
  ok: boolean;
  decks: string[];
  ms: number;
  diagnostics: Diagnostic[];
  /** What changed, for rebuilds. */
  changed?: string[];
}

export interface DevServer {
  server: RunningServer;
  /** Rebuilds for these changed files now (the watcher calls it; tests may too). */
  rebuild: (changed: string[]) => Promise<DevBuildEvent>;
  close: () => Promise<void>;
}

/**
 * `labdeck dev`: one full build, then a server of the output folder only (loopback), live reload
 * over server-sent events, screen sync, the verification autopilot endpoint, and rebuilds of only
 * the decks a change touches, reusing parsed files and the highlighter.
 */
export async function startDev(options: DevOptions): Promise<DevServer> {
  const cache = new ParseCache();
  const session = newRenderSession();
  const highlighter = await sharedCodeHighlighter();
  const outDir = resolve(options.outDir);
  const clients = new Set<ServerResponse>();
  const send = (event: string, data: unknown) => {
    for (const res of clients) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const common = { cache, session, highlighter, lenient: options.lenient, liveReload: EVENTS_PATH, ...(options.allowPlugins ? { allowPlugins: true } : {}) };

  let started = performance.now();
  let last: BuildReport = await buildSite({ ...common, manifests: options.manifests, outDir });
  options.onBuild({ kind: 'initial', ok: last.ok, decks: last.summaries.map((s) => s.id), ms: performance.now() - started, diagnostics: last.diagnostics });
  if (!last.ok) throw new DevBuildError(last.diagnostics);

  let server: RunningServer | undefined = undefined;
  const events = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.url !== EVENTS_PATH) return false;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': labdeck dev\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
    return true;
  };
  // The runner's `--follow` posts each slide it enters; followers of that deck go there. The
  // server has already refused a cross-site POST (another site's page cannot drive the screens).
  const follow = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.url !== FOLLOW_PATH || req.method !== 'POST') return false;
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
      if (body.length > 64 * 1024) req.destroy();
    });
    req.on('end', () => {
      try {
        const notice = JSON.parse(body) as { type?: string; deck?: string; slideIndex?: number; slideId?: string };
        if (notice.type !== 'verify-slide' || typeof notice.deck !== 'string' || typeof notice.slideIndex !== 'number') throw new Error('not a verify-slide notice');
        const sent = server!.publish(notice.deck, { type: 'state', state: { indexh: notice.slideIndex, indexv: 0 }, slide: notice.slideId, extra: true });
        if (sent === -1) throw new Error(`no deck ${notice.deck} in this site`);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ followers: sent }));
      } catch (e) {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`${(e as Error).message}\n`);
      }
    });
    return true;
  };
  server = await startServer({ root: outDir, host: options.host ?? '127.0.0.1', port: options.port ?? 8000, handlers: [events, follow] });

  let queue = Promise.resolve<DevBuildEvent | undefined>(undefined);
  const rebuild = (changed: string[]): Promise<DevBuildEvent> => {
    // One rebuild at a time, in order: a change during a rebuild waits for it.
    const next = queue.then(async () => {
      started = performance.now();
      const everything = changed.some((p) => isInside(p, THEMES_DIR) || isInside(p, LOCALES_DIR));
      if (everything) clearLocaleCache();
      const manifests = everything ? options.manifests : affectedManifests(last.course, options.manifests, changed);
      const report = await buildSite({ ...common, manifests, ...(everything ? { outDir } : {}) });
      if (report.ok && !everything) {
        const all = manifests.length === options.manifests.length;
        // The site index lists every deck: rewrite it only when every deck was rebuilt.
        const pages = new Map([...report.site.pages].filter(([p]) => all || p !== 'index.html'));
        writePagesInPlace({ ...report.site, pages }, outDir, report.course.root);
      }
      if (report.ok && manifests.length === options.manifests.length) last = report;
      else if (report.ok) last = { ...last, course: mergeCourse(last.course, report.course) };
      const event: DevBuildEvent = { kind: 'rebuild', ok: report.ok, decks: report.summaries.map((s) => s.id), ms: performance.now() - started, diagnostics: report.diagnostics, changed };
      if (report.ok) send('rebuilt', { pages: everything ? undefined : report.summaries.map((s) => `${s.id}.html`) });
      else send('failed', {});
      options.onBuild(event);
      return event;
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const watcher: FSWatcher = watch([last.course.root, ...options.manifests.map((m) => dirname(resolve(m))), THEMES_DIR, LOCALES_DIR], {
    ignoreInitial: true,
    ignored: (p: string) => isInside(p, outDir) || /(^|[/\\])(\.git|node_modules)([/\\]|$)/.test(p) || /\.tmp$|~$/.test(p),
    awaitWriteFinish: { stabilityThreshold: 40, pollInterval: 10 },
  });
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const onChange = (path: string) => {
    pending.add(resolve(path));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...pending];
      pending = new Set();
      void rebuild(changed).catch((e: Error) => options.onBuild({ kind: 'rebuild', ok: false, decks: [], ms: 0, diagnostics: [{ severity: 'error', code: 'dev/rebuild', message: e.message, position: { file: changed[0] ?? '', line: 1, column: 1 } }], changed }));
    }, 30);
  };
  watcher.on('add', onChange).on('change', onChange).on('unlink', onChange);
  await new Promise<void>((r) => watcher.once('ready', () => r()));

  return {
    server,
    rebuild,
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
      for (const res of clients) res.end();
      await server!.close();
    },
  };
}

export class DevBuildError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super('the initial build failed');
  }
}

/**
 * The manifests to rebuild for changed files: decks that include a changed file or are a changed
 * manifest, plus their translations (parity badges depend on both languages). A file no deck
 * knows (a new chapter, an image, an included YAML file) rebuilds every deck.
 */
export function affectedManifests(course: Course, manifests: readonly string[], changed: readonly string[]): string[] {
  const chosen = new Set<string>();
  for (const path of changed) {
    let known = false;
    for (const [i, deck] of course.decks.entries()) {
      const manifest = manifests.find((m) => resolve(m) === resolve(course.root, deck.manifestPath));
      if (!manifest) continue;
      const files = [deck.manifestPath, ...deck.files.map((f) => f.path)].map((p) => resolve(course.root, p));
      if (files.includes(path)) {
        known = true;
        chosen.add(manifest);
        for (const other of course.decks) {
          if (other !== course.decks[i] && other.meta.group !== undefined && other.meta.group === deck.meta.group) {
            const m = manifests.find((x) => resolve(x) === resolve(course.root, other.manifestPath));
            if (m) chosen.add(m);
          }
        }
      }
    }
    if (!known) return [...manifests];
  }
  return manifests.filter((m) => chosen.has(m));
}

/** The course after a partial rebuild: rebuilt decks replace their old selves. */
function mergeCourse(old: Course, fresh: Course): Course {
  const ids = new Set(fresh.decks.map((d) => d.id));
  const files = new Map(old.files);
  for (const [k, v] of fresh.files) files.set(k, v);
  return { ...old, decks: [...old.decks.filter((d) => !ids.has(d.id)), ...fresh.decks], files };
}
