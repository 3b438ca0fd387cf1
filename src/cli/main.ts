import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';

/** Wires the stages into commands; every command returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('labdeck')
    .description('Build, verify and keep in step bilingual remark-dialect training decks')
    .exitOverride()
    .showHelpAfterError();
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  for (const register of commands) register(program, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    throw e;
  }
  return exitCode;
}
