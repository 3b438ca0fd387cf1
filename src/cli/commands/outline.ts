import { DECKS_DIR } from '../../shared/paths.ts';
import type { OutlineFlags } from '../actions/outline.ts';
import type { RegisterCommand } from '../shared.ts';

export const registerOutline: RegisterCommand = (program, setExit) => {
  program
    .command('outline')
    .description('Course outline (syllabus) from the :EN:/:FR: lines of each chapter, in deck order')
    .argument('[deck...]', `deck ids or manifests (default: every deck of ${DECKS_DIR}/ in that language)`)
    .requiredOption('--lang <lang>', 'outline language: en or fr')
    .option('--format <format>', 'md or html (default: from --out extension, else md)')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (decks: string[], opts: OutlineFlags) => (await import('../actions/outline.ts')).outline(decks, opts, setExit));
};
