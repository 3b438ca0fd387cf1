import { describe, expect, it } from 'vitest';
import { emojiCodePoints } from '../../src/render/emoji.ts';

describe('emoji a page shows (the font face covers only those)', () => {
  it('finds pictographic emoji among text, and nothing in text without them', () => {
    expect(emojiCodePoints('<p>kubectl get pods</p>'.repeat(1000))).toEqual([]);
    expect(emojiCodePoints('Déjà vu — « élève » © 2024 ®')).toEqual([]);
    expect(emojiCodePoints('<p>Hmm 🤔 and 🚀, é</p>')).toEqual([0x1f680, 0x1f914]);
  });

  it('takes a text-style character asked for as emoji (U+FE0F), ZWJ sequences and flags', () => {
    expect(emojiCodePoints('©\uFE0F')).toEqual([0xa9, 0xfe0f]);
    expect(emojiCodePoints('x👩\u200D💻x')).toEqual([0x200d, 0x1f469, 0x1f4bb]);
    expect(emojiCodePoints('🇫🇷')).toEqual([0x1f1eb, 0x1f1f7]);
    // A lone selector or joiner draws nothing.
    expect(emojiCodePoints('a\uFE0Fb\u200Dc')).toEqual([]);
  });
});
