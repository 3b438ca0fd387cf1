import { accessSync, constants, existsSync, lstatSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import writeFileAtomicModule from 'write-file-atomic';
import { messagePath, realOrResolved, writeTargetInside } from './sandbox.ts';

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

export interface AtomicWriteOptions {
  /**
   * Flush to disk before the rename (default). Off for files rebuilt every few seconds that a
   * crash may lose (dev pages): a reader still never sees half a file.
   */
  durable?: boolean;
  /**
   * Folders the write must land in. write-file-atomic follows symbolic links, so rewriting a
   * content file linked elsewhere would write there: with `within`, a write whose real target is
   * outside these folders is refused (OutsideWriteError) and nothing is written. Without it, a
   * path that is itself a symbolic link is refused: an output named on the command line (a PDF,
   * a report) is never written through a link the course may have put there.
   */
  within?: readonly string[];
}

export class OutsideWriteError extends Error {
  readonly hint: string;
  constructor(readonly path: string, readonly target: string, link = false) {
    super(
      link
        ? `${messagePath(path)} is a symbolic link (to ${messagePath(target)}): not written through it`
        : `${messagePath(path)} leads to ${messagePath(target)}, outside the folders this command may write in: not rewritten`,
    );
    this.hint = link ? 'remove the link, or write somewhere else' : 'repair the file it links to by hand, or replace the link with the file itself';
  }
}

/**
 * labdeck's one way to replace a file: written to a temporary sibling, then renamed over it
 * (write-file-atomic), so a reader never sees half a file. An existing file keeps its mode and
 * owner; on failure the temporary file is removed and the target is left as it was. Folders
 * on the way are created.
 */
export function writeFileAtomic(path: string, data: string | Buffer, options: AtomicWriteOptions = {}): void {
  const abs = resolve(path);
  if (options.within && writeTargetInside(abs, options.within) === undefined) throw new OutsideWriteError(abs, realOrResolved(abs));
  if (!options.within && isLink(abs)) throw new OutsideWriteError(abs, realOrResolved(abs), true);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileAtomicModule.sync(abs, data, { fsync: options.durable !== false });
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
