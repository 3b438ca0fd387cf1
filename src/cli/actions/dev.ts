import pc from 'picocolors';
import { DevBuildError, startDev, type DevBuildEvent } from '../../server/dev.ts';
import { ServeError } from '../../server/serve.ts';
import { OutputFolderError } from '../../render/write.ts';
import { countBySeverity, DECKS_DIR, manifestsOrDefault, printDiagnostics, type SetExit } from '../shared.ts';

export interface DevFlags { out: string; port: string; lenient?: boolean }

export async function dev(manifests: string[], opts: DevFlags, setExit: SetExit): Promise<void> {
  const list = manifestsOrDefault(manifests);
  if (list.length === 0) {
    process.stderr.write(`error: no deck manifest found in ${DECKS_DIR}/\n`);
    setExit(1);
    return;
  }
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`error: --port ${opts.port} is not a port number\n`);
    setExit(2);
    return;
  }
  let dev;
  try {
    dev = await startDev({ manifests: list, outDir: opts.out, port, lenient: opts.lenient, onBuild: report });
  } catch (e) {
    if (e instanceof DevBuildError) {
      process.stderr.write(pc.red('initial build failed: fix the errors above (or use --lenient)\n'));
    } else if (e instanceof ServeError || e instanceof OutputFolderError) {
      process.stderr.write(`error: ${e.message}\n${e instanceof ServeError ? `    hint: ${e.hint}\n` : ''}`);
    } else throw e;
    setExit(1);
    return;
  }
  process.stderr.write(`${pc.bold('labdeck dev')} serving ${opts.out}/ at ${pc.cyan(dev.server.url)} — watching for changes, Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void dev.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function report(e: DevBuildEvent): void {
  printDiagnostics(e.diagnostics);
  const what = e.kind === 'initial' ? 'built' : 'rebuilt';
  const line = `${what} ${e.decks.join(', ') || 'nothing'} in ${Math.round(e.ms)} ms (${countBySeverity(e.diagnostics)})`;
  process.stderr.write(`${e.ok ? pc.green(line) : pc.red(`${what} failed: ${countBySeverity(e.diagnostics)}; the served pages stay as they were`)}\n`);
}
