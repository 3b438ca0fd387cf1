import { existsSync, readdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { OUTPUT_MARKER } from '../../render/write.ts';
import { displayPath } from '../../shared/paths.ts';
import { isLoopback, newToken, ServeError, startServer } from '../../server/serve.ts';
import { failer, type SetExit } from '../shared.ts';

export interface ServeFlags { host: string; port: string; token?: string; audienceToken?: string; allowHost?: string[] }

export async function serve(dir: string, opts: ServeFlags, setExit: SetExit): Promise<void> {
  const fail = failer(setExit);
  const root = resolve(dir);
  if (!existsSync(join(root, OUTPUT_MARKER)))
    return fail(`${displayPath(root)} is not a built site (no ${OUTPUT_MARKER})`, `build it first: labdeck build --out ${dir}`);
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`--port must be a number from 0 to 65535, not ${opts.port}`, '--port 8080');
  for (const [flag, token] of [['--token', opts.token], ['--audience-token', opts.audienceToken]] as const) {
    if (token !== undefined && token.length < 8) return fail(`${flag} is too short (8 characters at least)`, `omit ${flag} to get a random one`);
  }
  if (opts.token !== undefined && opts.token === opts.audienceToken) return fail('--token and --audience-token are the same: anyone in the audience could drive the screens', 'give the audience another secret, or omit --audience-token');
  let running;
  try {
    // The presenter always has a token, loopback included: another local user or process cannot drive the screens.
    running = await startServer({ root, host: opts.host, port, presenterToken: opts.token ?? newToken(), ...(opts.audienceToken ? { audienceToken: opts.audienceToken } : {}), ...(opts.allowHost ? { allowedHosts: opts.allowHost } : {}) });
  } catch (e) {
    if (e instanceof ServeError) return fail(e.message, e.hint);
    throw e;
  }
  const token = (t: string | undefined) => (t ? `&token=${encodeURIComponent(t)}` : '');
  const decks = readdirSync(root).filter((f) => f.endsWith('.html') && f !== 'index.html');
  const out = [`serving ${displayPath(root)}/ at ${pc.bold(running.url)}${isLoopback(running.host) ? ' (this machine only)' : pc.yellow(` on ${running.host}: reachable from the network`)}`];
  out.push(`presenter token: ${running.presenterToken} (keep it to yourself)`);
  out.push(running.audienceToken ? `audience token: ${running.audienceToken} (pages and sync need it; the first link sets a cookie, the address bar is then cleaned)` : 'audience: open to anyone who reaches this machine');
  if (running.host === '0.0.0.0' || running.host === '::') {
    const room = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.address));
    if (room.length > 0) out.push(`from the room: ${room.map((a) => `http://${a}:${running.port}/`).join(', ')}`);
  }
  for (const d of decks) {
    out.push(`  ${d}`);
    out.push(`    presenter: ${running.url}${d}?present${token(running.presenterToken)}`);
    out.push(`    audience:  ${running.url}${d}?follow${token(running.audienceToken)}`);
  }
  out.push('press Ctrl-C to stop');
  process.stderr.write(`${out.join('\n')}\n`);
  await new Promise<void>((r) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      r();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
  setExit(0);
}
