/** A place in a source file. `file` is relative to the content root; line and column are 1-based. */
export interface Position {
  file: string;
  line: number;
  column: number;
  /** 0-based character offset in the file, for ordering things found on the same slide. */
  offset?: number;
}

export function formatPosition(p: Position): string {
  return `${p.file}:${p.line}:${p.column}`;
}

/** Compare two positions in the same file by offset, else by line and column. */
export function comparePositions(a: Position, b: Position): number {
  if (a.offset !== undefined && b.offset !== undefined) return a.offset - b.offset;
  return a.line - b.line || a.column - b.column;
}
