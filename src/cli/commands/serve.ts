import { existsSync, readdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { OUTPUT_MARKER } from '../../render/write.ts';
import { displayPath } from '../../shared/paths.ts';
import { isLoopback, ServeError, startServer } from '../../server/serve.ts';
import { failer, type RegisterCommand } from '../shared.ts';

export const registerServe: RegisterCommand = (program, setExit) => {
  program
    .command('serve')
    .description('Present a built site: static server plus screen sync (audience screens follow the presenter)')
    .argument('[dir]', 'built site folder (labdeck build --out)', 'dist')
    .option('--host <address>', 'address to listen on; anything but loopback needs a token', '127.0.0.1')
    .option('-p, --port <port>', 'port', '8080')
    .option('--token <token>', 'secret the presenter and audience pages pass as ?token= (generated off loopback)')
    .action(async (dir: string, opts: { host: string; port: string; token?: string }) => {
      const fail = failer(setExit);
      const root = resolve(dir);
      if (!existsSync(join(root, OUTPUT_MARKER)))
        return fail(`${displayPath(root)} is not a built site (no ${OUTPUT_MARKER})`, `build it first: labdeck build --out ${dir}`);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`--port must be a number from 0 to 65535, not ${opts.port}`, '--port 8080');
      if (opts.token !== undefined && opts.token.length < 8) return fail('--token is too short (8 characters at least)', 'omit --token to get a random one');
      let running;
      try {
        running = await startServer({ root, host: opts.host, port, token: opts.token });
      } catch (e) {
        if (e instanceof ServeError) return fail(e.message, e.hint);
        throw e;
      }
      const q = running.token ? `&token=${encodeURIComponent(running.token)}` : '';
      const decks = readdirSync(root).filter((f) => f.endsWith('.html') && f !== 'index.html');
      const out = [`serving ${displayPath(root)}/ at ${pc.bold(running.url)}${isLoopback(running.host) ? ' (this machine only)' : pc.yellow(` on ${running.host}: reachable from the network`)}`];
      if (running.token) out.push(`token: ${running.token}`);
      if (running.host === '0.0.0.0' || running.host === '::') {
        const room = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.address));
        if (room.length > 0) out.push(`from the room: ${room.map((a) => `http://${a}:${running.port}/`).join(', ')}`);
      }
      for (const d of decks) {
        out.push(`  ${d}`);
        out.push(`    presenter: ${running.url}${d}?present${q}`);
        out.push(`    audience:  ${running.url}${d}?follow${q}`);
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
    });
};
