import { hasErrors } from '../../model/diagnostic.ts';
import { parseShape } from '../../import/index.ts';
import { runImport } from '../../import/io.ts';
import { countBySeverity, failer, printDiagnostics, type SetExit } from '../shared.ts';

export interface ImportFlags { as?: string; lang: string; out?: string; force?: boolean }

export async function importDocument(file: string, opts: ImportFlags, setExit: SetExit): Promise<void> {
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
}
