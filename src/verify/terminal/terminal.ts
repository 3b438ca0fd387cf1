import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { TmuxControl, TmuxCommandError, quoteTmux, watchPaneDeaths } from './control.ts';
import { EXIT_ACK_KEY, MARKER_PREFIX, PANE_DIED_CHANNEL, RCFILE, launcherScript, tmuxConfig } from './shell.ts';
import { endsInAlternateScreen, renderStream, trimScreen } from './ansi.ts';

export interface Marker {
  /** S: command started (PS0); D: back at the prompt with `status`; X: the shell exited with `status`. */
  kind: 'S' | 'D' | 'X';
  status?: number;
  /** Offset in `PaneStream.raw` where the marker was written. */
  offset: number;
  at: number;
}

/** A point in a pane's history: how much it had written and how many markers it had sent. */
export interface Mark {
  offset: number;
  markers: number;
}

/** Everything one pane wrote, markers lifted out of the stream and kept with their offsets. */
export class PaneStream {
  raw = '';
  readonly markers: Marker[] = [];
  /** When the runner last typed into this pane: what waits are scoped to. */
  lastInput: Mark = { offset: 0, markers: 0 };
  private tail = '';
  private prompts = 0;

  constructor(readonly id: string) {}

  /** Appends a chunk and returns the part of it that is terminal output (markers removed). */
  push(chunk: string, at: number): string {
    let s = this.tail + chunk;
    this.tail = '';
    let out = '';
    for (;;) {
      const i = s.indexOf(MARKER_PREFIX);
      if (i === -1) break;
      const end = s.indexOf('\x07', i);
      if (end === -1) {
        this.tail = s.slice(i);
        s = s.slice(0, i);
        break;
      }
      out += s.slice(0, i);
      this.raw += s.slice(0, i);
      const [kind, status, seq] = s.slice(i + MARKER_PREFIX.length, end).split(';');
      // A prompt drawn again (resize, ^L) repeats its number: not a new completion.
      const redraw = kind === 'D' && Number(seq) <= this.prompts;
      if (kind === 'D') this.prompts = Math.max(this.prompts, Number(seq));
      if ((kind === 'S' || kind === 'D' || kind === 'X') && !redraw)
        this.markers.push({ kind, offset: this.raw.length, at, ...(status !== undefined ? { status: Number(status) } : {}) });
      s = s.slice(end + 1);
    }
    // A marker may be cut between two reads: keep a trailing partial prefix for the next chunk.
    for (let k = Math.min(MARKER_PREFIX.length - 1, s.length); k > 0 && !this.tail; k--) {
      if (MARKER_PREFIX.startsWith(s.slice(-k))) {
        this.tail = s.slice(-k);
        s = s.slice(0, -k);
      }
    }
    out += s;
    this.raw += s;
    return out;
  }

  /** tmux reaped the pane's process and no EXIT marker came (killed, `exec`ed away): record the exit tmux saw. */
  died(status: number, at: number): void {
    if (this.markers[this.markers.length - 1]?.kind !== 'X') this.markers.push({ kind: 'X', status, offset: this.raw.length, at });
  }

  mark(): Mark {
    return { offset: this.raw.length, markers: this.markers.length };
  }

  /**
   * First marker of one of `kinds` sent after `since`. Markers are told apart by their rank, not
   * their offset: a prompt marker can sit at the very offset where the next input starts.
   */
  markerSince(kinds: string, since: Mark): Marker | undefined {
    for (let i = since.markers; i < this.markers.length; i++) if (kinds.includes(this.markers[i]!.kind)) return this.markers[i];
    return undefined;
  }

  text(from: number, to = this.raw.length): string {
    return renderStream(this.raw.slice(from, to));
  }

  get inAlternateScreen(): boolean {
    return endsInAlternateScreen(this.raw);
  }
}

