import { resolveDeckRef } from '../../manifest/deck-ref.ts';
import { unwritableReason } from '../../shared/files.ts';

/** Default output next to the working folder, named after the deck: `kubernetes-en.pdf`. */
function outputFor(deckRef: string, extension: string): string {
  return `${deckRef.replace(/^.*\//, '').replace(/\.ya?ml$/, '')}.${extension}`;
}

/**
 * The deck a command names (an id or a manifest path) and the file it is to write (`--out`, else
 * `<deck>.<extension>`), once both are usable; otherwise undefined, `fail` having said why.
 */
export function deckAndOutput(deckRef: string, out: string | undefined, extension: string, fail: (message: string, hint: string) => void): { manifest: string; out: string } | undefined {
  const deck = resolveDeckRef(deckRef);
  if (!deck.ok) return void fail(deck.message, deck.hint);
  const file = out ?? outputFor(deckRef, extension);
  const reason = unwritableReason(file);
  if (reason) return void fail(`cannot write ${file}: ${reason}`, 'choose another --out path');
  return { manifest: deck.manifest, out: file };
}
