import type { Command } from 'commander';
import pc from 'picocolors';
import { formatDiagnostic, type Diagnostic } from '../../model/diagnostic.ts';
import { side } from '../../parity/check.ts';
import { formatReport, type Format } from '../../parity/format.ts';
import { checkParity } from '../../parity/index.ts';
import { contentPath, loadParity } from '../../parity/load.ts';
import { FAIL_ON, type ParityReport } from '../../parity/report.ts';
import { stampSlides } from '../../parity/restamp.ts';
import { writeStamps } from '../../parity/store.ts';
import { writeFileAtomic } from '../../shared/files.ts';
import type { SetExit } from '../shared.ts';

interface CommonOptions {
  lang: string;
  content: string;
}

export interface ReportFlags extends CommonOptions { format: Format; failOn?: string; all?: boolean; output?: string }

/** Exit codes: 0 fine, 1 a `--fail-on` status was found, 2 bad input (unknown target, malformed stamp file). */
export async function report(targets: string[], opts: ReportFlags, setExit: SetExit): Promise<void> {
  const failOn = (opts.failOn ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = failOn.filter((s) => !FAIL_ON.includes(s));
  if (unknown.length > 0) {
    process.stderr.write(`error: --fail-on: unknown status ${unknown.join(', ')} (use ${FAIL_ON.join(', ')})\n`);
    setExit(2);
    return;
  }
  const loaded = await loadParity({ content: opts.content, lang: opts.lang, targets });
  if (loaded.diagnostics.length > 0) {
    printDiagnostics(loaded.diagnostics);
    setExit(2);
    return;
  }
  const report = checkParity(loaded.input);
  const color = opts.format === 'text' && !opts.output && process.stdout.isTTY ? pc : undefined;
  const out = formatReport(report, opts.format, { ...(color ? { color } : {}), all: opts.all === true });
  if (opts.output) writeFileAtomic(opts.output, out);
  else process.stdout.write(out);
  const failed = failing(report, failOn);
  if (failed.length > 0) process.stderr.write(pc.red(`parity: ${failed.join(', ')} found (--fail-on ${failOn.join(',')})\n`));
  setExit(failed.length > 0 ? 1 : 0);
}

export async function stamp(targets: string[], command: Command, setExit: SetExit): Promise<void> {
  const opts = command.optsWithGlobals<CommonOptions & { en?: string; prune?: boolean }>();
  const loaded = await loadParity({ content: opts.content, lang: opts.lang, targets: targets.map((t) => t.replace(/(#.*|:\d+)$/, '')) });
  if (loaded.stampsInvalid || loaded.diagnostics.length > 0) {
    printDiagnostics(loaded.diagnostics);
    process.stderr.write(pc.red(`parity stamp: nothing written${loaded.stampsInvalid ? ` (${loaded.stampFile} must be fixed first)` : ''}\n`));
    setExit(2);
    return;
  }
  const report = checkParity(loaded.input);
  let book = loaded.input.stamps;
  const problems: Diagnostic[] = [];
  const done: string[] = [];
  for (const target of targets) {
    const rel = contentPath(loaded.contentRoot, target);
    const file = report.files.find((f) => f.fr === rel);
    if (!file || !file.frExists) {
      problems.push({ severity: 'error', code: 'parity/stamp-target', message: `\`${target}\` is not a ${opts.lang}/ file`, position: { file: target, line: 1, column: 1 }, hint: `stamp the translation, e.g. ${opts.lang}/k8s/kubectl-run.md` });
      continue;
    }
    const selector = /:(\d+)$/.exec(target)?.[1] ?? /#(.+)$/.exec(target)?.[1];
    const slides = selector === undefined ? [] : [/^\d+$/.test(selector) ? Number(selector) : selector];
    const files = loaded.input.files;
    const result = stampSlides(book, file, side(file.en, files.get(file.en)), side(file.fr, files.get(file.fr)), {
      slides,
      ...(opts.en !== undefined ? { en: opts.en } : {}),
      ...(opts.prune ? { prune: true } : {}),
    });
    book = result.book;
    problems.push(...result.diagnostics);
    done.push(...result.stamped.map((k) => `${file.fr}#${k}`), ...result.pruned.map((k) => `${file.fr}#${k} (pruned)`));
  }
  if (done.length > 0) writeStamps(loaded.stampFile, book);
  printDiagnostics(problems);
  process.stderr.write(`parity stamp: ${done.length} written to ${loaded.stampFile}${done.length ? `\n  ${done.join('\n  ')}` : ''}\n`);
  setExit(problems.some((d) => d.severity === 'error') ? 1 : 0);
}

function failing(report: ParityReport, failOn: readonly string[]): string[] {
  if (failOn.length === 0) return [];
  const found = new Set<string>();
  for (const f of report.files) {
    for (const p of f.pairs) {
      for (const s of p.statuses) if (failOn.includes(s)) found.add(s);
      for (const part of p.stale?.parts ?? []) if (failOn.includes(`stale:${part}`)) found.add(`stale:${part}`);
      if (p.severity !== 'none' && failOn.includes(p.severity)) found.add(p.severity);
    }
    if (f.orphanStamps.length > 0 && failOn.includes('orphan')) found.add('orphan');
  }
  for (const d of report.diagnostics) if (failOn.includes(d.severity)) found.add(d.severity);
  return [...found];
}

function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
}
