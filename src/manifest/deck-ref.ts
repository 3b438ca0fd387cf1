import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DECKS_DIR } from '../shared/paths.ts';
import { findManifests } from './index.ts';

export type DeckRef = { ok: true; manifest: string } | { ok: false; message: string; hint: string };

/**
 * A deck named on the command line: a manifest path, or a deck id (`kubernetes-en`) looked up
 * in content/decks/. An unknown name lists the decks that exist.
 */
export function resolveDeckRef(ref: string, decksDir = DECKS_DIR): DeckRef {
  if (existsSync(ref) && statSync(ref).isFile()) return { ok: true, manifest: resolve(ref) };
  for (const ext of ['.yml', '.yaml']) {
    const candidate = resolve(decksDir, `${ref}${ext}`);
    if (existsSync(candidate)) return { ok: true, manifest: candidate };
  }
  const known = findManifests(resolve(decksDir)).map((m) => basename(m).replace(/\.ya?ml$/, ''));
  return {
    ok: false,
    message: `no deck named ${ref}: neither a manifest file nor ${decksDir}/${ref}.yml`,
    hint: known.length > 0 ? `decks in ${decksDir}/: ${known.join(', ')}` : `create a manifest in ${decksDir}/ or pass the path of one`,
  };
}
