import { existsSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { Access } from './access.ts';
import { hostAllowed, refuseUpgrade, requestUrl, sameOrigin, type Bound } from './guard.ts';

export { tokenMatches } from './access.ts';

export const SYNC_PATH = '/labdeck-sync';

export interface SyncLimits {
  /** Open sync sockets, all decks together (a room is a few hundred screens). */
  maxConnections: number;
  /** Deck states kept at once. */
  maxDecks: number;
  /** A deck's last state is forgotten after this long with nobody connected to it. */
  idleMs: number;
}

export const DEFAULT_SYNC_LIMITS: SyncLimits = { maxConnections: 500, maxDecks: 200, idleMs: 60 * 60 * 1000 };

export interface SyncOptions {
  access: Access;
  bound: Bound;
  /** The built site: a deck is synced only when `<deck>.html` is there. */
  root: string;
  limits?: Partial<SyncLimits>;
}

interface DeckState {
  /** The presenter's last state (JSON text), replayed to a follower that joins late. */
  last?: string;
  followers: Set<WebSocket>;
  presenters: number;
  /** When the last socket of the deck closed; undefined while one is open. */
  idleSince?: number;
}

const DECK_ID = /^[A-Za-z0-9][\w.-]{0,127}$/;

/**
 * The screen-sync relay: per deck, the last state a presenter sent, forwarded to every follower
 * of that deck and replayed to a follower that joins late. Attaches to the HTTP server of `serve`
 * and `dev` on the `/labdeck-sync` upgrade path; every other upgrade is refused with a status.
 * Presenting needs the presenter's role, following the audience's (`Access`); the Host must name
 * this server and the Origin, when a browser sends one, must be this server's.
 */
export function attachSync(server: Server, options: SyncOptions) {
  const limits = { ...DEFAULT_SYNC_LIMITS, ...options.limits };
  const { access } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const decks = new Map<string, DeckState>();
  const isDeck = (id: string) => DECK_ID.test(id) && existsSync(join(options.root, `${id}.html`));

  /** Forgets decks nobody has been connected to for `idleMs`; then the oldest idle ones over `maxDecks`. */
  function prune(now = Date.now()): void {
    for (const [id, d] of decks) if (d.idleSince !== undefined && now - d.idleSince >= limits.idleMs) decks.delete(id);
    if (decks.size <= limits.maxDecks) return;
    const idle = [...decks].filter(([, d]) => d.idleSince !== undefined).sort((a, b) => a[1].idleSince! - b[1].idleSince!);
    for (const [id] of idle.slice(0, decks.size - limits.maxDecks)) decks.delete(id);
  }
  const sweep = setInterval(() => prune(), Math.min(limits.idleMs, 60_000));
  sweep.unref();

  function stateOf(deck: string): DeckState | undefined {
    let d = decks.get(deck);
    if (!d) {
      prune();
      if (decks.size >= limits.maxDecks) return undefined;
      decks.set(deck, (d = { followers: new Set(), presenters: 0, idleSince: Date.now() }));
    }
    return d;
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!hostAllowed(req.headers.host, options.bound)) return refuseUpgrade(socket, 403, 'unknown Host');
    const url = requestUrl(req);
    if (!url) return refuseUpgrade(socket, 400, 'no path');
    if (url.pathname !== SYNC_PATH) return refuseUpgrade(socket, 404);
    if (!sameOrigin(req)) return refuseUpgrade(socket, 403, 'cross-site WebSocket');
    const role = url.searchParams.get('role') === 'present' ? 'present' : 'follow';
    if (!(role === 'present' ? access.mayPresent(req) : access.mayFollow(req))) return refuseUpgrade(socket, 401);
    const deck = url.searchParams.get('deck') ?? '';
    if (!isDeck(deck)) return refuseUpgrade(socket, 404, 'no such deck');
    if (wss.clients.size >= limits.maxConnections) return refuseUpgrade(socket, 503, 'too many screens connected');
    const state = stateOf(deck);
    if (!state) return refuseUpgrade(socket, 503, 'too many decks in use');
    wss.handleUpgrade(req, socket, head, (ws) => {
      state.idleSince = undefined;
      ws.on('close', () => {
        if (role === 'follow') state.followers.delete(ws);
        else state.presenters--;
        if (state.followers.size === 0 && state.presenters === 0) state.idleSince = Date.now();
      });
      if (role === 'follow') {
        state.followers.add(ws);
        if (state.last) ws.send(state.last);
        return;
      }
      state.presenters++;
      ws.on('message', (data) => {
        const text = data.toString();
        try {
          if ((JSON.parse(text) as { type?: unknown }).type !== 'state') return;
        } catch {
          return;
        }
        state.last = text;
        for (const f of state.followers) if (f.readyState === f.OPEN) f.send(text);
      });
    });
  }

  /** `GET /labdeck-sync/auth?role=`: lets a page tell a refused token from a server that is down. */
  function onRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const url = requestUrl(req);
    if (url?.pathname !== `${SYNC_PATH}/auth`) return false;
    const allowed = url.searchParams.get('role') === 'present' ? access.mayPresent(req) : access.mayFollow(req);
    res.writeHead(allowed ? 204 : 401, { 'Cache-Control': 'no-store' });
    res.end();
    return true;
  }

  /** Sends a state to a deck's followers as if its presenter had (the verification autopilot); -1 for an unknown deck. */
  function publish(deck: string, message: object): number {
    if (!isDeck(deck)) return -1;
    const state = stateOf(deck);
    if (!state) return -1;
    const text = JSON.stringify(message);
    state.last = text;
    let sent = 0;
    for (const f of state.followers) if (f.readyState === f.OPEN) (f.send(text), sent++);
    return sent;
  }

  server.on('upgrade', onUpgrade);
  return {
    onRequest,
    publish,
    prune,
    followerCount: (deck: string) => decks.get(deck)?.followers.size ?? 0,
    /** Decks whose state is kept (tests, limits). */
    deckCount: () => decks.size,
    connectionCount: () => wss.clients.size,
    close: () => {
      clearInterval(sweep);
      server.off('upgrade', onUpgrade);
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}
