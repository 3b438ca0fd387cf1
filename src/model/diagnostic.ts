import { formatPosition, type Position } from './position.ts';

export type Severity = 'error' | 'warning' | 'info';

/**
 * A problem found in the course, as a value. Every stage returns these instead of throwing,
 * so the CLI can print all of them at once and decide the exit code.
 */
export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable rule name, e.g. `macro/unbalanced`, `manifest/unknown-key`. */
  code: string;
  message: string;
  position: Position;
  /** What the author should do about it. */
  hint?: string;
}

export function diagnostic(
  severity: Severity,
  code: string,
  position: Position,
  message: string,
  hint?: string,
): Diagnostic {
  return hint === undefined ? { severity, code, message, position } : { severity, code, message, position, hint };
}

export const error = (code: string, position: Position, message: string, hint?: string): Diagnostic =>
  diagnostic('error', code, position, message, hint);

export const warning = (code: string, position: Position, message: string, hint?: string): Diagnostic =>
  diagnostic('warning', code, position, message, hint);

/** `file:line:col: error: message [code]` followed by an indented hint line. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${formatPosition(d.position)}: ${d.severity}: ${d.message} [${d.code}]`;
  return d.hint ? `${head}\n    hint: ${d.hint}` : head;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Errors first, then by file and position, so the first line printed is the one to fix. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return [...diagnostics].sort(
    (a, b) =>
      rank[a.severity] - rank[b.severity] ||
      a.position.file.localeCompare(b.position.file) ||
      a.position.line - b.position.line ||
      a.position.column - b.position.column,
  );
}
