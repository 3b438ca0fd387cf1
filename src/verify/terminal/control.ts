import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * A tmux server driven over one control-mode connection (`tmux -C`).
 *
 * Why control mode rather than one `tmux` process per command: a command is a line written to a
 * pipe (≈0.1 ms instead of ≈3 ms per spawn), and tmux streams every byte each pane writes as
 * `%output` notifications, in order. That stream gives the runner scoped waits, exit markers and
 * asciicast recordings without polling `capture-pane`.
 */
export interface ControlEvents {
  /** Decoded text a pane wrote (UTF-8, ANSI kept), with the time it arrived. */
  output(paneId: string, text: string, at: number): void;
  /** tmux notification other than %output, e.g. `%layout-change …`. */
  notification?(line: string): void;
  /** The control client ended (server killed or died). */
  exit?(reason: string): void;
}

export class TmuxCommandError extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
  ) {
    super(output || `tmux command failed: ${command}`);
  }
}

interface Pending {
  command: string;
  resolve(lines: string[]): void;
  reject(e: Error): void;
}

export class TmuxControl {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  private readonly decoders = new Map<string, StringDecoder>();
  private rest: Buffer = Buffer.alloc(0);
  private block: { lines: string[]; mine: boolean } | undefined;
  private exited: string | undefined;
  private firstBlock: { resolve(): void; reject(e: Error): void } | undefined;
  readonly ready: Promise<void>;

