import { isUtf8 } from 'node:buffer';

/** Where bytes stop being text: the first invalid UTF-8 sequence or NUL byte, 1-based line and column. */
export interface NotText {
  reason: 'not-utf8' | 'nul';
  /** 0-based byte offset of the offending byte. */
  byte: number;
  line: number;
  column: number;
  /** The byte itself, `0xC3`. */
  hex: string;
}

/**
 * Bytes as UTF-8 text, or where they stop being text. A NUL byte counts as binary: no course
 * file holds one, and decoding would carry it into pages. A BOM is kept (callers strip it).
 */
export function decodeText(bytes: Uint8Array): { text: string } | { notText: NotText } {
  const nul = bytes.indexOf(0);
  if (isUtf8(bytes)) {
    if (nul === -1) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
    return { notText: locate(bytes, nul, 'nul') };
  }
  const bad = firstInvalidByte(bytes);
  return { notText: nul !== -1 && nul < bad ? locate(bytes, nul, 'nul') : locate(bytes, bad, 'not-utf8') };
}

/** One line for a diagnostic: what is wrong with the bytes at that place. */
export function describeNotText(n: NotText): string {
  return n.reason === 'nul' ? `a NUL byte (binary data) at line ${n.line}, column ${n.column}` : `invalid UTF-8: byte ${n.hex} at line ${n.line}, column ${n.column}`;
}

function locate(bytes: Uint8Array, byte: number, reason: NotText['reason']): NotText {
  const lineStart = bytes.lastIndexOf(0x0a, byte - 1) + 1;
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < byte; i = bytes.indexOf(0x0a, i + 1)) line++;
  // Columns count characters, as every other position does: the line's text before the byte is valid.
  const column = Buffer.from(bytes.buffer, bytes.byteOffset + lineStart, byte - lineStart).toString('utf8').length + 1;
  return { reason, byte, line, column, hex: `0x${bytes[byte]!.toString(16).toUpperCase().padStart(2, '0')}` };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += n + 1;
  }
  return b.length;
}
