/**
 * The servers let in only who belongs: probes of issue 11 against `labdeck serve` and `labdeck
 * dev`, each sent as an attacker would, on raw sockets where a browser would hide the request.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect as tcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/server/serve.ts';

const root = mkdtempSync(join(tmpdir(), 'labdeck-serve-sec-'));
const site = join(root, 'site');
mkdirSync(join(site, 'assets'), { recursive: true });
writeFileSync(join(site, 'index.html'), '<h1>index</h1>');
writeFileSync(join(site, 'deck.html'), '<h1>the deck</h1>');
writeFileSync(join(site, 'other.html'), '<h1>another deck</h1>');
writeFileSync(join(site, 'assets/app.js'), 'console.log(1)');
writeFileSync(join(site, 'real.txt'), 'inside');
writeFileSync(join(root, 'secret.txt'), 'outside-secret');
symlinkSync('/etc', join(site, 'etcdir'));
symlinkSync(join(root, 'secret.txt'), join(site, 'secret-link.txt'));
symlinkSync('real.txt', join(site, 'inside-link.txt'));
execFileSync('mkfifo', [join(site, 'pipe.html')]);

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});
const start = async (o: Partial<Parameters<typeof startServer>[0]> = {}) => {
  const s = await startServer({ root: site, port: 0, ...o });
  servers.push(s);
  return s;
};

/** Sends raw bytes, resolves with everything the server answered once it closes the socket. */
function raw(port: number, request: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = tcp(port, '127.0.0.1');
    let data = '';
    socket.on('data', (c) => (data += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
    socket.write(request);
  });
}
const get = (port: number, path: string, headers: Record<string, string> = {}) =>
  raw(port, `GET ${path} HTTP/1.1\r\n${Object.entries({ Host: `127.0.0.1:${port}`, Connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
const upgrade = (port: number, path: string, headers: Record<string, string> = {}) =>
  get(port, path, { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers });

/** Opens a sync socket through the ws client; 'open' or the HTTP status of the refusal. */
const ws = (url: string, headers: Record<string, string> = {}) =>
  new Promise<string>((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
    socket.on('error', () => resolve('error'));
  });

describe('static files: regular files inside the output folder only', () => {
  let s: RunningServer;
  beforeAll(async () => {
    s = await start();
  });

  it('ln -s /etc out/etcdir does not serve /etc/hostname; a link to a file outside is not served either', async () => {
    expect((await get(s.port, '/etcdir/hostname')).status).toBe(404);
    expect((await get(s.port, '/etcdir/passwd')).status).toBe(404);
    const link = await get(s.port, '/secret-link.txt');
    expect([link.status, link.body.includes('outside-secret')]).toEqual([404, false]);
  });

  it('a link that stays inside the folder is served', async () => {
    expect((await get(s.port, '/inside-link.txt')).body).toBe('inside');
  });

  it('a FIFO in the output folder is refused at once instead of blocking the server', async () => {
    expect((await get(s.port, '/pipe.html')).status).toBe(404);
    expect((await get(s.port, '/deck.html')).status).toBe(200);
  });

  it('a path that starts with // is a path of this site, never another host, and is answered at once', async () => {
    // `new URL('//deck.html', base)` reads deck.html as a host (index served), and throws on `//` or `//%2F`
    // (the request then hung until the server's timeout: the fuzz test found it).
    expect(await get(s.port, '//deck.html')).toMatchObject({ status: 200, body: '<h1>the deck</h1>' });
    for (const path of ['//', '//%2F', '//#x/..']) expect(await get(s.port, path), path).toMatchObject({ status: 200, body: '<h1>index</h1>' });
    expect((await get(s.port, '//%5c../etcdir/hostname')).status).toBe(404);
    expect((await upgrade(s.port, '//%2F')).status).toBe(404);
    expect((await raw(s.port, `OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: close\r\n\r\n`)).status).toBe(400);
  });
});

describe('Host and Origin', () => {
  let s: RunningServer;
  beforeAll(async () => {
    s = await start();
  });

  it('answers only to its own Host (a DNS-rebound name gets 403)', async () => {
    expect((await get(s.port, '/deck.html', { Host: `attacker.example:${s.port}` })).status).toBe(403);
    expect((await get(s.port, '/deck.html', { Host: `127.0.0.1:${s.port + 1}` })).status).toBe(403);
    expect((await raw(s.port, 'GET /deck.html HTTP/1.0\r\n\r\n')).status).toBe(403);
    expect((await get(s.port, '/deck.html', { Host: `localhost:${s.port}` })).status).toBe(200);
    expect((await upgrade(s.port, '/labdeck-sync?deck=deck&role=follow', { Host: `attacker.example:${s.port}` })).status).toBe(403);
  });

  it('on all addresses, answers to IP addresses and the machine name, not to other names', async () => {
    const all = await start({ host: '0.0.0.0' });
    expect((await get(all.port, `/deck.html?token=${all.audienceToken}`, { Host: `192.168.1.5:${all.port}` })).status).toBe(303);
    expect((await get(all.port, '/deck.html', { Host: `rebind.attacker.example:${all.port}` })).status).toBe(403);
    const named = await start({ host: '0.0.0.0', allowedHosts: ['slides.example.org'] });
    expect((await get(named.port, `/deck.html?token=${named.audienceToken}`, { Host: `slides.example.org:${named.port}` })).status).toBe(303);
  });

  it('a WebSocket opened by a page of another site is refused (loopback, no token: any page the presenter opens could drive the screens)', async () => {
    const url = `ws://127.0.0.1:${s.port}/labdeck-sync?deck=deck&role=present`;
    expect(await ws(url, { Origin: 'https://attacker.example' })).toBe('403');
    expect(await ws(url, { Origin: `http://127.0.0.1:${s.port}` })).toBe('open');
    expect(await ws(url)).toBe('open');
  });
});

