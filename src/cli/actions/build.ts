import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import { buildSiteCached, defaultBuildCacheDir, type CachedBuildReport } from '../../build/cache.ts';
import type { BuildReport } from '../../build/site.ts';
import { OutputFolderError } from '../../render/write.ts';
import { hasErrors, type Diagnostic } from '../../model/diagnostic.ts';
import { displayPath } from '../../shared/paths.ts';
import { readHistory, VERIFY_DIR } from '../../verify/history.ts';
import { readReport, type Report } from '../../verify/report/read.ts';
import { countBySeverity, DECKS_DIR, manifestsOrDefault, printDiagnostics, type SetExit } from '../shared.ts';

/** A progress bar on a terminal; nothing when output is piped (CI logs stay clean). */
function progress() {
  if (!process.stderr.isTTY) return { onLoaded: undefined, onDeck: undefined, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: 'rendering {bar} {value}/{total} slides | {deck}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    onLoaded: (course: BuildReport['course']) => bar.start(course.decks.reduce((n, d) => n + d.slides.length, 0), 0, { deck: '' }),
    onDeck: (deck: { id: string; slides: unknown[] }) => bar.increment(deck.slides.length, { deck: deck.id }),
    stop: () => bar.stop(),
  };
}

export interface BuildFlags {
  out: string;
  lenient?: boolean;
  missingTranslations: string;
  verifyReport?: string[] | false;
  /** False with --no-cache. */
  cache: boolean;
}

export async function build(manifests: string[], opts: BuildFlags, setExit: SetExit): Promise<void> {
  if (opts.missingTranslations !== 'english' && opts.missingTranslations !== 'omit') {
    process.stderr.write(`error: --missing-translations must be "english" or "omit", not "${opts.missingTranslations}"\n`);
    setExit(2);
    return;
  }
  const list = manifestsOrDefault(manifests);
  if (list.length === 0) {
    process.stderr.write(`error: no deck manifest found in ${DECKS_DIR}/\n    hint: name manifests on the command line: labdeck build content/decks/my-deck.yml\n`);
    setExit(1);
    return;
  }
  const verification = readVerifyReports(opts.verifyReport);
  if (!verification.ok) {
    setExit(1);
    return;
  }
  const verifyReports = verification.reports;
  const bar = progress();
  let report: BuildReport | CachedBuildReport;
  try {
    const request = { manifests: list, outDir: opts.out, lenient: opts.lenient, missingTranslations: opts.missingTranslations as 'english' | 'omit', verifyReports, onLoaded: bar.onLoaded, onDeck: bar.onDeck };
    report = opts.cache ? await buildSiteCached({ ...request, cacheDir: defaultBuildCacheDir() }) : await (await import('../../build/site.ts')).buildSite(request);
  } catch (e) {
    bar.stop();
    if (e instanceof OutputFolderError) {
      process.stderr.write(`error: ${e.message}\n    hint: choose another --out folder\n`);
      setExit(1);
      return;
    }
    throw e;
  }
  bar.stop();
  printDiagnostics(report.diagnostics);
  if (!report.ok) {
    process.stderr.write(pc.red(`build failed (${countBySeverity(report.diagnostics)}); ${displayPath(resolve(opts.out))} left as it was\n`));
    process.stderr.write('    hint: fix the errors above, or build anyway with --lenient to see them on the slides\n');
    setExit(1);
    return;
  }
  const cache = 'cache' in report ? report.cache : undefined;
  if (cache === 'corrupt') process.stderr.write(pc.yellow('warning: a build cache entry failed its checksums: not used, built again and stored anew\n'));
  const decks = report.summaries.map((s) => `${s.id} (${s.slideCount})`).join(', ');
  process.stderr.write(
    `built ${report.summaries.length} deck${report.summaries.length === 1 ? '' : 's'} [${decks}] into ${displayPath(resolve(opts.out))}/ in ${(report.timings.total / 1000).toFixed(2)} s${cache === 'hit' ? ', nothing changed: pages from the build cache' : ''} (${countBySeverity(report.diagnostics)})\n`,
  );
}

/**
 * The reports to mark labs from: the files named (a report that cannot be read stops the build,
 * with its file and position), or the history verify keeps (unreadable ones are left out with a
 * warning). No reports (none named, no history): no marks at all, rather than "not verified"
 * on every lab of a course that is not verified with labdeck.
 */
function readVerifyReports(named: string[] | false | undefined): { ok: boolean; reports?: Report[] } {
  if (named === false) return { ok: true };
  const sources = named ?? (existsSync(VERIFY_DIR) ? [VERIFY_DIR] : []);
  if (sources.length === 0) return { ok: true };
  const reports: Report[] = [];
  const problems: Diagnostic[] = [];
  for (const source of sources) {
    if (existsSync(source) && statSync(source).isDirectory()) {
      const history = readHistory(source);
      reports.push(...history.reports);
      problems.push(...history.diagnostics);
      continue;
    }
    const r = readReport(source);
    if (r.ok) reports.push(r.report);
    else problems.push(r.diagnostic);
  }
  printDiagnostics(problems);
  if (hasErrors(problems)) {
    process.stderr.write(pc.red('build failed: a verification report cannot be read (above); nothing was written\n') + '    hint: fix or leave out that --verify-report, or build with --no-verify-report\n');
    return { ok: false };
  }
  return { ok: true, reports };
}
