/**
 * What every command shares: how a command registers, how problems and refusals are printed,
 * where decks are found by default. Commands import from here, never from each other.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { findManifests } from '../manifest/index.ts';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../model/diagnostic.ts';
import { DECKS_DIR } from '../shared/paths.ts';

export { DECKS_DIR };

/** How a command reports its exit code (the highest one wins). */
export type SetExit = (code: number) => void;

/**
 * A command module (commands/) adds its name, arguments and options to the program, and loads
 * its action (actions/) only when it runs: `labdeck --help` reads the table and nothing else.
 */
export type RegisterCommand = (program: Command, setExit: SetExit) => void;

/** Manifests named on the command line, or every deck of content/decks. */
export function manifestsOrDefault(manifests: string[]): string[] {
  return manifests.length > 0 ? manifests : findManifests(resolve(DECKS_DIR));
}

/** Diagnostics on stderr, errors first, as `file:line:col: severity: message [code]` + hint. */
export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of sortDiagnostics(diagnostics)) {
    const line = formatDiagnostic(d);
    const color = d.severity === 'error' ? pc.red : d.severity === 'warning' ? pc.yellow : pc.dim;
    process.stderr.write(`${color(line.split('\n')[0]!)}${line.includes('\n') ? `\n${line.slice(line.indexOf('\n') + 1)}` : ''}\n`);
  }
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/** The CLI's one way to refuse: `error: message` and its hint on stderr, then the exit code. */
export function failer(setExit: (code: number) => void, code = 1): (message: string, hint: string) => void {
  return (message, hint) => {
    process.stderr.write(`${pc.red(`error: ${message}`)}\n    hint: ${hint}\n`);
    setExit(code);
  };
}

