import { hasErrors } from '../../model/diagnostic.ts';
import { parseShape, SHAPES } from '../../import/index.ts';
import { runImport } from '../../import/io.ts';
import { countBySeverity, failer, printDiagnostics, type RegisterCommand } from '../shared.ts';

export const registerImport: RegisterCommand = (program, setExit) => {
  program
    .command('import')
    .description('Turn notes, text extracted from a slide PDF or a lab sheet into a chapter of the dialect (see docs/IMPORT.md)')
    .argument('<file>', 'the document (UTF-8 text)')
    .option('--as <shape>', `what the document is: ${SHAPES.join(', ')} (guessed when absent)`)
    .option('--lang <lang>', 'language of the document: fr or en', 'fr')
    .option('-o, --out <file>', 'the Markdown file to write (e.g. content/fr/intro/kubernetes.md); stdout when absent')
    .option('--force', 'overwrite --out if it exists')
    .action((file: string, opts: { as?: string; lang: string; out?: string; force?: boolean }) => {
      const fail = failer(setExit, 2);
      const lang = opts.lang.toLowerCase();
      if (lang !== 'fr' && lang !== 'en') return fail(`--lang must be fr or en, not ${opts.lang}`, 'labdeck import notes.txt --as notes --lang fr');
      let shape;
      if (opts.as !== undefined) {
        shape = parseShape(opts.as);
        if (typeof shape !== 'string') return fail(shape.message, shape.hint ?? '');
      }
      const outcome = runImport({ file, shape, lang, out: opts.out, force: opts.force });
      printDiagnostics(outcome.diagnostics);
      if (outcome.markdown === undefined || hasErrors(outcome.diagnostics.filter((d) => d.code.startsWith('import/')))) {
        setExit(hasErrors(outcome.diagnostics) ? 2 : 1);
        return;
      }
      if (outcome.written) {
        process.stderr.write(`${outcome.written}: ${outcome.slides} slides written (${countBySeverity(outcome.diagnostics)}); review it before adding it to a manifest\n`);
      } else {
        process.stdout.write(outcome.markdown);
      }
      setExit(hasErrors(outcome.diagnostics) ? 1 : 0);
    });
};