  /**
   * Starts a server on its own socket (`-L socket`) with `config` and one session running `shellCommand`.
   * The initial `new-session` answers with a block not flagged as ours; `ready` resolves on it.
   */
  constructor(
    readonly socket: string,
    config: string,
    session: { name: string; width: number; height: number; shellCommand: string; cwd: string },
    private readonly events: ControlEvents,
  ) {
    this.child = spawn(
      'tmux',
      ['-L', socket, '-f', config, '-C', 'new-session', '-s', session.name, '-x', String(session.width), '-y', String(session.height), '-c', session.cwd, session.shellCommand],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let started!: () => void;
    let failed!: (e: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    this.firstBlock = { resolve: started, reject: failed };
    let stderr = '';
    this.child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    this.child.stdout.on('data', (d: Buffer) => this.onData(d));
    this.child.on('error', (e) => this.onExit(e.message));
    this.child.on('close', (code) => this.onExit(stderr.trim() || `tmux control client exited (${code})`));
    this.child.stdin.on('error', () => {});
  }

  get closed(): boolean {
    return this.exited !== undefined;
  }

  /** Runs one tmux command (one line; tmux quoting) and resolves with its output lines. */
  command(command: string): Promise<string[]> {
    if (this.exited !== undefined) return Promise.reject(new TmuxCommandError(command, `tmux server is gone: ${this.exited}`));
    if (command.includes('\n')) throw new Error('tmux control commands are single lines');
    return new Promise((resolve, reject) => {
      this.pending.push({ command, resolve, reject });
      this.child.stdin.write(command + '\n');
    });
  }

  /** Where the server listens; tmux does not remove the socket file when it exits, so `kill` does. */
  socketPath: string | undefined;

  /** Kills the server, waits for the client to go and removes the socket file; safe to call twice. */
  async kill(): Promise<void> {
    if (this.exited === undefined) {
      const gone = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
      this.child.stdin.write('kill-server\n');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      await gone;
      clearTimeout(timer);
    }
    if (this.socketPath) rmSync(this.socketPath, { force: true });
  }

  private onData(chunk: Buffer): void {
    let data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      this.onLine(data.subarray(start, nl));
      start = nl + 1;
    }
    this.rest = Buffer.from(data.subarray(start));
  }

  private onLine(raw: Buffer): void {
    if (this.block) {
      const text = raw.toString('utf8');
      if (/^%(end|error) \d+ \d+ \d+$/.test(text)) {
        const { lines, mine } = this.block;
        this.block = undefined;
        this.settle(text.startsWith('%error'), lines, mine);
      } else this.block.lines.push(text);
      return;
    }
    if (raw.subarray(0, 8).toString('latin1') === '%output ') {
      const space = raw.indexOf(32, 8);
      const pane = raw.subarray(8, space).toString('latin1');
      let decoder = this.decoders.get(pane);
      if (!decoder) this.decoders.set(pane, (decoder = new StringDecoder('utf8')));
      const text = decoder.write(unescapeOutput(raw.subarray(space + 1)));
      if (text) this.events.output(pane, text, Date.now());
      return;
    }
    const text = raw.toString('utf8');
    const begin = /^%begin \d+ \d+ (\d+)$/.exec(text);
    if (begin) this.block = { lines: [], mine: (Number(begin[1]) & 1) === 1 };
    else if (text === '%exit' || text.startsWith('%exit ')) this.onExit(text);
    else this.events.notification?.(text);
  }

  private settle(failed: boolean, lines: string[], mine: boolean): void {
    if (!mine) {
      // The session's own `new-session` command: the server is up (or could not start).
      const first = this.firstBlock;
      this.firstBlock = undefined;
      if (first) failed ? first.reject(new Error(lines.join('\n'))) : first.resolve();
      return;
    }
    const p = this.pending.shift();
    if (!p) return;
    if (failed) p.reject(new TmuxCommandError(p.command, lines.join('\n')));
    else p.resolve(lines);
  }

  private onExit(reason: string): void {
    if (this.exited !== undefined) return;
    this.exited = reason;
    this.firstBlock?.reject(new Error(reason));
    for (const p of this.pending.splice(0)) p.reject(new TmuxCommandError(p.command, `tmux server is gone: ${reason}`));
    this.events.exit?.(reason);
  }
}

/**
 * Calls `died` after each pane death the server announces: its pane-died hook, once it has reaped a
 * pane's process, unlocks `channel` (see tmuxConfig), which the caller has locked, and a second
 * client waits to lock it (control mode has no notification for hooks, and a wait in the control
 * connection would hold up every command behind it). A lock rather than `wait-for -S`: a signal
 * sent while nobody waits is kept, but a second one erases it, so two deaths while the waiter
 * starts again were both lost; an unlock is kept however many come, and `died` runs after each.
 *
 * tmux before 3.6 can miss a pane process's SIGCHLD: it sets SIGCHLD to SIG_DFL while libutempter
 * runs its helper, which it does when a pane's pty closes, and the process may end just then. That
 * pane then stays unreaped, with no status and no hook, until the server's next SIGCHLD; so the
 * server is sent one every second, which makes it reap what it missed (and nothing else).
 * Stops by itself when the server is gone.
 */
export function watchPaneDeaths(socket: string, serverPid: number, channel: string, died: () => void): { stop(): void } {
  let child: ChildProcess | undefined;
  let stopped = false;
  const wait = (): void => {
    if (stopped) return;
    child = spawn('tmux', ['-L', socket, 'wait-for', '-L', channel], { stdio: 'ignore' });
    child.on('error', () => {});
    child.on('exit', (code) => {
      if (stopped || code !== 0) return stop(); // the server is gone (or going)
      died();
      wait();
    });
  };
  const reaper = setInterval(() => {
    try {
      process.kill(serverPid, 'SIGCHLD');
    } catch {
      stop();
    }
  }, 1000).unref();
  const stop = () => {
    stopped = true;
    clearInterval(reaper);
    child?.kill();
  };
  wait();
  return { stop };
}

/** `%output` escapes bytes below 0x20 and the backslash as `\ooo`; everything else is raw. */
export function unescapeOutput(data: Buffer): Buffer {
  if (!data.includes(92)) return data;
  const out = Buffer.allocUnsafe(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 92 && i + 3 < data.length && isOctal(data[i + 1]) && isOctal(data[i + 2]) && isOctal(data[i + 3])) {
      out[n++] = ((data[i + 1]! - 48) << 6) | ((data[i + 2]! - 48) << 3) | (data[i + 3]! - 48);
      i += 3;
    } else out[n++] = c;
  }
  return out.subarray(0, n);
}

const isOctal = (c: number | undefined) => c !== undefined && c >= 48 && c <= 55;

/**
 * Quotes one argument for tmux's command parser. Single quotes are fully literal; an argument
 * containing one goes in double quotes, where `\`, `"` and `$` need escaping.
 */
export function quoteTmux(arg: string): string {
  if (!arg.includes("'")) return `'${arg}'`;
  return `"${arg.replace(/[\\"$]/g, '\\$&')}"`;
}