describe('upgrades', () => {
  it('Upgrade requests to other paths get 404 and their sockets are closed (200 used to stay open)', async () => {
    const s = await start({ presenterToken: 'presenter-token-1' });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => upgrade(s.port, `/other-${i}`)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([404]));
    const open = await new Promise<number>((r) => s.server.getConnections((_e, n) => r(n)));
    expect(open).toBe(0);
  });

  it('a sync socket for a deck the site does not have is refused: 1,500 deck names keep no state', async () => {
    const s = await start();
    const answers = await Promise.all(Array.from({ length: 1500 }, (_, i) => upgrade(s.port, `/labdeck-sync?deck=deck-${i}&role=present`)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([404]));
    expect(s.sync.deckCount()).toBe(0);
  });
});

describe('roles: presenter and audience tokens', () => {
  let s: RunningServer;
  const P = 'presenter-token-42';
  const A = 'audience-token-42';
  beforeAll(async () => {
    s = await start({ presenterToken: P, audienceToken: A });
  });

  it('one token no longer does everything: the audience token follows, only the presenter token presents', async () => {
    const sync = (role: string, token: string) => ws(`ws://127.0.0.1:${s.port}/labdeck-sync?deck=deck&role=${role}&token=${token}`);
    expect(await sync('present', A)).toBe('401');
    expect(await sync('follow', A)).toBe('open');
    expect(await sync('present', P)).toBe('open');
    expect(await sync('follow', P)).toBe('open');
    expect(await sync('follow', 'wrong-token')).toBe('401');
  });

  it('static pages need the audience token: the first tokened URL sets a cookie and redirects to the clean address', async () => {
    expect((await get(s.port, '/deck.html')).status).toBe(401);
    expect((await get(s.port, '/assets/app.js')).status).toBe(401);
    expect((await get(s.port, '/deck.html?follow&token=wrong')).status).toBe(401);
    const first = await get(s.port, `/deck.html?follow&chapter=x&token=${A}`);
    expect(first.status).toBe(303);
    expect(first.head).toMatch(/^Location: \/deck\.html\?follow&chapter=x$/m);
    const cookie = /^Set-Cookie: ([^;]+);.*HttpOnly; SameSite=Strict/m.exec(first.head)![1]!;
    expect(cookie).toBe(`labdeck-token-${s.port}=${A}`);
    expect((await get(s.port, '/deck.html?follow', { Cookie: cookie })).body).toBe('<h1>the deck</h1>');
    expect((await get(s.port, '/assets/app.js', { Cookie: cookie })).status).toBe(200);
    // The cookie carries the role to the sync socket too: no token in the page's URL any more.
    expect(await ws(`ws://127.0.0.1:${s.port}/labdeck-sync?deck=deck&role=follow`, { Cookie: cookie })).toBe('open');
    expect(await ws(`ws://127.0.0.1:${s.port}/labdeck-sync?deck=deck&role=present`, { Cookie: cookie })).toBe('401');
  });
});

describe('limits', () => {
  it('connections beyond the limit are refused with 503, and a deck state beyond the limit too', async () => {
    const s = await start({ syncLimits: { maxConnections: 2, maxDecks: 1 } });
    const url = (deck: string) => `ws://127.0.0.1:${s.port}/labdeck-sync?deck=${deck}&role=follow`;
    const held = [new WebSocket(url('deck')), new WebSocket(url('deck'))];
    await Promise.all(held.map((w) => new Promise((r) => w.once('open', r))));
    expect(await ws(url('deck'))).toBe('503');
    held[1]!.close();
    await new Promise((r) => held[1]!.once('close', r));
    await expect.poll(() => s.sync.connectionCount()).toBe(1);
    // One deck in use and a limit of one: another deck's state cannot be made.
    expect(await ws(url('other'))).toBe('503');
    held[0]!.close();
    await new Promise((r) => held[0]!.once('close', r));
  });

  it('idle deck state is pruned', async () => {
    const s = await start({ syncLimits: { idleMs: 60_000 } });
    expect(s.publish('deck', { type: 'state', state: { indexh: 3 } })).toBe(0);
    expect(s.sync.deckCount()).toBe(1);
    s.sync.prune(Date.now() + 30_000);
    expect(s.sync.deckCount()).toBe(1);
    s.sync.prune(Date.now() + 61_000);
    expect(s.sync.deckCount()).toBe(0);
  });
});
