import cliProgress from 'cli-progress';
import { hasErrors } from '../../model/diagnostic.ts';
import { BrowserMissingError } from '../../shared/browser.ts';
import { resolveDeckRef } from '../../manifest/deck-ref.ts';
import { checkLayout } from '../../present/layout-check.ts';
import { countBySeverity, failer, printDiagnostics, type SetExit } from '../shared.ts';

export async function layout(deckRef: string, setExit: SetExit): Promise<void> {
  const fail = failer(setExit);
  const deck = resolveDeckRef(deckRef);
  if (!deck.ok) return fail(deck.message, deck.hint);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: 'checking layout {bar} {value}/{total} slides', stream: process.stderr, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : undefined;
  let started = false;
  try {
    const report = await checkLayout(deck.manifest, (done, total) => {
      if (!started) bar?.start(total, 0);
      started = true;
      bar?.update(done);
    });
    bar?.stop();
    printDiagnostics(report.diagnostics);
    if (!report.built) return fail('the deck does not build; layout not checked', 'fix the errors above (labdeck lint)');
    // A wrapped title, covered text or a cut code line is a warning in the listing, but still a
    // failure here; a code line that wraps (marked on the slide) is only a note.
    const failing = hasErrors(report.diagnostics) || report.diagnostics.some((d) => d.severity === 'warning');
    process.stderr.write(`${report.slides} slides checked: ${countBySeverity(report.diagnostics)}\n`);
    setExit(failing ? 1 : 0);
  } catch (e) {
    bar?.stop();
    if (e instanceof BrowserMissingError) return fail(e.message, e.hint);
    throw e;
  }
}
