import type { SlideText } from './text.ts';

/**
 * The language-neutral features of a slide: what a translator copies rather than translates.
 * Tokens are prefixed by their kind; the prefix chooses the weight.
 */
export interface Fingerprint {
  tokens: Map<string, number>;
  /** Prose word count, for the length ratio of a translation. */
  words: number;
  /** Shape used when there is nothing language-neutral to compare. */
  shape: Shape;
}

export interface Shape {
  classes: string;
  fragments: number;
  labs: number;
  code: number;
  lines: number;
  chapterTitle: boolean;
}

/** Weight of each token kind: a whole command line says far more than a shared word. */
export const KIND_WEIGHT: Readonly<Record<string, number>> = {
  c: 2, // a code line
  t: 0.6, // a token of a code line
  i: 2, // inline code
  u: 3, // link target
  m: 3, // image
  n: 1.5, // number in the prose
  d: 3, // directive
  k: 1.5, // class
  l: 0.5, // lab box
  h: 3, // opens a chapter
  w: 0.4, // prose word shared by both languages (names, jargon)
  T: 1, // word of the title shared by both languages ("Scaling", "application")
};

export function fingerprint(text: SlideText): Fingerprint {
  const tokens = new Map<string, number>();
  const add = (token: string) => tokens.set(token, (tokens.get(token) ?? 0) + 1);
  for (const code of text.code) {
    for (const raw of code.value.split('\n')) {
      const line = raw.trim().replace(/^\$\s+/, '');
      if (line === '') continue;
      add(`c:${line}`);
      // `deploy/pingpong` and `deployment pingpong`, `--replicas=3` and `--replicas 3` share tokens.
      for (const tok of line.split(/[\s/=,:]+/)) if (tok !== '') add(`t:${tok}`);
    }
  }
  for (const v of text.inlineCode) add(`i:${v.trim()}`);
  for (const u of text.urls) add(`u:${u}`);
  for (const m of text.images) add(`m:${m}`);
  for (const n of text.numbers) add(`n:${n}`);
  for (const d of text.directives) add(`d:${d}`);
  for (const k of text.classes) add(`k:${k}`);
  for (let i = 0; i < text.labs; i++) add('l:');
  if (text.chapterTitle) add('h:');
  for (const w of text.words) if (w.length >= 4) add(`w:${w}`);
  for (const w of text.titleWords) if (w.length >= 4) add(`T:${w}`);
  return {
    tokens,
    words: text.words.length,
    shape: {
      classes: text.classes.join(','),
      fragments: text.fragments,
      labs: text.labs,
      code: text.code.length,
      lines: text.lines.length,
      chapterTitle: text.chapterTitle,
    },
  };
}

/**
 * How alike two slides look without reading their language, 0…1.
 * 1 only when everything that should not be translated is identical and the shapes agree.
 */
export function shapeSimilarity(a: Fingerprint, b: Fingerprint): number {
  const checks = [
    a.shape.classes === b.shape.classes,
    a.shape.fragments === b.shape.fragments,
    a.shape.labs === b.shape.labs,
    a.shape.code === b.shape.code,
    a.shape.chapterTitle === b.shape.chapterTitle,
    // French runs 10–30 % longer than English; far outside that, it is another text.
    plausibleLength(a.words, b.words),
    Math.abs(a.shape.lines - b.shape.lines) <= Math.max(2, 0.3 * Math.max(a.shape.lines, b.shape.lines)),
  ];
  return checks.filter(Boolean).length / checks.length;
}

function plausibleLength(en: number, fr: number): boolean {
  if (en < 8 && fr < 8) return true;
  const ratio = (fr + 1) / (en + 1);
  return ratio >= 0.6 && ratio <= 2.2;
}
