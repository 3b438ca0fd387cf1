import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { lintImported, proseWords } from '../../import/lint.ts';
import type { Course } from '../../model/course.ts';
import { hasErrors, type Diagnostic } from '../../model/diagnostic.ts';
import { findMojibake, repairMojibake } from '../../parse/index.ts';
import { writeFileAtomic } from '../../shared/files.ts';
import { buildSite } from '../../build/site.ts';
import { unitFromDeck } from '../../verify/extract.ts';
import { countBySeverity, DECKS_DIR, manifestsOrDefault, printDiagnostics, type RegisterCommand } from '../shared.ts';

/**
 * Everything `build` would complain about (parse, manifests, rendering), what `verify` would
 * refuse (directive arguments), and what imported material reveals (unknown commands, prompts in
 * lab commands, pasted-twice text) — without writing any output.
 */
export const registerLint: RegisterCommand = (program, setExit) => {
  program
    .command('lint')
    .description(`Report every problem of the decks without writing output (default: every manifest in ${DECKS_DIR}/)`)
    .argument('[manifest...]', 'deck manifests (.yml)')
    .option('--strict', 'fail on warnings too')
    .option('--fix-mojibake', 'repair UTF-8-read-as-Mac-Roman damage in the content files, in place')
    .action(async (manifests: string[], opts: { strict?: boolean; fixMojibake?: boolean }) => {
      const list = manifestsOrDefault(manifests);
      if (list.length === 0) {
        process.stderr.write(`error: no deck manifest found in ${DECKS_DIR}/\n`);
        setExit(1);
        return;
      }
      let report = await buildSite({ manifests: list });
      if (opts.fixMojibake) {
        const fixed = repairFiles(report.course);
        if (fixed.length > 0) {
          process.stderr.write(`repaired mojibake in ${fixed.join(', ')}\n`);
          report = await buildSite({ manifests: list });
        }
      }
      const diagnostics = [...report.diagnostics, ...stepDiagnostics(report.course), ...importDiagnostics(report.course)];
      printDiagnostics(diagnostics);
      const failed = hasErrors(diagnostics) || (opts.strict === true && diagnostics.some((d) => d.severity === 'warning'));
      const slides = report.summaries.reduce((n, s) => n + s.slideCount, 0);
      const summary = `${report.summaries.length} decks, ${slides} slides: ${countBySeverity(diagnostics)}`;
      process.stderr.write(`${failed ? pc.red(summary) : summary}\n`);
      setExit(failed ? 1 : 0);
    });
};

/**
 * Directive arguments the runner cannot use (bad `timeout`, `expect-exit` without a number…).
 * Unknown verbs are left to the parser's warning: only `verify` makes them errors.
 */
function stepDiagnostics(course: Course): Diagnostic[] {
  const seen = new Set<string>();
  return course.decks
    .flatMap((deck) => unitFromDeck(deck, course.root).diagnostics)
    .filter((d) => d.code !== 'directive/unknown-verb')
    .filter((d) => {
      // A file in several decks yields the same problem once per deck: report it once.
      const key = `${d.position.file}:${d.position.line}:${d.position.column}:${d.code}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    });
}

function importDiagnostics(course: Course): Diagnostic[] {
  const words = proseWords(course.files.values());
  return [...course.files.entries()]
    .filter(([key]) => !key.includes('#'))
    .flatMap(([, file]) => lintImported(file, readFileSync(join(course.root, file.path), 'utf8'), words));
}

/** Rewrites each damaged content file atomically (mode kept), so none is left half-written. */
function repairFiles(course: Course): string[] {
  const fixed: string[] = [];
  for (const [key, file] of course.files) {
    if (key.includes('#')) continue;
    const path = join(course.root, file.path);
    const text = readFileSync(path, 'utf8');
    if (findMojibake(text).length === 0) continue;
    writeFileAtomic(path, repairMojibake(text));
    fixed.push(file.path);
  }
  return fixed;
}
