import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Why an output path cannot be written, checked before any long work starts; undefined when it can. */
export function unwritableReason(path: string): string | undefined {
  const abs = resolve(path);
  if (existsSync(abs) && statSync(abs).isDirectory()) return `${path} is a folder`;
  let dir = dirname(abs);
  while (!existsSync(dir)) dir = dirname(dir);
  if (!statSync(dir).isDirectory()) return `${dir} is not a folder`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `cannot write in ${dir} (permission denied)`;
  }
  return undefined;
}

/** Writes through a temporary sibling then renames, so a reader never sees half a file. */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const abs = resolve(path);
  mkdirSync(dirname(abs), { recursive: true });
  const tmp = `${abs}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
