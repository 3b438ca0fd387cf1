import type { Command } from 'commander';
import { registerParity } from './parity.ts';

/** A command module adds itself to the program and reports its exit code through `setExit`. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;

// One line per command module; keep this list in the order of `labdeck --help`.
export const commands: RegisterCommand[] = [registerParity];
