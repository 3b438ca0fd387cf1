import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

/** Removes every content tree made by `contentTree` and its `-out`/`-site` output siblings (call in `afterAll`). */
export function removeContentTrees(): void {
  for (const dir of made.splice(0)) for (const d of [dir, `${dir}-out`, `${dir}-site`]) rmSync(d, { recursive: true, force: true });
}

/** Writes a throw-away content tree (paths relative to it) and returns its folder. */
export function contentTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'labdeck-test-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
