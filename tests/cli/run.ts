import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * `labdeck …` in this process (src/cli/main.ts), its stdout and stderr captured (colours removed).
 * One at a time: the capture replaces process.stdout/stderr.write while it runs.
 */
export async function labdeck(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(argv);
    return { code, stdout: stdout.replace(ANSI, ''), stderr: stderr.replace(ANSI, '') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
