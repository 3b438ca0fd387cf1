import { spawn } from 'node:child_process';
import type { CheckOutput, RunCheck } from './grade.ts';

export interface CheckEnvironment {
  /** The learner's kubeconfig (else KUBECONFIG from the environment, else kubectl's default). */
  kubeconfig?: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/** Hidden checks run in `sh -c`, with the learner's environment, killed (process group) on timeout. */
export function shellRunner(options: CheckEnvironment): RunCheck {
  return (command) =>
    new Promise<CheckOutput>((resolvePromise) => {
      const env = { ...(options.env ?? process.env) };
      if (options.kubeconfig) env.KUBECONFIG = options.kubeconfig;
      const child = spawn('sh', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, options.timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        resolvePromise({ exitCode: null, stdout, stderr: e.message, timedOut });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolvePromise({ exitCode: code, stdout, stderr, timedOut });
      });
    });
}
