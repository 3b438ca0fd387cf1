import { closeSync, constants, createReadStream, fstatSync, openSync, realpathSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { pipeline } from 'node:stream';
import { isInside } from '../shared/paths.ts';
import { requestUrl } from './guard.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

const realOf = (path: string): string | undefined => {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
};

/**
 * Opens a regular file inside `base` (both real paths): never a link leading out of it, never a
 * FIFO or a device (opened without blocking, checked on the descriptor). A folder gives its
 * `index.html`. Undefined when there is no such file.
 */
function openInside(base: string, path: string): { fd: number; size: number; path: string } | undefined {
  let real = realOf(path);
  if (real === undefined || !isInside(real, base)) return undefined;
  for (let tries = 0; tries < 2; tries++) {
    let fd: number;
    try {
      fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      return undefined;
    }
    const stats = fstatSync(fd);
    if (stats.isFile()) return { fd, size: stats.size, path: real };
    closeSync(fd);
    if (!stats.isDirectory()) return undefined;
    real = realOf(join(real, 'index.html'));
    if (real === undefined || !isInside(real, base)) return undefined;
  }
  return undefined;
}

/** Serves regular files under `root`; never a path outside it. Returns false when nothing matched. */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const base = realOf(resolve(root));
  if (base === undefined) return false;
  const url = requestUrl(req);
  if (!url) return false;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return false;
  }
  if (pathname.includes('\0')) return false;
  const lexical = normalize(join(base, pathname));
  if (!isInside(lexical, base)) return false;
  const file = openInside(base, lexical);
  if (!file) return false;
  res.writeHead(200, { 'Content-Type': TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': file.size, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  if (req.method === 'HEAD') {
    closeSync(file.fd);
    res.end();
  } else pipeline(createReadStream('', { fd: file.fd }), res, () => {}); // a client gone away closes the file too
  return true;
}
