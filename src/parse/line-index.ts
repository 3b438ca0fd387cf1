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
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = lo + 1;
    return { line, column: offset - (this.#starts[lo] ?? 0) + 1 + (line >= this.firstIndentedLine ? this.indent : 0) };
  }

  position(file: string, offset: number): Position {
    return { file, ...this.lineColumn(offset), offset };
  }
}
