import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ServeError, startServer, type RunningServer } from '../../src/server/serve.ts';
import { tokenMatches } from '../../src/server/serve-sync.ts';

const root = mkdtempSync(join(tmpdir(), 'labdeck-serve-'));
mkdirSync(join(root, 'site'));
writeFileSync(join(root, 'site', 'index.html'), '<h1>index</h1>');
writeFileSync(join(root, 'site', 'd.html'), '<h1>deck d</h1>');
writeFileSync(join(root, 'secret.txt'), 'outside');
const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});
const start = async (o: Parameters<typeof startServer>[0]) => {
  const s = await startServer(o);
  servers.push(s);
  return s;
};

/** Opens a sync socket; resolves 'open' or the HTTP status the upgrade got. */
const connect = (url: string) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
    ws.on('error', () => resolve('error'));
  });

describe('labdeck serve', () => {
  it('listens on loopback by default and serves only the site folder', async () => {
    const s = await start({ root: join(root, 'site'), port: 0 });
    expect(s.host).toBe('127.0.0.1');
    expect(s.presenterToken).toBeUndefined();
    expect(s.audienceToken).toBeUndefined();
    expect(await (await fetch(s.url)).text()).toBe('<h1>index</h1>');
    expect((await fetch(`${s.url}..%2Fsecret.txt`)).status).toBe(404);
    expect(await connect(`ws://127.0.0.1:${s.port}/labdeck-sync?deck=d&role=follow`)).toBe('open');
  });

  it('names the port in use and suggests --port', async () => {
    const first = await start({ root: join(root, 'site'), port: 0 });
    const error = await startServer({ root: join(root, 'site'), port: first.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServeError);
    expect((error as ServeError).message).toBe(`port ${first.port} on 127.0.0.1 is already in use`);
    expect((error as ServeError).hint).toBe(`pick another one: --port ${first.port + 1}`);
  });

  it('off loopback, generates a presenter and an audience token, and refuses sync without the right one', async () => {
    const s = await start({ root: join(root, 'site'), host: '0.0.0.0', port: 0 });
    expect(s.presenterToken).toMatch(/^[\w-]{16}$/);
    expect(s.audienceToken).toMatch(/^[\w-]{16}$/);
    expect(s.audienceToken).not.toBe(s.presenterToken);
    const base = `ws://127.0.0.1:${s.port}/labdeck-sync?deck=d&role=present`;
    expect(await connect(`${base}&token=wrong`)).toBe('401');
    expect(await connect(base)).toBe('401');
    expect(await connect(`${base}&token=${s.audienceToken}`)).toBe('401');
    expect(await connect(`${base}&token=${s.presenterToken}`)).toBe('open');
    expect(await connect(`ws://127.0.0.1:${s.port}/labdeck-sync?deck=d&role=follow&token=${s.audienceToken}`)).toBe('open');
    expect((await fetch(`http://127.0.0.1:${s.port}/labdeck-sync/auth?role=present&token=${s.audienceToken}`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${s.port}/labdeck-sync/auth?role=follow&token=${s.audienceToken}`)).status).toBe(204);
    expect((await fetch(`http://127.0.0.1:${s.port}/labdeck-sync/auth?role=present&token=${s.presenterToken}`)).status).toBe(204);
  });

  it('compares tokens whatever their length', () => {
    expect(tokenMatches('abcdefgh', 'abcdefgh')).toBe(true);
    expect(tokenMatches('abcdefgh', 'abc')).toBe(false);
    expect(tokenMatches('abcdefgh', null)).toBe(false);
    expect(tokenMatches(undefined, null)).toBe(true);
  });
});
