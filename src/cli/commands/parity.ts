import { Option, type Command } from 'commander';
import { FAIL_ON, FORMATS } from '../../parity/report.ts';
import type { RegisterCommand } from '../shared.ts';
import type { ReportFlags } from '../actions/parity.ts';

export const registerParity: RegisterCommand = (program, setExit) => {
  const parity = program
    .command('parity')
    .description('Compare translated slides with the English ones: missing, orphan, stale, divergent code, untranslated, untracked')
    .argument('[target...]', 'decks (manifest path or id) or Markdown files (en/… or fr/…); default: all of content/')
    .option('--lang <lang>', 'translation language', 'fr')
    .option('--content <dir>', 'content root', 'content')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS as string[]).default('text'))
    .option('--fail-on <statuses>', `exit 1 when a pair has one of these (comma-separated): ${FAIL_ON.join(', ')}`)
    .option('--all', 'list up-to-date pairs too')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .action(async (targets: string[], opts: ReportFlags) => (await import('../actions/parity.ts')).report(targets, opts, setExit));

  parity
    .command('stamp')
    .description('Record that French slides were checked against their English slide as it is now (refused while their code diverges)')
    .argument('<target...>', 'French file (fr/x.md), or one slide: fr/x.md:<line> or fr/x.md#<key>')
    .option('--en <key>', 'stamp against this English slide key instead of the aligned one')
    .option('--prune', "drop the file's stamps whose French slide no longer exists")
    // --lang and --content belong to `parity` (commander reads them wherever they are written).
    .action(async (targets: string[], _opts: unknown, command: Command) => (await import('../actions/parity.ts')).stamp(targets, command, setExit));
};
