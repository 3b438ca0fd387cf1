import { spawn } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../shared/paths.ts';

/** scripts/cluster of the labdeck package, so the CLI works from any cwd. */
export const scriptsDir = path.join(PACKAGE_ROOT, 'scripts', 'cluster');

/** One script per action; `paths` prints the folders and ports the others use. */
export type ClusterAction = 'build' | 'up' | 'down' | 'status' | 'env' | 'paths';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Extra environment (ports, folders); merged over process.env. */
  env?: NodeJS.ProcessEnv;
  /** Stream the script's stderr (progress) to ours as it comes. */
  streamStderr?: boolean;
  /** Stream stdout too (status); otherwise it is only captured. */
  streamStdout?: boolean;
}

/**
 * Runs one cluster script with bash and resolves with its exit code and output.
 * The scripts do the work (they also run from `.ci/run` without Node); this
 * adapter only starts them, so there is one implementation of each step.
 */
export function runClusterScript(action: ClusterAction, args: string[] = [], opts: RunOptions = {}): Promise<RunResult> {
  const script = path.join(scriptsDir, `${action}.sh`);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], {
      env: { ...process.env, ...opts.env },
      // No stdin: the scripts never prompt, and CI has none.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      stdout += s;
      if (opts.streamStdout) process.stdout.write(s);
    });
    child.stderr.on('data', (s: string) => {
      stderr += s;
      if (opts.streamStderr) process.stderr.write(s);
    });
    child.on('error', (e) => reject(new Error(`cannot run ${script} with bash: ${e.message}`)));
    // 'close', not 'exit': wait until both pipes are drained. The scripts
    // detach their daemons from these pipes, so this does not hang on them.
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
