import pc from 'picocolors';
import { hasErrors } from '../../model/diagnostic.ts';
import { buildSite } from '../../render/build.ts';
import { countBySeverity, DEFAULT_DECKS_DIR, manifestsOrDefault, printDiagnostics } from './build.ts';
import type { RegisterCommand } from './index.ts';

/** Everything `build` would complain about (parse, manifests, rendering), without writing anything. */
export const registerLint: RegisterCommand = (program, setExit) => {
  program
    .command('lint')
    .description(`Report every problem of the decks without writing output (default: every manifest in ${DEFAULT_DECKS_DIR}/)`)
    .argument('[manifest...]', 'deck manifests (.yml)')
    .option('--strict', 'fail on warnings too')
    .action(async (manifests: string[], opts: { strict?: boolean }) => {
      const list = manifestsOrDefault(manifests);
      if (list.length === 0) {
        process.stderr.write(`error: no deck manifest found in ${DEFAULT_DECKS_DIR}/\n`);
        setExit(1);
        return;
      }
      const report = await buildSite({ manifests: list });
      printDiagnostics(report.diagnostics);
      const failed = hasErrors(report.diagnostics) || (opts.strict === true && report.diagnostics.some((d) => d.severity === 'warning'));
      const slides = report.summaries.reduce((n, s) => n + s.slideCount, 0);
      const summary = `${report.summaries.length} decks, ${slides} slides: ${countBySeverity(report.diagnostics)}`;
      process.stderr.write(`${failed ? pc.red(summary) : summary}\n`);
      setExit(failed ? 1 : 0);
    });
};