export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${formatMs(ms)}`);
  }
}
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
  }
}
export class TerminalGoneError extends Error {}
export class PaneDeadError extends Error {}

/** tmux names a signal by its number on Linux, by its name (`kill`) where the system has sys_signame. */
function signalNumber(name: string): number {
  return /^\d+$/.test(name) ? Number(name) : (osConstants.signals[`SIG${name.toUpperCase()}` as NodeJS.Signals] ?? 0);
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export interface TerminalOptions {
  /** Private directory of this terminal; files are written under it and nowhere else. */
  dir: string;
  /** tmux socket name (`tmux -L`), unique per run and unit. */
  socket: string;
  width: number;
  height: number;
  /** The whole environment of the shell (see shellEnvironment). */
  env: Record<string, string>;
  cwd: string;
  bash?: string;
  /** Every byte a pane shows, markers removed (for recordings). */
  onOutput?(pane: string, text: string, at: number): void;
}

/**
 * A private tmux server running the pinned shell. Panes are tmux pane ids (`%0`, `%1`…).
 * Input is literal through a tmux buffer; completion and exit status come from the shell markers.
 */
export class Terminal {
  readonly panes = new Map<string, PaneStream>();
  active = '%0';
  private readonly listeners = new Set<() => void>();
  private gone: string | undefined;
  private inputs = 0;
  private deaths: { stop(): void } | undefined;

  private constructor(
    private readonly control: TmuxControl,
    private readonly options: TerminalOptions,
  ) {}

  static async start(o: TerminalOptions): Promise<Terminal> {
    mkdirSync(o.dir, { recursive: true });
    const rc = join(o.dir, 'bashrc');
    const launcher = join(o.dir, 'shell.sh');
    const config = join(o.dir, 'tmux.conf');
    writeFileSync(rc, RCFILE);
    writeFileSync(launcher, launcherScript(o.bash ?? 'bash', rc, o.env));
    chmodSync(launcher, 0o755);
    writeFileSync(config, tmuxConfig(launcher, o.width, o.height));
    let terminal: Terminal | undefined;
    const early: [string, string, number][] = [];
    const control = new TmuxControl(o.socket, config, { name: 'labdeck', width: o.width, height: o.height, shellCommand: launcher, cwd: o.cwd }, {
      output: (pane, text, at) => (terminal ? terminal.onOutput(pane, text, at) : early.push([pane, text, at])),
      exit: (reason) => terminal?.onGone(reason),
    });
    try {
      await control.ready;
    } catch (e) {
      await control.kill();
      throw e;
    }
    terminal = new Terminal(control, o);
    const t = terminal;
    const [server = ''] = await control.command(`display -p '#{pid} #{socket_path}'`);
    const space = server.indexOf(' ');
    control.socketPath = server.slice(space + 1);
    await control.command(`wait-for -L ${PANE_DIED_CHANNEL}`);
    t.deaths = watchPaneDeaths(o.socket, Number(server.slice(0, space)), PANE_DIED_CHANNEL, () => void t.checkDead());
    void t.checkDead(); // a shell that ended before the channel was locked
    for (const [pane, text, at] of early) terminal.onOutput(pane, text, at);
    const [first] = await control.command(`display -p '#{pane_id}'`);
    terminal.active = first ?? '%0';
    try {
      await terminal.ready(terminal.active, 10_000);
    } catch (e) {
      await terminal.close();
      throw e;
    }
    return terminal;
  }

  pane(id: string): PaneStream {
    let p = this.panes.get(id);
    if (!p) this.panes.set(id, (p = new PaneStream(id)));
    return p;
  }

  private onOutput(pane: string, chunk: string, at: number): void {
    const p = this.pane(pane);
    const before = p.markers.length;
    const shown = p.push(chunk, at);
    // A shell that wrote its exit marker waits for this key to end (see RCFILE). A dead pane ignores keys.
    if (p.markerSince('X', { offset: 0, markers: before })) this.control.command(`send-keys -t ${quoteTmux(pane)} ${EXIT_ACK_KEY}`).catch(() => {});
    if (shown) this.options.onOutput?.(pane, shown, at);
    for (const l of [...this.listeners]) l();
  }

  private onGone(reason: string): void {
    this.gone = reason;
    this.deaths?.stop();
    for (const l of [...this.listeners]) l();
  }

  get closed(): boolean {
    return this.gone !== undefined;
  }

  /** Waits for the first prompt of a new pane's shell. */
  async ready(pane: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await this.waitFor(() => (this.pane(pane).markerSince('DX', { offset: 0, markers: 0 }) ? true : undefined), timeoutMs, signal);
    const m = this.pane(pane).markerSince('DX', { offset: 0, markers: 0 })!;
    if (m.kind === 'X') throw new Error(`the shell of pane ${pane} exited at start (status ${m.status})`);
  }

  /** Input to a dead pane crashes tmux 3.3a: refuse it. */
  private async alive(pane: string): Promise<void> {
    const [dead] = await this.control.command(`display -p -t ${quoteTmux(pane)} '#{pane_dead}'`);
    if (dead === '1') throw new PaneDeadError(`the shell in pane ${pane} has exited; nothing can be typed there`);
  }

  /** Types `text` literally (load-buffer + paste-buffer), then Enter when asked. */
  async type(pane: string, text: string, enter: boolean): Promise<void> {
    await this.alive(pane);
    const p = this.pane(pane);
    p.lastInput = p.mark();
    const file = join(this.options.dir, `input-${this.inputs++ % 2}`);
    writeFileSync(file, text);
    const target = quoteTmux(pane);
    const steps = [];
    if (text) steps.push(this.control.command(`load-buffer -b labdeck ${quoteTmux(file)}`), this.control.command(`paste-buffer -d -b labdeck -t ${target}`));
    if (enter) steps.push(this.control.command(`send-keys -t ${target} Enter`));
    await Promise.all(steps);
  }

  /** Sends tmux key names (`C-c`, `Escape`, `^D`…), each as one key. */
  async keys(pane: string, keys: readonly string[]): Promise<void> {
    await this.alive(pane);
    const p = this.pane(pane);
    p.lastInput = p.mark();
    await this.control.command(`send-keys -t ${quoteTmux(pane)} ${keys.map(quoteTmux).join(' ')}`);
  }

  /**
   * Runs one tmux command in this server. `split-window` is told to print the new pane's id, and
   * the call returns once that pane's shell is at its prompt.
   */
  async tmux(args: readonly string[], signal?: AbortSignal): Promise<{ output: string[]; newPane?: string }> {
    const [name = '', ...rest] = args;
    const split = name === 'split-window' || name === 'splitw' || name === 'split-pane';
    const line = [split ? 'split-window' : name, ...(split ? ['-P', '-F', '#{pane_id}'] : []), ...rest].map(quoteTmux).join(' ');
    const output = await this.control.command(line);
    const newPane = split ? output[0] : undefined;
    if (newPane) await this.ready(newPane, 10_000, signal);
    await this.follow();
    return newPane ? { output, newPane } : { output };
  }

  /** The visible screen of a pane, wrapped lines joined, trailing blanks trimmed. */
  async capture(pane: string): Promise<string> {
    const lines = await this.control.command(`capture-pane -p -J -t ${quoteTmux(pane)}`);
    return trimScreen(lines.join('\n'));
  }

  async paneSizes(): Promise<Map<string, { width: number; height: number }>> {
    const lines = await this.control.command(`list-panes -s -F '#{pane_id} #{pane_width} #{pane_height}'`);
    const sizes = new Map<string, { width: number; height: number }>();
    for (const l of lines) {
      const [id, w, h] = l.split(' ');
      if (id) sizes.set(id, { width: Number(w), height: Number(h) });
    }
    return sizes;
  }

  /**
   * Puts a fresh shell where `pane` was (after a hang or an exit) and returns the new pane's id;
   * `active` follows it. A new pane rather than `respawn-pane`: tmux 3.3a keeps a pane's read
   * offsets across a respawn, and when it read a shell's last output in the same turn as it reaped
   * the shell (a loaded machine), they pointed past the new, empty buffer and the server crashed on
   * the new shell's first output. A new pane starts clean; swap-pane gives it the old pane's cell
   * (index, size, being active), and the old pane goes with the spare window it moved to.
   */
  async replace(pane: string, signal?: AbortSignal): Promise<string> {
    const [fresh] = await this.control.command(`new-window -d -P -F '#{pane_id}'`);
    if (!fresh) throw new Error('tmux did not name the new pane');
    try {
      await this.control.command(`swap-pane -d -s ${quoteTmux(fresh)} -t ${quoteTmux(pane)}`);
    } catch (e) {
      await this.control.command(`kill-pane -t ${quoteTmux(fresh)}`).catch(() => {});
      throw e;
    }
    await this.control.command(`kill-pane -t ${quoteTmux(pane)}`);
    await this.follow();
    await this.ready(fresh, 10_000, signal);
    return fresh;
  }

  /**
   * Closes a pane whose shell exited (remain-on-exit keeps it), as tmux would have without that
   * option; the last pane gets a fresh shell instead, since a run always has one.
   */
  async closePane(pane: string, signal?: AbortSignal): Promise<void> {
    const count = (await this.control.command(`list-panes -t ${quoteTmux(pane)} -F '#{pane_id}'`)).length;
    if (count > 1) {
      await this.control.command(`kill-pane -t ${quoteTmux(pane)}`);
      await this.follow();
    } else await this.replace(pane, signal);
  }

  /** Reads which pane is active after tmux changed the panes. */
  private async follow(): Promise<void> {
    const [active] = await this.control.command(`display -p '#{pane_id}'`);
    if (active) this.active = active;
  }

  /**
   * Resolves with the first non-undefined value of `check`, evaluated on every output, every pane
   * death and every 200 ms (for screen-based checks). Rejects on timeout, abort or when the server
   * goes away.
   */
  waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      let running = false;
      let again = false;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(tick);
        this.listeners.delete(run);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const run = (): void => {
        if (done) return;
        if (signal?.aborted) return finish(() => reject(new InterruptedError()));
        if (running) {
          again = true;
          return;
        }
        running = true;
        Promise.resolve()
          .then(check)
          .then(
            (v) => {
              running = false;
              if (v !== undefined) return finish(() => resolve(v));
              if (this.gone !== undefined) return finish(() => reject(new TerminalGoneError(`the tmux server went away: ${this.gone}`)));
              if (again) {
                again = false;
                run();
              }
            },
            (e: unknown) => {
              running = false;
              finish(() => reject(e instanceof TmuxCommandError && this.gone !== undefined ? new TerminalGoneError(`the tmux server went away: ${this.gone}`) : e));
            },
          );
      };
      const onAbort = () => finish(() => reject(new InterruptedError()));
      const timer = setTimeout(() => finish(() => reject(new TimeoutError(timeoutMs))), timeoutMs);
      const tick = setInterval(run, 200);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.listeners.add(run);
      run();
    });
  }

  /**
   * Marks the panes tmux has reaped (told by the pane-died hook) with their exit status, for shells
   * that end without an EXIT marker: killed by a signal, or replaced by `exec`. A pane whose pty is
   * closed but whose process tmux has not reaped yet has no status: its own signal comes later.
   */
  private async checkDead(): Promise<void> {
    if (this.gone !== undefined) return;
    const lines = await this.control.command(`list-panes -s -F '#{pane_id} #{pane_dead} #{pane_dead_status} #{pane_dead_signal}'`).catch(() => []);
    for (const l of lines) {
      const [id, dead, status, signal] = l.split(' ');
      const code = status ? Number(status) : signal ? 128 + signalNumber(signal) : undefined;
      if (id && dead === '1' && code !== undefined) this.pane(id).died(code, Date.now());
    }
    for (const l of [...this.listeners]) l();
  }

  /** Kills the server. Idempotent; the runner calls it on every path out, Ctrl-C included. */
  async close(): Promise<void> {
    this.deaths?.stop();
    await this.control.kill();
  }

  get socket(): string {
    return this.options.socket;
  }
}
