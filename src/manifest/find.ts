import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every `*.yml` manifest of a folder (content/decks by default), sorted. */
export function findManifests(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
