import type { RegisterCommand } from '../shared.ts';
import type { PdfFlags } from '../actions/export.ts';

export const registerExport: RegisterCommand = (program, setExit) => {
  const exp = program.command('export').description('Export a deck (PDF)');
  exp
    .command('pdf')
    .description('PDF of a deck through headless Chromium: one page per slide (or per step), backgrounds and links kept')
    .argument('<deck>', 'deck id (content/decks/<id>.yml) or manifest path')
    .option('-o, --out <file>', 'PDF to write (default: <deck>.pdf)')
    .option('--steps', 'one page per step (`--` fragment) instead of one page per slide')
    .option('--notes', 'add the speaker notes, on a page after each slide')
    .option('--no-extra-details', 'leave out the extra-details slides')
    .action(async (deckRef: string, opts: PdfFlags) => (await import('../actions/export.ts')).pdf(deckRef, opts, setExit));
};
