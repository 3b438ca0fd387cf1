import { packDeck, packedSlides } from '../../present/pack.ts';
import { countBySeverity, failer, printDiagnostics, type SetExit } from '../shared.ts';
import { deckAndOutput } from './deck-output.ts';

export interface PackFlags { out?: string }

export async function pack(deckRef: string, opts: PackFlags, setExit: SetExit): Promise<void> {
  const fail = failer(setExit);
  const target = deckAndOutput(deckRef, opts.out, 'zip', fail);
  if (!target) return;
  const { manifest, out } = target;
  let result;
  try {
    result = await packDeck(manifest, out);
  } catch (e) {
    return fail(`cannot write ${out}: ${(e as Error).message}`, 'nothing was written; choose another --out path');
  }
  if (!result.ok) {
    printDiagnostics(result.diagnostics);
    return fail(`the deck has errors (${countBySeverity(result.diagnostics)}); no zip written`, 'fix them, see labdeck lint');
  }
  process.stderr.write(`wrote ${out}: ${result.deck} (${packedSlides(result)}), ${result.files} files, ${(result.bytes / 1e6).toFixed(1)} MB; unzip and open ${result.deck}/${result.deck}.html\n`);
  setExit(0);
}
