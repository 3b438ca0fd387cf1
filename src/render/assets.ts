import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// `reveal.js` resolves to dist/reveal.js (its exports map hides package.json).
const REVEAL_DIST = dirname(require.resolve('reveal.js'));
const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));

/** A static file copied into the output: absolute source → path under the output folder. */
export interface AssetCopy {
  from: string;
  to: string;
}

/** The presenting controllers (client/present-*.js), in load order, after the renderer's own. */
export const PRESENT_CLIENT_SCRIPTS = ['present-extra.js', 'present-pacing.js', 'present-sync.js', 'present-search.js', 'present-speaker.js'] as const;

/** Client controllers, in load order (core first: the others register with it). */
export const CLIENT_SCRIPTS = ['core.js', 'toast.js', 'language-switch.js', ...PRESENT_CLIENT_SCRIPTS] as const;
export const DEV_CLIENT_SCRIPTS = ['live-reload.js'] as const;

/** Reveal's own files the pages load: no CDN, everything is in `assets/`. */
export function revealAssets(): AssetCopy[] {
  return ['reveal.js', 'reveal.css', 'reset.css', 'plugin/notes.js'].map((f) => ({ from: `${REVEAL_DIST}/${f}`, to: `assets/reveal/${f}` }));
}

export function clientAssets(): AssetCopy[] {
  return [...CLIENT_SCRIPTS, ...DEV_CLIENT_SCRIPTS].map((f) => ({ from: `${CLIENT_DIR}${f}`, to: `assets/labdeck/${f}` }));
}

/** `<script>` tags of a deck page, relative to `assetsBase`. */
export function scriptTags(assetsBase: string, dev: boolean): string {
  const files = [
    'reveal/reveal.js',
    'reveal/plugin/notes.js',
    ...CLIENT_SCRIPTS.map((f) => `labdeck/${f}`),
    ...(dev ? DEV_CLIENT_SCRIPTS.map((f) => `labdeck/${f}`) : []),
  ];
  return files.map((f) => `<script src="${assetsBase}${f}"></script>`).join('\n');
}
