/**
 * UTF-8 text that was once decoded as Mac Roman and saved again (`à` → `√†`, `🤔` → `ü§î`).
 * Each UTF-8 byte of 0x80–0xFF became one Mac Roman character, so a run of such characters
 * that re-encodes to valid multi-byte UTF-8 is almost surely damage.
 */
const MAC_ROMAN_HIGH =
  'ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u00A0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uF8FFÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ';

const BYTE = new Map<string, number>([...MAC_ROMAN_HIGH].map((c, i) => [c, 0x80 + i]));
const RUN = new RegExp(`[${MAC_ROMAN_HIGH.replace(/[\]\\^-]/g, '\\$&')}]{2,}`, 'gu');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface Mojibake {
  /** Offset in the text. */
  index: number;
  damaged: string;
  repaired: string;
}

export function findMojibake(text: string): Mojibake[] {
  const found: Mojibake[] = [];
  for (const m of text.matchAll(RUN)) {
    // A run may hold several damaged characters and stray legitimate ones: decode greedily.
    const chars = [...m[0]];
    let i = 0;
    let offset = m.index;
    while (i < chars.length) {
      let matched = false;
      for (let len = Math.min(4, chars.length - i); len >= 2; len--) {
        const piece = chars.slice(i, i + len);
        const repaired = decode(piece);
        if (repaired !== undefined) {
          const damaged = piece.join('');
          found.push({ index: offset, damaged, repaired });
          offset += damaged.length;
          i += len;
          matched = true;
          break;
        }
      }
      if (!matched) {
        offset += chars[i]!.length;
        i++;
      }
    }
  }
  return found;
}

function decode(chars: string[]): string | undefined {
  const bytes = Uint8Array.from(chars, (c) => BYTE.get(c) ?? 0);
  try {
    const s = strictUtf8.decode(bytes);
    return [...s].length === 1 && plausible(s.codePointAt(0)!) ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Characters a French or English course plausibly contains. `’é` (common in French) would
 * otherwise decode to an Armenian letter.
 */
function plausible(cp: number): boolean {
  return (
    (cp >= 0xa0 && cp <= 0x24f) || // Latin-1 and Latin Extended
    (cp >= 0x2000 && cp <= 0x2bff) || // punctuation, arrows, maths, box drawing, symbols
    (cp >= 0xfe00 && cp <= 0xfe0f) || // emoji variation selectors
    (cp >= 0x1f000 && cp <= 0x1faff) // emoji
  );
}

export function repairMojibake(text: string): string {
  let out = '';
  let last = 0;
  for (const m of findMojibake(text)) {
    out += text.slice(last, m.index) + m.repaired;
    last = m.index + m.damaged.length;
  }
  return out + text.slice(last);
}
