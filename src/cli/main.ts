import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { PACKAGE_ROOT } from '../shared/paths.ts';
import { DEFAULT_MAX_FILE_SIZE, formatSize, parseSize, setReadPolicy } from '../shared/sandbox.ts';
import { commands } from './commands/index.ts';

/**
 * Wires the stages into commands; every command returns its exit code. Only the command table is
 * loaded here: each command imports its action module when it runs.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('labdeck')
    .description('Build, verify and keep in step bilingual remark-dialect training decks')
    .version(version(), '-V, --version', 'print the version of labdeck')
    // What a course may read (README: Security); options of every command, written anywhere on the line.
    .option('--allow-read <folder>', 'let the course read this folder outside its repository (repeatable)', (dir: string, all: string[] = []) => [...all, dir])
    .option('--allow-plugins', "load the remark/rehype plugins decks list (plugins:) from the course's node_modules: this runs the course's own code (also LABDECK_ALLOW_PLUGINS=1)")
    .option('--max-file-size <size>', `largest course text file read (default ${formatSize(DEFAULT_MAX_FILE_SIZE)}), e.g. 8MB`, (text: string) => {
      const bytes = parseSize(text);
      if (bytes === undefined) throw new InvalidArgumentError('expected a size such as 512KB, 8MB or 1GB');
      return bytes;
    })
    .exitOverride()
    .showHelpAfterError();
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  for (const register of commands) register(program, setExit);
  let restore = () => {};
  program.hook('preAction', () => {
    const opts = program.opts<{ allowRead?: string[]; maxFileSize?: number; allowPlugins?: boolean }>();
    restore = setReadPolicy({ allow: opts.allowRead ?? [], ...(opts.maxFileSize !== undefined ? { maxFileSize: opts.maxFileSize } : {}), ...(opts.allowPlugins ? { allowPlugins: true } : {}) });
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    // A refused write (a link where an output goes) is an answer, not a crash. Loaded here:
    // write-file-atomic is not needed to print --help.
    const { OutsideWriteError } = await import('../shared/files.ts');
    if (e instanceof OutsideWriteError) {
      process.stderr.write(`${pc.red(`error: ${e.message}`)}\n    hint: ${e.hint}\n`);
      return 1;
    }
    throw e;
  } finally {
    restore();
  }
  return exitCode;
}

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
