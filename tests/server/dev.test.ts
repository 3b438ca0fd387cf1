import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { findManifests } from '../../src/manifest/index.ts';
import { EVENTS_PATH, FOLLOW_PATH, startDev, type DevBuildEvent, type DevServer } from '../../src/server/dev.ts';

const REPO = join(import.meta.dirname, '../..');
let dir: string;
let dev: DevServer;
const builds: DevBuildEvent[] = [];

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: dev.server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  // A copy of the course: the test edits it.
  dir = mkdtempSync(join(tmpdir(), 'labdeck-dev-'));
  cpSync(join(REPO, 'content'), join(dir, 'content'), { recursive: true });
  const manifests = findManifests(join(dir, 'content/decks')).filter((m) => /kubernetes-(en|fr)\.yml$/.test(m));
  dev = await startDev({ manifests, outDir: join(dir, 'out'), port: 0, onBuild: (e) => builds.push(e) });
}, 60_000);
afterAll(async () => {
  await dev?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('labdeck dev', () => {
  it('serves the built output on loopback, and nothing outside it', async () => {
    expect(dev.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('kubernetes-en.html');
    expect((await get('/kubernetes-en.html')).body).toContain(EVENTS_PATH);
    for (const path of ['/../content/decks/kubernetes-en.yml', '/%2e%2e/content/decks/kubernetes-en.yml', '/..%2f..%2fetc/passwd']) {
      expect((await get(path)).status).toBe(404);
    }
  });

  it('rebuilds only the decks a change touches and tells the open pages to reload', async () => {
    const events: string[] = [];
    // The server greets a new listener once it is registered: the change is made after that.
    let connected!: () => void;
    const listening = new Promise<void>((resolve) => (connected = resolve));
    const done = new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: dev.server.port, path: EVENTS_PATH }, (res) => {
        res.on('data', (c: Buffer) => {
          events.push(c.toString());
          connected();
          if (events.join('').includes('event: rebuilt')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.end();
    });
    await listening;
    const before = builds.length;
    appendFileSync(join(dir, 'content/en/k8s/kubectl-run.md'), '\n---\n\n## Added while presenting\n\n- hello\n');
    await done;
    const rebuilt = builds.slice(before).find((b) => b.kind === 'rebuild')!;
    expect(rebuilt.ok).toBe(true);
    // The English chapter changed: its deck, and the French deck whose parity badges depend on it.
    expect(rebuilt.decks.sort()).toEqual(['kubernetes-en', 'kubernetes-fr']);
    const payload = JSON.parse(/event: rebuilt\ndata: (.*)\n/.exec(events.join(''))![1]!) as { pages: string[] };
    expect(payload.pages.sort()).toEqual(['kubernetes-en.html', 'kubernetes-fr.html']);
    expect(readFileSync(join(dir, 'out/kubernetes-en.html'), 'utf8')).toContain('Added while presenting');
  }, 30_000);

  it('keeps serving the last good pages when a change breaks the build', async () => {
    appendFileSync(join(dir, 'content/en/k8s/kubectl-run.md'), '\n---\n\n## Broken\n\n.lab[\n- never closed\n');
    const event = await dev.rebuild([join(dir, 'content/en/k8s/kubectl-run.md')]);
    expect(event.ok).toBe(false);
    expect(event.diagnostics.map((d) => `${d.code} ${d.position.file}`)).toContain('macro/unbalanced en/k8s/kubectl-run.md');
    const page = await get('/kubernetes-en.html');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Added while presenting');
  }, 30_000);

  it('moves following screens to the slide the verification runner enters (autopilot)', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${dev.server.port}/labdeck-sync?deck=kubernetes-en&role=follow`);
    await new Promise((r) => ws.once('open', r));
    const received = new Promise<string>((r) => ws.once('message', (m) => r(m.toString())));
    const body = JSON.stringify({ type: 'verify-slide', run: 'r1', deck: 'kubernetes-en', slideIndex: 5, slideNumber: 6, slideId: 'en/k8s/kubectl-run.md:3' });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: dev.server.port, path: FOLLOW_PATH, method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(200);
    expect(JSON.parse(await received)).toMatchObject({ type: 'state', state: { indexh: 5 }, slide: 'en/k8s/kubectl-run.md:3' });
    ws.close();
  });

  it('refuses a cross-site POST /__labdeck/follow: another site the presenter has open cannot drive the screens', async () => {
    const body = JSON.stringify({ type: 'verify-slide', run: 'r1', deck: 'kubernetes-en', slideIndex: 1, slideNumber: 2, slideId: 'x' });
    const post = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: dev.server.port, path: FOLLOW_PATH, method: 'POST', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
    // What a form or fetch() on another site sends: its Origin, Sec-Fetch-Site, a simple content type.
    expect(await post({ 'Content-Type': 'text/plain', Origin: 'https://attacker.example', 'Sec-Fetch-Site': 'cross-site' })).toBe(403);
    expect(await post({ 'Content-Type': 'application/json', Origin: 'https://attacker.example' })).toBe(403);
    expect(await post({ 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' })).toBe(403);
    expect(await post({ 'Content-Type': 'text/plain' })).toBe(403);
    expect(await post({ 'Content-Type': 'application/json', Host: `attacker.example:${dev.server.port}` })).toBe(403);
    expect(await post({ 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${dev.server.port}` })).toBe(200);
  });
});
