import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignShards, parseShard } from '../../src/verify/shard.ts';
import { labdeck } from '../cli/run.ts';
import { COURSE_DECKS } from './course-fixture.ts';

describe('--shard i/n', () => {
  it.each([
    ['0/3', 'shards are counted from 1'],
    ['4/3', 'there are only 3 shards'],
    ['a/b', 'expected i/n, two whole numbers'],
    ['1/0', 'the number of shards must be at least 1'],
    ['2', 'expected i/n'],
    ['1/3/4', 'expected i/n'],
    ['-1/3', 'expected i/n'],
  ])('refuses %s: %s', (text, message) => {
    const r = parseShard(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(`--shard ${text}: ${message}`);
      expect(r.hint).toContain('--shard 1/3');
    }
  });

  it('reads 1/1, 2/3 and 3/3', () => {
    expect(parseShard('1/1')).toEqual({ ok: true, shard: { index: 1, total: 1 } });
    expect(parseShard('2/3')).toEqual({ ok: true, shard: { index: 2, total: 3 } });
    expect(parseShard(' 3 / 3 ')).toEqual({ ok: true, shard: { index: 3, total: 3 } });
  });

  it.each(['0/3', '4/3', 'a/b'])('the command refuses --shard %s with exit 2, before reading any deck', async (text) => {
    const r = await labdeck('verify', 'no/such/deck.yml', '--shard', text);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`error: --shard ${text.replace('/', '\\/')}: `));
    expect(r.stderr).not.toContain('no such file');
  });

  it('refuses --durations without --shard, and a --durations report it cannot read, with file and position', async () => {
    const alone = await labdeck('verify', ...COURSE_DECKS, '--durations', 'x.jsonl');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--durations balances shards: give it with --shard i/n');
    const unreadable = await labdeck('verify', ...COURSE_DECKS, '--shard', '1/2', '--durations', 'package.json');
    expect(unreadable.code).toBe(2);
    // A pretty-printed JSON file is not JSON lines: its first line, `{`, is refused where it stops.
    expect(unreadable.stderr).toContain("package.json:1:2: error: not JSON: ");
  });
});

const units = fc.uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), steps: fc.integer({ min: 0, max: 400 }) }), { selector: (u) => u.id, minLength: 1, maxLength: 40 });

describe('sharing units out', () => {
  it('gives every unit to exactly one shard in 1..n, whatever the order the units come in', () => {
    fc.assert(
      fc.property(units, fc.integer({ min: 1, max: 8 }), fc.integer(), (list, n, seed) => {
        const shards = assignShards(list, n);
        expect(shards).toHaveLength(list.length);
        for (const s of shards) expect(s >= 1 && s <= n).toBe(true);
        // Deterministic: another order of the same units gives each the same shard.
        const shuffled = [...list].sort((a, b) => ((a.id.charCodeAt(0) * seed) % 7) - ((b.id.charCodeAt(0) * seed) % 7) || a.id.localeCompare(b.id));
        const again = assignShards(shuffled, n);
        const byId = new Map(shuffled.map((u, i) => [u.id, again[i]]));
        list.forEach((u, i) => expect(byId.get(u.id)).toBe(shards[i]));
      }),
    );
  });

  it('balances by step count within Graham’s bound for longest-first: at most (4/3 − 1/3n) of the best split', () => {
    /** The best split's heaviest shard, by trying every split (small cases only). */
    const best = (weights: number[], n: number): number => {
      const load = new Array<number>(n).fill(0);
      let min = Infinity;
      const place = (i: number) => {
        const max = Math.max(...load);
        if (max >= min) return;
        if (i === weights.length) return void (min = max);
        for (let s = 0; s < n; s++) {
          load[s]! += weights[i]!;
          place(i + 1);
          load[s]! -= weights[i]!;
          if (load[s] === 0) break; // empty shards are interchangeable
        }
      };
      place(0);
      return min;
    };
    const small = fc.uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), steps: fc.integer({ min: 0, max: 400 }) }), { selector: (u) => u.id, minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(small, fc.integer({ min: 1, max: 4 }), (list, n) => {
        const shards = assignShards(list, n);
        const load = new Array<number>(n + 1).fill(0);
        list.forEach((u, i) => (load[shards[i]!]! += u.steps));
        const optimum = best([...list.map((u) => u.steps)].sort((a, b) => b - a), n);
        expect(Math.max(...load)).toBeLessThanOrEqual((4 / 3 - 1 / (3 * n)) * optimum + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('balances by the durations of an earlier run when given: a deck known to be slow gets a shard of its own', () => {
    const decks = [
      { id: 'a', steps: 10 },
      { id: 'b', steps: 10 },
      { id: 'c', steps: 10 },
      { id: 'd', steps: 10 },
    ];
    // By steps: two decks per shard.
    expect(assignShards(decks, 2)).toEqual([1, 2, 1, 2]);
    // `c` took ten minutes last time, the others one: c alone, the three others together.
    const shards = assignShards(decks, 2, new Map([['a', 60_000], ['b', 60_000], ['c', 600_000], ['d', 60_000]]));
    expect(shards[2]).toBe(1);
    expect(shards.filter((s) => s === 2)).toHaveLength(3);
    // A deck the earlier run did not have is weighed at that run's time per step.
    const partial = assignShards([...decks, { id: 'new', steps: 100 }], 2, new Map([['a', 1000], ['b', 1000], ['c', 1000], ['d', 1000]]));
    expect(partial[4]).toBe(1);
    expect(partial.slice(0, 4)).toEqual([2, 2, 2, 2]);
  });
});
