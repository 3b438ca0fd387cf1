/**
 * The fuzzing net of issue 11: random, hostile input to the manifest loader, the include
 * expander, the directive grammar and the HTTP servers. Whatever they get, they answer with
 * diagnostics or statuses — never an exception, never a hang, never a byte of what lies outside.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect as tcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABDECK_VERBS, LEGACY_VERBS } from '../../src/model/directive.ts';
import { courseDiagnostics, loadCourse } from '../../src/manifest/index.ts';
import { parseSource } from '../../src/parse/index.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { unitFromFile } from '../../src/verify/extract.ts';

const SECRET = 'secret-outside-the-course-5b1e';
const top = mkdtempSync(join(tmpdir(), 'labdeck-fuzz-'));
const repo = join(top, 'repo');
afterAll(() => rmSync(top, { recursive: true, force: true }));

// A course in a repository, and beside it a secret the course must never read.
writeFileSync(join(top, 'secret.md'), `## Secret\n\n${SECRET}\n`);
for (const [path, text] of Object.entries({
  '.git/HEAD': 'ref: refs/heads/main\n',
  'content/en/a.md': '## A\n\n```\n@@INCLUDE[k8s/pod.yaml]\n```\n',
  'content/en/b.md': '## B\n\n![pic](images/pic.png)\n',
  'content/more.yml': 'content:\n- en/a.md\n',
  'content/images/pic.png': 'png',
  'k8s/pod.yaml': 'kind: Pod\n',
})) {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), text);
}
symlinkSync(join(top, 'secret.md'), join(repo, 'content/en/link.md'));
symlinkSync(top, join(repo, 'content/up'));

const pathPart = fc.constantFrom('..', '.', '', 'en', 'a.md', 'b.md', 'link.md', 'up', 'secret.md', 'more.yml', 'k8s', 'pod.yaml', '/etc', '/proc/self/environ', top, 'images', '%2e%2e', '\\..', '~');
const randomPath = fc.array(pathPart, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/'));

function noSecret(text: string): void {
  expect(text.includes(SECRET)).toBe(false);
}

describe('manifest loader', () => {
  it('random content entries, roots and include roots: diagnostics with positions, never the secret', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(randomPath, { maxLength: 6 }), fc.option(randomPath), fc.option(randomPath), async (entries, root, includeroot) => {
        const manifest = [
          'title: Fuzz',
          'exclude: []',
          ...(root !== null ? [`root: ${JSON.stringify(root)}`] : ['root: ..']),
          ...(includeroot !== null ? [`includeroot: ${JSON.stringify(includeroot)}`] : []),
          'content:',
          ...entries.map((e) => `- ${JSON.stringify(e)}`),
        ].join('\n');
        mkdirSync(join(repo, 'content/decks'), { recursive: true });
        writeFileSync(join(repo, 'content/decks/fuzz.yml'), `${manifest}\n`);
        const course = await loadCourse([join(repo, 'content/decks/fuzz.yml')], { env: {} });
        for (const d of courseDiagnostics(course)) {
          expect(d.position.line).toBeGreaterThanOrEqual(1);
          expect(d.message.length).toBeGreaterThan(0);
          noSecret(d.message);
        }
        for (const f of course.files.values()) for (const s of f.slides) for (const frag of s.fragments) noSecret(JSON.stringify(frag.tree));
      }),
      { numRuns: 150 },
    );
  });
});

describe('include expander', () => {
  it('random @@INCLUDE paths through the real reader: never the secret, every problem at the include line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(randomPath, { minLength: 1, maxLength: 4 }), fc.boolean(), async (paths, fenced) => {
        const body = paths.map((p) => (fenced ? `\`\`\`\n@@INCLUDE[${p}]\n\`\`\`` : `Text @@INCLUDE[${p}] here.`)).join('\n\n');
        writeFileSync(join(repo, 'content/en/fuzz.md'), `## Fuzz\n\n${body}\n`);
        writeFileSync(join(repo, 'content/decks/inc.yml'), 'title: Inc\nexclude: []\nroot: ..\ncontent:\n- en/fuzz.md\n');
        const course = await loadCourse([join(repo, 'content/decks/inc.yml')], { env: {} });
        const file = course.files.get('en/fuzz.md')!;
        noSecret(JSON.stringify(file.slides.map((s) => s.fragments.map((f) => f.tree))));
        const lines = body.split('\n').length + 2;
        for (const d of file.diagnostics) expect(d.position.line).toBeLessThanOrEqual(lines);
      }),
      { numRuns: 150 },
    );
  });
});

describe('directive grammar', () => {
  const verb = fc.oneof(fc.constantFrom(...LEGACY_VERBS, ...LABDECK_VERBS), fc.string({ maxLength: 8 }));
  const argument = fc.oneof(
    fc.constantFrom('', '/[/', '/(/', '/a+/', '/x/gimsuy', '^C', 'C-c', 'until kubectl get pods', '90s', '2m', 'nonzero', '256', '-1', 'split-pane -v', '[', ']', '```', '-->', '\\'),
    fc.string({ maxLength: 20 }),
  );
  it('random directives, one per line or several per comment: lint-time diagnostics, never an exception', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(verb, argument, fc.boolean()), { minLength: 1, maxLength: 8 }), fc.boolean(), (items, lab) => {
        const comments = items.map(([v, a, multi]) => (multi ? `<!--\n\`\`\`${v}\n${a}\n\`\`\`\n-->` : `<!-- \`\`\`${v} ${a}\`\`\` -->`));
        const text = `## Slide\n\n${lab ? '.lab[\n\n```bash\necho hi\n```\n\n' : ''}${comments.join('\n')}\n${lab ? '\n]\n' : ''}`;
        const file = parseSource(text, { path: 'fuzz.md' });
        const unit = unitFromFile(file, '/tmp');
        const lines = text.split('\n').length;
        for (const d of [...file.diagnostics, ...unit.diagnostics]) {
          expect(d.position.line).toBeGreaterThanOrEqual(1);
          expect(d.position.line).toBeLessThanOrEqual(lines);
        }
        // What reaches the runner is a matcher, and its regex compiles: an invalid one was refused above.
        for (const s of unit.slides)
          for (const step of s.steps)
            for (const e of 'expects' in step ? step.expects : []) {
              expect(['text', 'regex']).toContain(e.kind);
              if (e.kind === 'regex') expect(() => new RegExp(e.source, e.flags)).not.toThrow();
            }
      }),
      { numRuns: 400 },
    );
  });
});

describe('HTTP servers', () => {
  let s: RunningServer;
  const site = join(top, 'site');
  beforeAll(async () => {
    mkdirSync(site);
    writeFileSync(join(site, 'deck.html'), '<h1>deck</h1>');
    writeFileSync(join(site, 'index.html'), '<h1>index</h1>');
    symlinkSync(top, join(site, 'up'));
    s = await startServer({ root: site, port: 0, presenterToken: 'presenter-fuzz-1', audienceToken: 'audience-fuzz-1' });
  });
  afterAll(async () => s?.close());

  /** Raw bytes in, everything the server answered out; the server must close or answer within the test's time. */
  const send = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = tcp(s.port, '127.0.0.1');
      let data = '';
      socket.on('data', (c) => {
        data += c.toString('latin1');
        // An accepted WebSocket stays open: its 101 is the whole answer.
        if (data.startsWith('HTTP/1.1 101')) socket.destroy();
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(data));
      // Not end(): Node's server drops the answer to a client that half-closes first. `Connection: close` ends it.
      socket.write(request);
    });

  const segment = fc.constantFrom('deck.html', 'index.html', 'up', 'secret.md', '..', '%2e%2e', '%2F', '%00', '%ff', '.', '', 'labdeck-sync', 'auth', '__labdeck', 'follow', '\u00e9', '?token=audience-fuzz-1', '?token=x', '#x', ';', '%5c..');
  const path = fc.array(segment, { maxLength: 6 }).map((p) => `/${p.join('/')}`);
  const host = fc.constantFrom('127.0.0.1:PORT', 'localhost:PORT', 'attacker.example:PORT', '127.0.0.1', '127.0.0.1:1', '[::1]:PORT', '', 'a b', '127.0.0.1:PORT:PORT');
  const header = fc.oneof(
    fc.constant(['Upgrade', 'websocket']),
    fc.constant(['Connection', 'Upgrade']),
    fc.constant(['Sec-WebSocket-Version', '13']),
    fc.constant(['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==']),
    fc.constantFrom(['Origin', 'https://attacker.example'], ['Origin', 'http://127.0.0.1:PORT'], ['Origin', 'null']),
    fc.constantFrom(['Cookie', 'labdeck-token-PORT=audience-fuzz-1'], ['Cookie', 'labdeck-token-PORT=presenter-fuzz-1'], ['Cookie', '=;;=%']),
    fc.constantFrom(['Content-Type', 'application/json'], ['Content-Type', 'text/plain'], ['Sec-Fetch-Site', 'cross-site']),
    // No Content-Length or Transfer-Encoding: a server rightly waits for a body it was promised.
    fc.tuple(fc.constantFrom('X-A', 'Range', 'Accept', 'If-None-Match', 'Sec-WebSocket-Protocol'), fc.string({ maxLength: 12 }).map((v) => v.replace(/[\r\n]/g, ''))),
  );

  it('random paths, hosts, headers and upgrade requests: always a status, never a file outside the site', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'DELETE', 'BREW'), path, fc.option(host), fc.array(header, { maxLength: 6 }), async (method, p, h, headers) => {
        const port = String(s.port);
        const lines = [`${method} ${p.replace(/ /g, '%20')} HTTP/1.1`, ...(h !== null ? [`Host: ${h.replace(/PORT/g, port)}`] : []), ...headers.map(([k, v]) => `${k}: ${v!.replace(/PORT/g, port)}`), 'Connection: close'];
        const answer = await send(`${lines.join('\r\n')}\r\n\r\n`);
        expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
        noSecret(answer);
        const status = Number(answer.slice(9, 12));
        // Only a page of this site, asked by its own name with the audience's role, is a 200.
        if (status === 200) expect(answer).toMatch(/<h1>(deck|index)<\/h1>|^HTTP\/1\.1 200 OK[\s\S]*Content-Length: \d+/);
        if (status === 101) expect(p.startsWith('/labdeck-sync')).toBe(true);
      }),
      { numRuns: 300 },
    );
    // And the server still serves.
    expect(await send(`GET /deck.html?token=audience-fuzz-1 HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 303/);
  }, 120_000);
});
