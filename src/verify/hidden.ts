import { spawn } from 'node:child_process';

export interface HiddenResult {
  status: number;
  output: string;
  timedOut: boolean;
}

/**
 * Runs a hidden command (setup, cleanup, `wait until`) outside the terminal, with the same pinned
 * environment as the panes, so the audience never sees it. Output is kept for the report (last 8 KB).
 */
export function runHidden(command: string, env: Record<string, string>, cwd: string, timeoutMs: number, signal?: AbortSignal): Promise<HiddenResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-c', command], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let timedOut = false;
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-8192);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    // Kill the whole process group: a hidden `kubectl wait` must not outlive its step.
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => {
      output += e.message;
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      resolve({ status: code ?? (sig ? 128 + 9 : 1), output, timedOut });
    });
  });
}

/** Runs `command` every `everyMs` until it exits 0; resolves with the last result. */
export async function pollHidden(command: string, env: Record<string, string>, cwd: string, timeoutMs: number, everyMs: number, signal?: AbortSignal): Promise<HiddenResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    const r = await runHidden(command, env, cwd, Math.max(left, 1), signal);
    if (r.status === 0 || signal?.aborted) return r;
    if (r.timedOut || Date.now() + everyMs >= deadline) return { ...r, timedOut: true };
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, everyMs);
      signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}
