import { DECKS_DIR } from '../../shared/paths.ts';
import type { LintFlags } from '../actions/lint.ts';
import type { RegisterCommand } from '../shared.ts';

export const registerLint: RegisterCommand = (program, setExit) => {
  program
    .command('lint')
    .description(`Report every problem of decks or chapters without writing output (default: every manifest in ${DECKS_DIR}/)`)
    .argument('[input...]', 'deck manifests (.yml) or chapter files (.md)')
    .option('--strict', 'fail on warnings too')
    .option('--fix-mojibake', 'repair UTF-8-read-as-Mac-Roman damage in the content files, in place')
    .action(async (inputs: string[], opts: LintFlags) => (await import('../actions/lint.ts')).lint(inputs, opts, setExit));
};
