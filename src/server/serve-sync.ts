import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export const SYNC_PATH = '/labdeck-sync';

export interface SyncOptions {
  /** When set, every sync connection must carry it as `?token=`; a wrong one is refused with 401. */
  token?: string;
}

/** Constant-time token check: hashing first makes the lengths equal. */
export function tokenMatches(expected: string | undefined, given: string | null): boolean {
  if (expected === undefined) return true;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(given ?? ''));
}

/**
 * The screen-sync relay: per deck, the last state a presenter sent, forwarded to every
 * follower of that deck and replayed to a follower that joins late. Attaches to any HTTP
 * server (`labdeck serve`, and the dev server), on the `/labdeck-sync` upgrade path.
 */
export function attachSync(server: Server, options: SyncOptions = {}) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const last = new Map<string, string>();
  const followers = new Map<string, Set<WebSocket>>();

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== SYNC_PATH) return;
    if (!tokenMatches(options.token, url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const deck = url.searchParams.get('deck') ?? '';
    const role = url.searchParams.get('role') === 'present' ? 'present' : 'follow';
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (role === 'follow') {
        const set = followers.get(deck) ?? new Set();
        followers.set(deck, set.add(ws));
        const state = last.get(deck);
        if (state) ws.send(state);
        ws.on('close', () => set.delete(ws));
        return;
      }
      ws.on('message', (data) => {
        const text = data.toString();
        try {
          if ((JSON.parse(text) as { type?: unknown }).type !== 'state') return;
        } catch {
          return;
        }
        last.set(deck, text);
        for (const f of followers.get(deck) ?? []) if (f.readyState === f.OPEN) f.send(text);
      });
    });
  }

  /** `GET /labdeck-sync/auth?token=`: lets a page tell a refused token from a server that is down. */
  function onRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== `${SYNC_PATH}/auth`) return false;
    res.writeHead(tokenMatches(options.token, url.searchParams.get('token')) ? 204 : 401, { 'Cache-Control': 'no-store' });
    res.end();
    return true;
  }

  /** Sends a state to a deck's followers as if its presenter had (the verification autopilot). */
  function publish(deck: string, message: object): number {
    const text = JSON.stringify(message);
    last.set(deck, text);
    let sent = 0;
    for (const f of followers.get(deck) ?? []) if (f.readyState === f.OPEN) (f.send(text), sent++);
    return sent;
  }

  server.on('upgrade', onUpgrade);
  return {
    onRequest,
    publish,
    followerCount: (deck: string) => followers.get(deck)?.size ?? 0,
    close: () => {
      server.off('upgrade', onUpgrade);
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}
