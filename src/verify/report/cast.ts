import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * asciicast v2 recordings, one per pane, from the %output stream (so what was really shown, at the
 * time it was shown). Each slide adds an `m` marker to every pane's recording, so a player can jump
 * from slide to slide; pane size changes add `r` events.
 */
export class CastRecorder {
  private readonly casts = new Map<string, { lines: string[]; size: string }>();
  private readonly sizes = new Map<string, { width: number; height: number }>();

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly title: string,
    private readonly window: { width: number; height: number },
    private readonly start = Date.now(),
  ) {}

  private cast(pane: string, at: number) {
    let c = this.casts.get(pane);
    if (!c) {
      const size = this.sizes.get(pane) ?? this.window;
      const header = { version: 2, width: size.width, height: size.height, timestamp: Math.floor(at / 1000), title: `${this.title} — pane ${pane}`, env: { TERM: 'tmux-256color', SHELL: '/bin/bash' } };
      c = { lines: [JSON.stringify(header)], size: `${size.width}x${size.height}` };
      this.casts.set(pane, c);
    }
    return c;
  }

  private time(at: number): number {
    return Math.max(0, (at - this.start) / 1000);
  }

  output(pane: string, text: string, at: number): void {
    this.cast(pane, at).lines.push(JSON.stringify([this.time(at), 'o', text]));
  }

  marker(label: string, at = Date.now()): void {
    for (const c of this.casts.values()) c.lines.push(JSON.stringify([this.time(at), 'm', label]));
  }

  resize(sizes: Map<string, { width: number; height: number }>, at = Date.now()): void {
    for (const [pane, s] of sizes) {
      this.sizes.set(pane, s);
      const c = this.casts.get(pane);
      const size = `${s.width}x${s.height}`;
      if (c && c.size !== size) {
        c.size = size;
        c.lines.push(JSON.stringify([this.time(at), 'r', size]));
      }
    }
  }

  /** Writes the files; returns pane id → file name (relative to the directory). */
  close(): Record<string, string> {
    mkdirSync(this.dir, { recursive: true });
    const files: Record<string, string> = {};
    for (const [pane, c] of this.casts) {
      const name = `${this.prefix}-pane${pane.replace('%', '')}.cast`;
      writeFileSync(join(this.dir, name), c.lines.join('\n') + '\n');
      files[pane] = name;
    }
    return files;
  }
}
