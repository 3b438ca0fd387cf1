import { unitRef, type ShardInfo, type VerifyEvent } from './events.ts';
import type { Unit } from './step.ts';

/** `--shard i/n`: part `index` (1-based, as Playwright counts) of `total`. */
export interface Shard {
  index: number;
  total: number;
}

export type ShardParse = { ok: true; shard: Shard } | { ok: false; message: string; hint: string };

const SHARD_HINT = 'write --shard i/n with whole numbers, 1 ≤ i ≤ n: --shard 1/3, --shard 2/3, --shard 3/3';

/** Reads `i/n`; refuses `0/3`, `4/3`, `a/b` and anything else that is not two whole numbers with 1 ≤ i ≤ n. */
export function parseShard(text: string): ShardParse {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return { ok: false, message: `--shard ${text}: expected i/n, two whole numbers`, hint: SHARD_HINT };
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1) return { ok: false, message: `--shard ${text}: the number of shards must be at least 1`, hint: SHARD_HINT };
  if (index < 1) return { ok: false, message: `--shard ${text}: shards are counted from 1`, hint: SHARD_HINT };
  if (index > total) return { ok: false, message: `--shard ${text}: there are only ${total} shard${total === 1 ? '' : 's'}`, hint: SHARD_HINT };
  return { ok: true, shard: { index, total } };
}

/** A unit as the sharding sees it: its id, and the steps it runs (the weight when no duration is known). */
export interface Weighable {
  id: string;
  steps: number;
}

/**
 * Shares units out between `total` shards, a unit never split (its steps share one shell).
 * Weights are the durations of an earlier run when known (units it did not run are estimated at
 * its average time per step), step counts otherwise. Longest first, each to the least loaded
 * shard (ties: lower shard number); equal weights in id order. Deterministic: every shard
 * computes the same assignment from the same units and durations, so none runs twice or never.
 * Returns, for each unit in order, its shard number (1-based).
 */
export function assignShards(units: readonly Weighable[], total: number, durations: ReadonlyMap<string, number> = new Map()): number[] {
  const known = units.filter((u) => durations.has(u.id));
  const knownSteps = known.reduce((n, u) => n + u.steps, 0);
  const perStep = known.length > 0 && knownSteps > 0 ? known.reduce((n, u) => n + durations.get(u.id)!, 0) / knownSteps : 1;
  const weight = (u: Weighable) => durations.get(u.id) ?? u.steps * perStep;
  const order = units.map((u, i) => ({ i, id: u.id, w: weight(u) })).sort((a, b) => b.w - a.w || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.i - b.i));
  const load = new Array<number>(total).fill(0);
  const out = new Array<number>(units.length);
  for (const u of order) {
    let best = 0;
    for (let s = 1; s < total; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += u.w;
    out[u.i] = best + 1;
  }
  return out;
}

/** Unit id → duration (ms) from an earlier run's events (`unit-end`), for `assignShards`. */
export function unitDurations(events: readonly VerifyEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) if (e.type === 'unit-end') out.set(e.unit, e.durationMs);
  return out;
}

/** This shard's units (in the order given) and what its report says of the split (`run-start.shard`). */
export function shardUnits(units: readonly Unit[], shard: Shard, durations?: ReadonlyMap<string, number>): { mine: Unit[]; info: ShardInfo } {
  const refs = units.map(unitRef);
  const assigned = assignShards(refs, shard.total, durations);
  return { mine: units.filter((_, i) => assigned[i] === shard.index), info: { index: shard.index, total: shard.total, of: refs } };
}
