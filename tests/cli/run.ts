import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';

export const REPO = join(import.meta.dirname, '../..');
export const BIN = join(REPO, 'bin/labdeck.js');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * `labdeck ARGS` in this process, through `main(argv)`, as a user would type it in `cwd`: the
 * working folder, environment and standard streams are the command's for the call, then
 * restored. Colours are stripped (CI turns them on). Calls run one at a time (vitest runs the
 * tests of a file in sequence); commands that wait for Ctrl-C or read stdin need `spawnCli`.
 */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof process.stdout.write;
  const cwd = process.cwd();
  const env = Object.fromEntries(Object.keys(options.env ?? {}).map((k) => [k, process.env[k]]));
  const [stdoutWrite, stderrWrite] = [process.stdout.write, process.stderr.write];
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  for (const [k, v] of Object.entries(options.env ?? {})) setEnv(k, v);
  if (options.cwd) process.chdir(options.cwd);
  try {
    const status = await main(args);
    return { status, stdout: out.join('').replace(ANSI, ''), stderr: err.join('').replace(ANSI, '') };
  } finally {
    process.chdir(cwd);
    for (const [k, v] of Object.entries(env)) setEnv(k, v);
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
}

function setEnv(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}

/** `node bin/labdeck.js ARGS` as a real process (the compiled CLI): for the few smoke tests. */
export function spawnCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

/** `labdeck …` in this process, from the working folder as it is: exit code and what it printed. */
export async function labdeck(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCli(argv);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
