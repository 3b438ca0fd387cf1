import { shapeSimilarity, KIND_WEIGHT, type Fingerprint } from './fingerprint.ts';

/** How a pair was found, strongest first. */
export type Via = 'id' | 'stamp' | 'sequence' | 'move' | 'shape';

export interface AlignedPair {
  en?: number;
  fr?: number;
  via?: Via;
  /** Feature similarity 0…1 (1 for id and stamp pairs whose content also matches). */
  similarity: number;
}

export interface Anchor {
  en: number;
  fr: number;
  via: 'id' | 'stamp';
}

/** Tuned on the seed pair and the synthetic edits in tests/parity: see docs/PARITY.md. */
export const ALIGN = {
  /** Minimum similarity for two slides to pair in sequence. */
  match: 0.22,
  /** Small pull towards the diagonal, to break ties between equally similar slides. */
  diagonal: 0.05,
  /** A pair out of sequence (a moved slide) needs stronger evidence. */
  move: 0.3,
  /** Between two pairs, as many unmatched slides on both sides and of the same shape pair up (prose-only slides). */
  shape: 0.85,
} as const;

/**
 * Pairs English slides with French ones: explicit anchors (shared `name:`, stamps) first, then
 * a Needleman–Wunsch alignment of what is left between anchors over language-neutral features,
 * then moved slides, then same-shaped leftovers between two pairs.
 * Returns every slide of both sides once, in reading order of the English with French-only
 * slides after the pair that precedes them in French.
 */
export function alignSlides(en: readonly Fingerprint[], fr: readonly Fingerprint[], anchors: readonly Anchor[] = []): AlignedPair[] {
  const sim = new SimilarityIndex(en, fr);
  const enTo = new Int32Array(en.length).fill(-1);
  const frTo = new Int32Array(fr.length).fill(-1);
  const via = new Map<number, Via>();
  const link = (e: number, f: number, how: Via) => {
    enTo[e] = f;
    frTo[f] = e;
    via.set(e, how);
  };
  for (const a of anchors) if (enTo[a.en] === -1 && frTo[a.fr] === -1) link(a.en, a.fr, a.via);

  // Sequence alignment inside each gap of the anchor chain.
  const chain = increasingChain(enTo);
  for (const [e0, e1, f0, f1] of gaps(chain, en.length, fr.length)) {
    const es = range(e0, e1).filter((e) => enTo[e] === -1);
    const fs = range(f0, f1).filter((f) => frTo[f] === -1);
    const score = (e: number, f: number) => {
      const s = sim.get(e, f);
      if (s === 0) return -ALIGN.match;
      const drift = Math.abs(e / Math.max(1, en.length) - f / Math.max(1, fr.length));
      return s + ALIGN.diagonal * (1 - drift) - ALIGN.match;
    };
    for (const [e, f] of needlemanWunsch(es, fs, score)) link(e, f, 'sequence');
  }

  // Moved slides: strong pairs among what is left, best first.
  const moves: [number, number, number][] = [];
  for (let e = 0; e < en.length; e++) {
    if (enTo[e] !== -1) continue;
    for (const [f, s] of sim.row(e)) if (frTo[f] === -1 && s >= ALIGN.move) moves.push([s, e, f]);
  }
  moves.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  for (const [, e, f] of moves) if (enTo[e] === -1 && frTo[f] === -1) link(e, f, 'move');

  // Prose-only slides between two pairs: same shape and place is the best evidence there is.
  for (const [e0, e1, f0, f1] of gaps(increasingChain(enTo), en.length, fr.length)) {
    const es = range(e0, e1).filter((e) => enTo[e] === -1);
    const fs = range(f0, f1).filter((f) => frTo[f] === -1);
    // Only a hole with as many slides on both sides: elsewhere, place says nothing.
    if (es.length === 0 || es.length !== fs.length) continue;
    const score = (e: number, f: number) => {
      const shape = shapeSimilarity(en[e]!, fr[f]!);
      return shape < ALIGN.shape ? -1 : shape - ALIGN.shape + sim.get(e, f) + 0.01;
    };
    for (const [e, f] of needlemanWunsch(es, fs, score)) link(e, f, 'shape');
  }

  return ordered(enTo, frTo, (e) => {
    const f = enTo[e]!;
    const how = via.get(e)!;
    return { en: e, fr: f, via: how, similarity: sim.get(e, f) };
  });
}

function ordered(enTo: Int32Array, frTo: Int32Array, pair: (e: number) => AlignedPair): AlignedPair[] {
  const keyed: { key: number; sub: number; pair: AlignedPair }[] = [];
  for (let e = 0; e < enTo.length; e++) keyed.push({ key: e, sub: 0, pair: enTo[e] === -1 ? { en: e, similarity: 0 } : pair(e) });
  let after = -1;
  for (let f = 0; f < frTo.length; f++) {
    if (frTo[f] !== -1) after = Math.max(after, frTo[f]!);
    else keyed.push({ key: after + 0.5, sub: f, pair: { fr: f, similarity: 0 } });
  }
  keyed.sort((a, b) => a.key - b.key || a.sub - b.sub);
  return keyed.map((k) => k.pair);
}

const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

