import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';

/**
 * What every request to a labdeck server is checked against before anything is served: the
 * `Host` it names (a web page on another site that rebinds its DNS name to 127.0.0.1 sends its
 * own name), and for what changes state (a WebSocket, a POST), that it comes from a page of this
 * server and not from another site the presenter has open.
 */
export interface Bound {
  /** Address the server listens on (`127.0.0.1`, `0.0.0.0`, `::`, a LAN address). */
  host: string;
  port: number;
  /** Names the server may also be reached by (`--allow-host`, e.g. behind a reverse proxy). */
  allowedHosts?: readonly string[];
}

/**
 * The URL a request asks for, read as a path on this server (origin-form). `new URL('//x', base)`
 * would take `//x` for another host, and throws on `//` or `//%2F`: the request then hung until
 * the server's timeout. Undefined for what is not a path (`*`, absolute-form): the caller answers 400.
 */
export function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return undefined;
  try {
    return new URL(`http://labdeck${target}`);
  } catch {
    return undefined;
  }
}

export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\./.test(host);
const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::';

/** `name:port` or `[v6]:port` → name, port; undefined when it is not a host header. */
function splitHost(header: string): { name: string; port: number | undefined } | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^\s:[\]/@]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (!m) return undefined;
  return { name: m[1]!.toLowerCase().replace(/^\[|\]$/g, ''), port: m[2] === undefined ? undefined : Number(m[2]) };
}

/**
 * Whether a `Host` header names this server: an address it listens on (any address of the machine
 * when it listens on all of them), `localhost` on loopback, the machine's name on all addresses,
 * or a name allowed on the command line; and its port.
 */
export function hostAllowed(header: string | undefined, bound: Bound): boolean {
  if (!header) return false;
  const h = splitHost(header);
  if (!h || (h.port ?? 80) !== bound.port) return false;
  if (bound.allowedHosts?.some((a) => a.toLowerCase() === h.name)) return true;
  const names = new Set([bound.host.toLowerCase()]);
  if (isLoopback(bound.host) || isWildcard(bound.host)) for (const n of ['localhost', '127.0.0.1', '::1']) names.add(n);
  if (names.has(h.name)) return true;
  if (isWildcard(bound.host)) {
    const machine = hostname().toLowerCase();
    return isIP(h.name) !== 0 || h.name === machine || h.name === `${machine}.local`;
  }
  return false;
}

/** Whether a browser request comes from a page of this server: no `Origin` (not a browser page) or ours. */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === `http://${req.headers.host}` || origin === `https://${req.headers.host}`;
}

/**
 * Why a request that changes state is refused, or undefined: it must come from a page of this
 * server (or from no browser page at all: the runner's `--follow`) and carry JSON, which a
 * cross-site form cannot send.
 */
export function crossSiteWriteProblem(req: IncomingMessage): string | undefined {
  if (!sameOrigin(req)) return `cross-site request from ${req.headers.origin}`;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site request (${site})`;
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return 'expected Content-Type: application/json';
  return undefined;
}

/** A plain-text refusal. */
export function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' });
  res.end(`${text}\n`);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };

/** Answers an upgrade request that will not become a WebSocket, and closes its socket. */
export function refuseUpgrade(socket: Duplex, status: number, text = ''): void {
  const body = text ? `${text}\n` : '';
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  // A client that never reads the answer must not keep the socket: it goes once the answer is out, or soon.
  socket.once('finish', () => socket.destroy());
  setTimeout(() => socket.destroy(), 1000).unref();
}
