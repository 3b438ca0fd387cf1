import { resolveDeckRef } from '../../manifest/deck-ref.ts';
import { unwritableReason } from '../../shared/files.ts';
import { packDeck, packedSlides } from '../../present/pack.ts';
import { countBySeverity, failer, outputFor, printDiagnostics, type SetExit } from '../shared.ts';

export interface PackFlags { out?: string }

export async function pack(deckRef: string, opts: PackFlags, setExit: SetExit): Promise<void> {
  const fail = failer(setExit);
  const deck = resolveDeckRef(deckRef);
  if (!deck.ok) return fail(deck.message, deck.hint);
  const out = opts.out ?? outputFor(deckRef, 'zip');
  const reason = unwritableReason(out);
  if (reason) return fail(`cannot write ${out}: ${reason}`, 'choose another --out path');
  let result;
  try {
    result = await packDeck(deck.manifest, out);
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
