import type { Position } from '../model/position.ts';

/** Maps character offsets of one text to 1-based line and column. */
export class LineIndex {
  readonly #starts: number[] = [0];

  /**
   * `indent` is added to the column of every line from `firstIndentedLine` on: inline Markdown
   * in a YAML block scalar lost that much indentation when YAML read it.
   */
  constructor(
    text: string,
    private readonly indent = 0,
    private readonly firstIndentedLine = 1,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
  }

  get lineCount(): number {
    return this.#starts.length;
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.#starts[Math.min(Math.max(line, 1), this.#starts.length) - 1] ?? 0;
  }

  lineColumn(offset: number): { line: number; column: number } {
    const index = this.#lineOf(offset);
    return { line: index + 1, column: this.#column(index, offset) };
  }

  /** Sets a unist point's offset, line and column in place (no allocation: every node has two). */
  place(point: { line: number; column: number; offset?: number | undefined }, offset: number): void {
    const index = this.#lineOf(offset);
    point.line = index + 1;
    point.column = this.#column(index, offset);
    point.offset = offset;
  }

  #last = 0;

  /** 0-based line of an offset. Callers mostly walk forward: the last line found, or the next, first. */
  #lineOf(offset: number): number {
    const starts = this.#starts;
    const last = this.#last;
    if (offset >= starts[last]!) {
      if (last + 1 >= starts.length || offset < starts[last + 1]!) return last;
      if (last + 2 >= starts.length || offset < starts[last + 2]!) return (this.#last = last + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.#last = lo);
  }

  #column(index: number, offset: number): number {
    return offset - this.#starts[index]! + 1 + (index + 1 >= this.firstIndentedLine ? this.indent : 0);
  }

  position(file: string, offset: number): Position {
    return { file, ...this.lineColumn(offset), offset };
  }
}
