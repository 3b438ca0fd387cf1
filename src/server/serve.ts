import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { Access } from './access.ts';
import { crossSiteWriteProblem, hostAllowed, isLoopback, refuse, requestUrl } from './guard.ts';
import { serveStatic } from './serve-static.ts';
import { attachSync, type SyncLimits } from './serve-sync.ts';

export { isLoopback } from './guard.ts';

export interface ServeOptions {
  /** Built site folder. */
  root: string;
  host?: string;
  port?: number;
  /** Drives the screens (`?present&token=`). Generated off loopback when missing. */
  presenterToken?: string;
  /** Opens the pages and follows (`?follow&token=`). Generated off loopback when missing; none on loopback unless given. */
  audienceToken?: string;
  /** Host names the server answers to besides its addresses (behind a proxy, a name in the room's DNS). */
  allowedHosts?: readonly string[];
  /**
   * Tried before the static files (the dev server's event stream and autopilot endpoint). A
   * handler for a method other than GET/HEAD gets only requests from this server's pages or from
   * no browser page (cross-site ones are refused before).
   */
  handlers?: ((req: IncomingMessage, res: ServerResponse) => boolean)[];
  syncLimits?: Partial<SyncLimits>;
}

export interface RunningServer {
  server: Server;
  url: string;
  host: string;
  port: number;
  presenterToken?: string;
  audienceToken?: string;
  followerCount: (deck: string) => number;
  /** Sends a state to a deck's followers; -1 when there is no such deck. */
  publish: (deck: string, message: object) => number;
  sync: ReturnType<typeof attachSync>;
  close: () => Promise<void>;
}

export class ServeError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export const newToken = (): string => randomBytes(12).toString('base64url');

/** Slow or half-open clients must not hold the server: headers within 10 s, a request within 30 s. */
const TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 };

/**
 * Static server of a built site plus the screen-sync relay. Loopback by default; any other
 * address needs tokens (generated when not given): the presenter's drives the screens, the
 * audience's opens the pages and follows. Requests naming another Host are refused (DNS
 * rebinding), and so are cross-site requests that change state.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const open = isLoopback(host);
  const presenterToken = options.presenterToken ?? (open ? undefined : newToken());
  const audienceToken = options.audienceToken ?? (open ? undefined : newToken());
  const server = createServer(TIMEOUTS);
  server.maxConnections = 1000;
  const port = options.port ?? 8080;
  await new Promise<void>((resolvePromise, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        reject(new ServeError(`port ${port} on ${host} is already in use`, `pick another one: --port ${port === 0 ? 8081 : port + 1}`));
      else if (e.code === 'EACCES') reject(new ServeError(`not allowed to listen on port ${port}`, 'use a port above 1024: --port 8080'));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new ServeError(`cannot listen on ${host}: no such address on this machine`, 'use --host 0.0.0.0 for every interface'));
      else reject(e);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
  // Requests are answered once the port is known (port 0 picks one): Host checks and cookies name it.
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const bound = { host, port: actualPort, ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}) };
  const access = new Access({ presenterToken, audienceToken, port: actualPort });
  const sync = attachSync(server, { access, bound, root: options.root, ...(options.syncLimits ? { limits: options.syncLimits } : {}) });
  const isRead = (req: IncomingMessage) => req.method === 'GET' || req.method === 'HEAD';
  server.on('request', (req, res) => {
    if (!hostAllowed(req.headers.host, bound)) return refuse(res, 403, `this server does not answer to the Host "${req.headers.host ?? ''}"`);
    if (!requestUrl(req)) return refuse(res, 400, 'the request names no path on this server');
    if (!isRead(req)) {
      const problem = crossSiteWriteProblem(req);
      if (problem) return refuse(res, 403, problem);
    }
    if (sync.onRequest(req, res)) return;
    for (const handle of options.handlers ?? []) if (handle(req, res)) return;
    if (access.gate(req, res)) return;
    if (serveStatic(options.root, req, res)) return;
    if (isRead(req)) refuse(res, 404, 'not found');
    else refuse(res, 405, 'method not allowed');
  });
  const urlHost = isIP(host) === 6 ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${urlHost}:${actualPort}/`,
    host,
    port: actualPort,
    ...(presenterToken !== undefined ? { presenterToken } : {}),
    ...(audienceToken !== undefined ? { audienceToken } : {}),
    followerCount: sync.followerCount,
    publish: sync.publish,
    sync,
    close: () =>
      new Promise<void>((r) => {
        sync.close();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
