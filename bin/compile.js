// The CLI runs as JavaScript compiled from src/ by esbuild, one folder per state of the sources:
// node_modules/.cache/labdeck/cli/<fingerprint>/. The fingerprint covers every file under src/
// (path, size, modification time), tsconfig.json, package.json, this file and esbuild's version,
// so after `git pull`, a branch switch or an edit the next start compiles again (≈0.3 s) instead
// of running old code. `npm ci` compiles once through the `prepare` script. Plain JavaScript:
// it must run before anything is compiled.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CACHE = join(ROOT, 'node_modules', '.cache', 'labdeck', 'cli');
const INPUTS = ['tsconfig.json', 'package.json', 'bin/compile.js', 'node_modules/esbuild/package.json'];

/** A hash of the sources' names, sizes and times: cheap enough to compute at every start (≈5 ms). */
export function fingerprint(root = ROOT) {
  const hash = createHash('sha256');
  const add = (path) => {
    const s = statSync(path, { throwIfNoEntry: false });
    hash.update(`${relative(root, path)}\0${s ? `${s.size}\0${s.mtimeMs}` : '-'}\n`);
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else add(path);
    }
  };
  walk(join(root, 'src'));
  for (const input of INPUTS) add(join(root, input));
  return hash.digest('hex').slice(0, 16);
}

/** The compiled entry (exports `main`) for the sources as they are now, compiled when missing. */
export async function compiledMain() {
  const dir = join(CACHE, fingerprint());
  const entry = join(dir, 'main.js');
  if (!statSync(entry, { throwIfNoEntry: false })) await compile(dir);
  return pathToFileURL(entry).href;
}

/**
 * Compiles src/cli/main.ts into `dir`: one file per command's action, loaded on use, npm
 * packages left as imports. Written to a temporary sibling and renamed, so a concurrent start
 * (tests start several at once) sees a whole folder or none.
 */
async function compile(dir) {
  const { build } = await import('esbuild');
  const temporary = `${dir}.${process.pid}.tmp`;
  rmSync(temporary, { recursive: true, force: true });
  await build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outdir: temporary,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
  });
  mkdirSync(dirname(dir), { recursive: true });
  try {
    renameSync(temporary, dir);
  } catch (e) {
    // Another start compiled the same sources first: use theirs.
    rmSync(temporary, { recursive: true, force: true });
    if (!statSync(join(dir, 'main.js'), { throwIfNoEntry: false })) throw e;
  }
  prune(dir);
}

/**
 * Folders of earlier sources go, unless made in the last minute: a process started from one may
 * still be loading its modules (commands load theirs when they start).
 */
function prune(keep) {
  const recent = Date.now() - 60_000;
  for (const name of readdirSync(dirname(keep))) {
    const path = join(dirname(keep), name);
    if (path !== keep && (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) < recent) rmSync(path, { recursive: true, force: true });
  }
}

// `node bin/compile.js` (the `prepare` script of `npm ci`): compile now.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = await compiledMain();
  process.stderr.write(`labdeck: CLI compiled to ${relative(process.cwd(), fileURLToPath(url))}\n`);
}
