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

/** The probe of the learner's cluster: the API server must answer, through the same kubeconfig as the checks. */
export const CLUSTER_PROBE = 'kubectl version --request-timeout=5s -o json';

/** Why the learner's cluster does not answer (first line of kubectl's error), or undefined when it does. */
export function clusterProblem(run: RunCheck): () => Promise<string | undefined> {
  return async () => {
    const out = await run(CLUSTER_PROBE);
    if (out.exitCode === 0 && !out.timedOut && /"serverVersion"/.test(out.stdout)) return undefined;
    const why = out.stderr.trim().split('\n').find((l) => l.trim() !== '') ?? (out.timedOut ? 'timed out' : `exit ${out.exitCode}`);
    return `\`kubectl version\`: ${why}`;
  };
}
