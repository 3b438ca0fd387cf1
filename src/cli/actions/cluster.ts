import { hintFor, runClusterScript, type ClusterAction } from '../../cluster/index.ts';
import type { SetExit } from '../shared.ts';

/** Runs scripts/cluster/<action>.sh, maps its exit code, and adds what to do next. */
export async function cluster(action: ClusterAction, args: string[], setExit: SetExit): Promise<void> {
  // `labdeck cluster status | head` closes our stdout early: not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  // env prints shell code on stdout for eval: keep progress on stderr only.
  const res = await runClusterScript(action, args, { streamStderr: true, streamStdout: true });
  if (res.code !== 0) {
    const hint = hintFor(res.code);
    if (hint) process.stderr.write(`hint: ${hint}\n`);
  }
  setExit(res.code);
}
