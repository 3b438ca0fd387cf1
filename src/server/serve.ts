import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { serveStatic } from './serve-static.ts';
import { attachSync } from './serve-sync.ts';

export interface ServeOptions {
  /** Built site folder. */
  root: string;
  host?: string;
  port?: number;
  /** Required off loopback; generated when missing there. */
  token?: string;
  /** Tried before the static files (the dev server's event stream and autopilot endpoint). */
  handlers?: ((req: IncomingMessage, res: ServerResponse) => boolean)[];
}

export interface RunningServer {
  server: Server;
  url: string;
  host: string;
  port: number;
  token?: string;
  followerCount: (deck: string) => number;
  publish: (deck: string, message: object) => number;
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

export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\./.test(host);

/**
 * Static server of a built site plus the screen-sync relay. Loopback by default; any other
 * address needs a token (one is generated if none is given), and sync connections without
 * it are refused.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? (isLoopback(host) ? undefined : randomBytes(9).toString('base64url'));
  const server = createServer();
  const sync = attachSync(server, { token });
  server.on('request', (req, res) => {
    if (sync.onRequest(req, res)) return;
    for (const handle of options.handlers ?? []) if (handle(req, res)) return;
    if (serveStatic(options.root, req, res)) return;
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  });
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
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = isIP(host) === 6 ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${urlHost}:${actualPort}/`,
    host,
    port: actualPort,
    token,
    followerCount: sync.followerCount,
    publish: sync.publish,
    close: () =>
      new Promise<void>((r) => {
        sync.close();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
