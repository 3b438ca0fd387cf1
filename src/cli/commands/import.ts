import { SHAPES } from '../../import/shared.ts';
import type { RegisterCommand } from '../shared.ts';
import type { ImportFlags } from '../actions/import.ts';

export const registerImport: RegisterCommand = (program, setExit) => {
  program
    .command('import')
    .description('Turn notes, text extracted from a slide PDF or a lab sheet into a chapter of the dialect (see docs/IMPORT.md)')
    .argument('<file>', 'the document (UTF-8 text)')
    .option('--as <shape>', `what the document is: ${SHAPES.join(', ')} (guessed when absent)`)
    .option('--lang <lang>', 'language of the document: fr or en', 'fr')
    .option('-o, --out <file>', 'the Markdown file to write (e.g. content/fr/intro/kubernetes.md); stdout when absent')
    .option('--force', 'overwrite --out if it exists')
    .action(async (file: string, opts: ImportFlags) => (await import('../actions/import.ts')).importDocument(file, opts, setExit));
};
