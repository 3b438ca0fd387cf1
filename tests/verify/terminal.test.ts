import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Terminal } from '../../src/verify/terminal/terminal.ts';

// The runner's terminal on a real tmux server, in the states a loaded machine produces.
describe('the terminal', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function start(): Promise<{ t: Terminal; dir: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'labdeck-terminal-test-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const t = await Terminal.start({ dir, socket: `labdeck-terminal-test-${process.pid}-${cleanups.length}`, width: 80, height: 24, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TERM: 'tmux-256color' }, cwd: dir });
    cleanups.push(() => t.close());
    return { t, dir };
  }

  /** Runs `command` at the active pane's prompt and returns the marker that ends it and the output. */
  async function run(t: Terminal, command: string) {
    const p = t.pane(t.active);
    const from = p.mark();
    await t.type(t.active, command, true);
    const end = await t.waitFor(() => p.markerSince('DX', from), 10_000);
    return { end, output: p.text(from.offset) };
  }

  /** The panes of the session as tmux lists them: `id index`. */
  const panes = (t: Terminal) => execFileSync('tmux', ['-L', t.socket, 'list-panes', '-s', '-F', '#{pane_id} #{pane_index}'], { encoding: 'utf8' }).trim().split('\n');

  it('survives a shell whose last output and end tmux sees at once: the exit status arrives and a new shell takes the place', async () => {
    // tmux 3.3a, when it reads a pane's last output in the same turn as it reaps the pane's process,
    // drops that output and keeps stale read offsets in the pane: respawning that pane crashed the
    // server on the new shell's first output. A loaded machine makes this happen by chance; stopping
    // the server while the shell writes and ends makes it certain. `exec` ends the shell without its
    // EXIT trap, the one way out that does not wait for the runner (next test).
    const { t, dir } = await start();
    const go = join(dir, 'go');
    const pid = join(dir, 'pid');
    execFileSync('mkfifo', [go, pid]);
    const pane = t.active;
    const p = t.pane(pane);
    const from = p.mark();
    await t.type(pane, `echo $$ > ${pid}; read -r _ < ${go}; echo last words; exec sh -c 'exit 3'`, true);
    const shell = Number(await readFile(pid, 'utf8'));
    const server = Number(execFileSync('tmux', ['-L', t.socket, 'display', '-p', '#{pid}'], { encoding: 'utf8' }));
    process.kill(server, 'SIGSTOP');
    try {
      await writeFile(go, '\n');
      await ended(shell);
    } finally {
      process.kill(server, 'SIGCONT');
    }
    // No exit marker: tmux itself tells (the pane-died hook), with the status.
    const exit = await t.waitFor(() => p.markerSince('X', from), 10_000);
    expect(exit.status).toBe(3);
    const fresh = await t.replace(pane);
    expect(fresh).not.toBe(pane);
    expect(t.active).toBe(fresh);
    expect(panes(t)).toEqual([`${fresh} 0`]);
    const next = await run(t, 'echo still alive');
    expect(next.end).toMatchObject({ kind: 'D', status: 0 });
    expect(next.output).toContain('still alive\n');
    expect(t.closed).toBe(false);
  });

  it('hears an exiting shell out: its last output and exit status arrive, then it ends', async () => {
    const { t } = await start();
    const pane = t.active;
    const p = t.pane(pane);
    const from = p.mark();
    const shell = Number(execFileSync('tmux', ['-L', t.socket, 'display', '-p', '-t', pane, '#{pane_pid}'], { encoding: 'utf8' }));
    await t.type(pane, 'echo last words; exit 3', true);
    const exit = await t.waitFor(() => p.markerSince('X', from), 10_000);
    expect(exit.status).toBe(3);
    expect(p.text(from.offset, exit.offset)).toContain('last words\n');
    // The shell waited for the runner's answer to its exit marker; answered, it ends.
    await ended(shell);
  });

  it('replaces a shell that ^C does not stop, and sees the first prompt of the new one', async () => {
    const { t } = await start();
    const pane = t.active;
    const p = t.pane(pane);
    expect((await run(t, 'echo one')).end.kind).toBe('D');
    const from = p.mark();
    await t.type(pane, `trap '' INT; sleep 600`, true);
    await t.waitFor(() => p.markerSince('S', from), 10_000);
    const fresh = await t.replace(pane);
    expect((await run(t, 'echo two')).end).toMatchObject({ kind: 'D', status: 0 });
    expect(t.pane(fresh).markers.map((m) => m.kind)).toEqual(['D', 'S', 'D']);
  });

  it('learns from tmux of a shell killed without its EXIT trap, with the status a shell would give', async () => {
    const { t } = await start();
    const p = t.pane(t.active);
    const from = p.mark();
    await t.type(t.active, 'echo going; kill -KILL $$', true);
    // No marker comes from the shell: the pane-died hook is the only one to tell.
    expect(await t.waitFor(() => p.markerSince('X', from), 10_000)).toMatchObject({ kind: 'X', status: 128 + 9 });
  });

  it('closes an exited pane as tmux would, and gives the last one a fresh shell in its place', async () => {
    const { t } = await start();
    const first = t.active;
    const { newPane: second } = await t.tmux(['split-window', '-v']);
    expect(t.active).toBe(second);
    for (const pane of [second!, first]) {
      const from = t.pane(pane).mark();
      await t.keys(pane, ['C-d']);
      await t.waitFor(() => t.pane(pane).markerSince('X', from), 10_000);
      await t.closePane(pane);
    }
    expect(t.active).not.toBe(first);
    expect(panes(t)).toEqual([`${t.active} 0`]);
    expect((await run(t, 'echo after')).end).toMatchObject({ kind: 'D', status: 0 });
  });
});

/** Resolves once process `pid`, which is tmux's child and not ours, has ended (or is gone): a pidfd says when (Linux ≥ 5.3). */
function ended(pid: number): Promise<void> {
  const wait = ['import os, select, sys', 'try: select.select([os.pidfd_open(int(sys.argv[1]))], [], [])', 'except ProcessLookupError: pass'].join('\n');
  return new Promise((resolve, reject) => execFile('python3', ['-c', wait, String(pid)], (e) => (e ? reject(e) : resolve())));
}
