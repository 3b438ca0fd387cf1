import cliProgress from 'cli-progress';
import { BrowserMissingError } from '../../shared/browser.ts';
import { exportPdf } from '../../present/export-pdf.ts';
import { countBySeverity, failer, printDiagnostics, type SetExit } from '../shared.ts';
import { deckAndOutput } from './deck-output.ts';

const PHASES = ['build', 'layout', 'print', 'done'] as const;

/** Phases of one export on a terminal (build, layout, print); plain lines when piped. */
function phaseBar() {
  if (!process.stderr.isTTY) return { phase: (p: string, n: number) => p !== 'done' && process.stderr.write(`${p}${n ? ` (${n} slides)` : ''}…\n`), stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: 'exporting {bar} {phase} | {slides} slides | {duration}s', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(PHASES.length - 1, 0, { phase: 'build', slides: '?' });
  return {
    phase: (p: (typeof PHASES)[number], n: number) => bar.update(PHASES.indexOf(p), { phase: p, slides: n || '?' }),
    stop: () => bar.stop(),
  };
}

export interface PdfFlags { out?: string; steps?: boolean; notes?: boolean; extraDetails: boolean }

export async function pdf(deckRef: string, opts: PdfFlags, setExit: SetExit): Promise<void> {
  const fail = failer(setExit);
  const target = deckAndOutput(deckRef, opts.out, 'pdf', fail);
  if (!target) return;
  const { manifest, out } = target;
  const bar = phaseBar();
  const started = performance.now();
  try {
    const result = await exportPdf({
      manifest,
      out,
      steps: opts.steps ? 'separate' : 'collapse',
      notes: opts.notes === true,
      extraDetails: opts.extraDetails,
      onPhase: bar.phase,
    });
    bar.stop();
    if (!result.ok) {
      printDiagnostics(result.diagnostics);
      return fail(`the deck has errors (${countBySeverity(result.diagnostics)}); no PDF written`, 'fix them, see labdeck lint');
    }
    process.stderr.write(`wrote ${out}: ${result.pages} pages from ${result.slides} slides in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    setExit(0);
  } catch (e) {
    bar.stop();
    if (e instanceof BrowserMissingError) return fail(e.message, e.hint);
    return fail(`PDF export failed: ${(e as Error).message.split('\n')[0]}`, 'nothing was written; run again with a smaller deck to narrow it down');
  }
}
