import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../shared/paths.ts';

const require = createRequire(import.meta.url);
// `reveal.js` resolves to dist/reveal.js (its exports map hides package.json).
const REVEAL_DIST = dirname(require.resolve('reveal.js'));
const CLIENT_DIR = join(PACKAGE_ROOT, 'src', 'render', 'client');

/** A static file copied into the output: absolute source → path under the output folder. */
export interface AssetCopy {
  from: string;
  to: string;
}

/** The presenting controllers (client/present-*.js), in load order, after the renderer's own. */
export const PRESENT_CLIENT_SCRIPTS = ['present-extra.js', 'present-pacing.js', 'present-sync.js', 'present-search.js', 'present-speaker.js', 'present-verify.js', 'speaker-window.js'] as const;

/** A file the build writes into the output: path under the output folder → content. */
export interface AssetFile {
  to: string;
  data: string;
}

/** Client controllers, in load order (core first: the others register with it). */
export const CLIENT_SCRIPTS = ['core.js', 'toast.js', 'reveal-strings.js', 'language-switch.js', ...PRESENT_CLIENT_SCRIPTS] as const;
export const DEV_CLIENT_SCRIPTS = ['live-reload.js'] as const;

/** The page's one script: Reveal, its notes plugin and the controllers, in load order. */
export const DECK_SCRIPT = 'labdeck/deck.js';

/** Reveal's style sheets the pages load: no CDN, everything is in `assets/`. */
export function revealAssets(): AssetCopy[] {
  return ['reveal.css', 'reset.css'].map((f) => ({ from: `${REVEAL_DIST}/${f}`, to: `assets/reveal/${f}` }));
}

export function clientAssets(): AssetCopy[] {
  return DEV_CLIENT_SCRIPTS.map((f) => ({ from: join(CLIENT_DIR, f), to: `assets/labdeck/${f}` }));
}

let bundle: string | undefined;
/**
 * One file instead of ten: the browser finds it in the page's head and fetches it while the
 * slides are parsed, instead of queueing ten requests behind the images at the end of the body.
 * The sources are classic scripts (each an IIFE): joined in order they run as they did apart.
 */
export function deckScript(): AssetFile {
  bundle ??= [`${REVEAL_DIST}/reveal.js`, `${REVEAL_DIST}/plugin/notes.js`, ...CLIENT_SCRIPTS.map((f) => join(CLIENT_DIR, f))]
    .map((file) => `${readFileSync(file, 'utf8')};\n`)
    .join('');
  return { to: `assets/${DECK_SCRIPT}`, data: bundle };
}

/** `<script>` tags of a deck page, relative to `assetsBase`: deferred, so they go in the head. */
export function scriptTags(assetsBase: string, dev: boolean): string {
  const files = [DECK_SCRIPT, ...(dev ? DEV_CLIENT_SCRIPTS.map((f) => `labdeck/${f}`) : [])];
  return files.map((f) => `<script defer src="${assetsBase}${f}"></script>`).join('\n');
}