/** The longest run of pairs that is increasing on both sides: the order both languages agree on. */
export function increasingChain(enTo: Int32Array): [number, number][] {
  const pairs: [number, number][] = [];
  for (let e = 0; e < enTo.length; e++) if (enTo[e] !== -1) pairs.push([e, enTo[e]!]);
  // Patience sorting on the French index (English is already increasing).
  const tails: number[] = [];
  const prev = new Int32Array(pairs.length).fill(-1);
  for (let i = 0; i < pairs.length; i++) {
    const f = pairs[i]![1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]![1] < f) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const chain: [number, number][] = [];
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i !== -1; i = prev[i]!) chain.push(pairs[i]!);
  return chain.reverse();
}

/** `[enStart, enEnd, frStart, frEnd)` between consecutive chain pairs, ends included. */
function gaps(chain: [number, number][], n: number, m: number): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  let pe = -1;
  let pf = -1;
  for (const [e, f] of [...chain, [n, m] as [number, number]]) {
    if (e - pe > 1 || f - pf > 1) out.push([pe + 1, e, pf + 1, f]);
    pe = e;
    pf = f;
  }
  return out;
}

/**
 * Global alignment maximising the sum of pair scores; gaps cost nothing, so a pair is made only
 * where its score is positive and it keeps both orders.
 */
export function needlemanWunsch(a: readonly number[], b: readonly number[], score: (x: number, y: number) => number): [number, number][] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  const trace = new Uint8Array((n + 1) * (m + 1)); // 0 diag, 1 up (skip a), 2 left (skip b)
  let prev = new Float64Array(m + 1);
  let cur = new Float64Array(m + 1);
  for (let j = 1; j <= m; j++) trace[j] = 2;
  for (let i = 1; i <= n; i++) {
    cur[0] = 0;
    trace[i * (m + 1)] = 1;
    const x = a[i - 1]!;
    for (let j = 1; j <= m; j++) {
      const s = score(x, b[j - 1]!);
      let best = prev[j]!;
      let t = 1;
      if (cur[j - 1]! > best) {
        best = cur[j - 1]!;
        t = 2;
      }
      if (s > 0 && prev[j - 1]! + s > best) {
        best = prev[j - 1]! + s;
        t = 0;
      }
      cur[j] = best;
      trace[i * (m + 1) + j] = t;
    }
    [prev, cur] = [cur, prev];
  }
  const out: [number, number][] = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const t = trace[i * (m + 1) + j];
    if (t === 0) {
      out.push([a[i - 1]!, b[j - 1]!]);
      i--;
      j--;
    } else if (t === 1) i--;
    else j--;
  }
  return out.reverse();
}

/**
 * Weighted Dice similarity over fingerprint tokens, with tokens frequent in these two files
 * (`kubectl`, `pod`) weighing less. Language-neutral tokens decide; prose words shared by both
 * languages (names, jargon) only add a little. Only pairs sharing a token are computed.
 */
export class SimilarityIndex {
  private readonly rows: Map<number, number>[];

  constructor(en: readonly Fingerprint[], fr: readonly Fingerprint[]) {
    const df = new Map<string, number>();
    for (const fp of [...en, ...fr]) for (const t of fp.tokens.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const total = en.length + fr.length;
    const weight = (t: string) => (KIND_WEIGHT[t[0]!] ?? 1) * Math.log(1 + total / (df.get(t) ?? 1));
    const mass = (fp: Fingerprint): [number, number] => {
      const m: [number, number] = [0, 0];
      for (const [t, c] of fp.tokens) m[t[0] === 'w' ? 1 : 0] += c * weight(t);
      return m;
    };
    const enMass = en.map(mass);
    const frMass = fr.map(mass);
    const postings = new Map<string, [number, number][]>();
    fr.forEach((fp, f) => {
      for (const [t, c] of fp.tokens) {
        let list = postings.get(t);
        if (!list) postings.set(t, (list = []));
        list.push([f, c]);
      }
    });
    this.rows = en.map((fp, e) => {
      const inter = new Map<number, [number, number]>();
      for (const [t, c] of fp.tokens) {
        const list = postings.get(t);
        if (!list) continue;
        const w = weight(t);
        const k = t[0] === 'w' ? 1 : 0;
        for (const [f, cf] of list) {
          let acc = inter.get(f);
          if (!acc) inter.set(f, (acc = [0, 0]));
          acc[k] += Math.min(c, cf) * w;
        }
      }
      const row = new Map<number, number>();
      const [en0, en1] = enMass[e]!;
      for (const [f, [i0, i1]] of inter) {
        const [fr0, fr1] = frMass[f]!;
        const neutral = en0 + fr0 > 0 ? (2 * i0) / (en0 + fr0) : 0;
        const words = en1 + fr1 > 0 ? (2 * i1) / (en1 + fr1) : 0;
        const s = en0 + fr0 > 0 ? SIM.neutral * neutral + SIM.words * words : SIM.words * words;
        if (s > 0) row.set(f, s);
      }
      return row;
    });
  }

  get(e: number, f: number): number {
    return this.rows[e]?.get(f) ?? 0;
  }

  row(e: number): Map<number, number> {
    return this.rows[e] ?? new Map();
  }
}

const SIM = { neutral: 0.85, words: 0.15 } as const;
