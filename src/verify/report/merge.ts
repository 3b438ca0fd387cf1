import { error, warning, type Diagnostic } from '../../model/diagnostic.ts';
import type { MergedFrom, UnitRef, VerifyEvent } from '../events.ts';
import type { Report } from './read.ts';

export interface MergeResult {
  /** The merged event stream, as one run of every unit would have written it; empty when refused. */
  events: VerifyEvent[];
  /** Errors refuse the merge; warnings say what the merged report lacks or mixes. */
  diagnostics: Diagnostic[];
}

type RunStart = Extract<VerifyEvent, { type: 'run-start' }>;

/** The units the report's run was part of: every shard's when sharded, else its own. */
const selectionOf = (r: RunStart): UnitRef[] => r.shard?.of ?? r.units;
const names = (ids: Iterable<string>) => [...ids].join(', ') || 'nothing';
const shardName = (r: RunStart) => (r.shard ? `shard ${r.shard.index}/${r.shard.total}` : 'an unsharded run');

/**
 * Merges the reports of the shards of one run (`verify --shard i/n`) into one report, as
 * Playwright's merge-reports does: every view (JUnit, HTML, the marks in a deck) is then made
 * from the merged events as from a single run. Refused: reports of different decks, of different
 * shard counts, the same shard or the same deck twice. Warned: different labdeck versions, a deck
 * whose labs differ between the reports, decks no report verified.
 */
export function mergeReports(reports: readonly Report[]): MergeResult {
  const diagnostics: Diagnostic[] = [];
  const at = (r: Report) => ({ file: r.file, line: 1, column: 1 });
  if (reports.length === 0) return { events: [], diagnostics: [error('verify/merge', { file: '-', line: 1, column: 1 }, 'no report to merge', 'name the shard reports: labdeck verify merge shard-1.jsonl shard-2.jsonl …')] };
  const [first] = reports as [Report, ...Report[]];

  const versions = new Map<string, string[]>();
  for (const r of reports) versions.set(r.runStart.labdeck ?? 'unknown', [...(versions.get(r.runStart.labdeck ?? 'unknown') ?? []), r.file]);
  if (versions.size > 1)
    diagnostics.push(
      warning('verify/merge-version', at(first), `reports of different labdeck versions: ${[...versions].map(([v, files]) => `${v} (${files.join(', ')})`).join('; ')}`, 'run every shard with the same labdeck version; the merged report may mix step semantics'),
    );

  const expected = selectionOf(first.runStart);
  const expectedIds = new Set(expected.map((u) => u.id));
  for (const r of reports.slice(1)) {
    const ids = new Set(selectionOf(r.runStart).map((u) => u.id));
    const onlyHere = [...ids].filter((id) => !expectedIds.has(id));
    const onlyFirst = [...expectedIds].filter((id) => !ids.has(id));
    if (onlyHere.length || onlyFirst.length)
      diagnostics.push(
        error(
          'verify/merge-decks',
          at(r),
          `reports of different decks: ${r.file} shares out ${names(ids)}; ${first.file} shares out ${names(expectedIds)}${onlyHere.length ? ` (only in ${r.file}: ${names(onlyHere)})` : ''}${onlyFirst.length ? ` (only in ${first.file}: ${names(onlyFirst)})` : ''}`,
          'merge the shards of one `labdeck verify <decks> --shard i/n` run: every shard given the same decks',
        ),
      );
    if ((r.runStart.shard?.total ?? 1) !== (first.runStart.shard?.total ?? 1))
      diagnostics.push(error('verify/merge-shards', at(r), `${r.file} is ${shardName(r.runStart)}, ${first.file} is ${shardName(first.runStart)}: not shards of one run`, 'give every shard the same n in --shard i/n'));
  }
  for (const u of expected)
    for (const r of reports) {
      const other = selectionOf(r.runStart).find((x) => x.id === u.id);
      if (other && other.hash !== u.hash) diagnostics.push(warning('verify/merge-changed', at(r), `${u.id} is not the same deck in ${r.file} and ${first.file}: its labs changed between the runs`, 'run every shard on the same commit; slides whose labs differ will show as stale'));
    }

  const bySelf = new Map<number, Report>();
  for (const r of reports) {
    const index = r.runStart.shard?.index ?? 1;
    const twin = bySelf.get(index);
    if (twin) diagnostics.push(error('verify/merge-twice', at(r), `${r.file} and ${twin.file} are both ${shardName(r.runStart)}`, 'give each shard report once'));
    else bySelf.set(index, r);
  }
  const owner = new Map<string, Report>();
  for (const r of reports)
    for (const u of r.runStart.units) {
      const twin = owner.get(u.id);
      if (twin) diagnostics.push(error('verify/merge-twice', at(r), `${u.id} was verified by both ${twin.file} and ${r.file}`, 'merge the shards of one run, each once; a deck is verified by one shard only'));
      else owner.set(u.id, r);
    }
  if (diagnostics.some((d) => d.severity === 'error')) return { events: [], diagnostics };

  const total = first.runStart.shard?.total ?? 1;
  const missingShards = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !bySelf.has(i));
  const unverified = expected.filter((u) => !owner.has(u.id)).map((u) => u.id);
  if (missingShards.length || unverified.length)
    diagnostics.push(
      warning(
        'verify/merge-missing',
        at(first),
        `${missingShards.length ? `shard${missingShards.length === 1 ? '' : 's'} ${missingShards.map((i) => `${i}/${total}`).join(', ')} missing; ` : ''}${unverified.length ? `not verified by any report: ${names(unverified)}` : 'every deck was verified'}`,
        'add the missing shard reports; the merged report leaves those decks unverified',
      ),
    );

  const starts = reports.map((r) => r.runStart);
  const ends = reports.map((r) => r.events.find((e): e is Extract<VerifyEvent, { type: 'run-end' }> => e.type === 'run-end')!);
  const merged: MergedFrom[] = reports.map((r) => ({ file: r.file, run: r.runStart.run, ...(r.runStart.shard ? { shard: { index: r.runStart.shard.index, total: r.runStart.shard.total } } : {}) }));
  const run = starts.map((s) => s.run).join('+');
  const events: VerifyEvent[] = [
    { type: 'run-start', run, time: starts.map((s) => s.time).sort()[0]!, units: expected.filter((u) => owner.has(u.id)), labdeck: first.runStart.labdeck, merged },
  ];
  for (const u of expected) {
    const r = owner.get(u.id);
    if (r) for (const e of r.events) if (e.type !== 'run-start' && e.type !== 'run-end' && e.unit === u.id) events.push(e);
  }
  const status = ends.some((e) => e.status === 'interrupted') ? 'interrupted' : ends.some((e) => e.status === 'failed') ? 'failed' : 'passed';
  // Shards run side by side: the merged run took as long as the slowest.
  events.push({ type: 'run-end', run, status, durationMs: Math.max(...ends.map((e) => e.durationMs)) });
  return { events, diagnostics };
}
