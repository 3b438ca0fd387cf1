import type { DeckVerification, SlideVerification, VerificationRun, VerifiedState } from '../model/annotation.ts';
import type { Deck } from '../model/deck.ts';
import type { VerifyEvent } from './events.ts';
import { unitFromDeck } from './extract.ts';
import type { Report } from './report/read.ts';
import { failureLine, firstFailure, summarize, type SlideResult } from './report/summary.ts';
import type { SlidePlan } from './step.ts';

type UnitStart = Extract<VerifyEvent, { type: 'unit-start' }>;

/** The newest report (by the time the deck's unit started) that verified this deck, and that unit's start. */
export function latestReportFor(deckId: string, reports: readonly Report[]): { report: Report; start: UnitStart } | undefined {
  let best: { report: Report; start: UnitStart } | undefined;
  for (const report of reports)
    for (const e of report.events)
      if (e.type === 'unit-start' && e.unit === deckId && (!best || e.time > best.start.time)) best = { report, start: e };
  return best;
}

/**
 * The verdict of each lab slide of a deck (a slide with steps or a `skip`, in the deck as it is
 * now) from the newest report that verified it: pass, fail (first failing step, first line of
 * its error, screen), stale when what the slide runs changed since (plan hash), none when not
 * verified (and why). Undefined for a deck with no lab. Pure: the reports come read.
 */
export function deckVerification(deck: Deck, root: string, reports: readonly Report[]): DeckVerification | undefined {
  const found = latestReportFor(deck.id, reports);
  // The plan the report's hashes were made from: with console transcripts if that run replayed them.
  const plan = unitFromDeck(deck, root, found?.start.transcripts === true);
  if (plan.slides.length === 0) return undefined;
  const run: VerificationRun | undefined = found && {
    run: found.start.run,
    time: found.start.time,
    ...(found.start.kubernetes ? { kubernetes: found.start.kubernetes } : {}),
    ...(found.start.nodes ? { nodes: found.start.nodes } : {}),
  };
  const results = found ? (summarize(found.report.events).units.find((u) => u.id === deck.id)?.slides ?? []) : [];
  const byId = new Map(results.map((r) => [r.slide.id, r]));
  const slides = new Map<string, SlideVerification>();
  const counts: Record<VerifiedState, number> = { pass: 0, fail: 0, stale: 0, none: 0 };
  for (const sp of plan.slides) {
    const v = run ? slideVerdict(sp, byId.get(sp.slide.id), run) : { state: 'none' as const, notRun: 'no-report' as const };
    slides.set(sp.slide.id, v);
    counts[v.state]++;
  }
  const state: VerifiedState = counts.fail ? 'fail' : counts.stale ? 'stale' : counts.pass ? 'pass' : 'none';
  return { state, ...(run ? { run } : {}), counts, slides };
}

function slideVerdict(sp: SlidePlan, result: SlideResult | undefined, run: VerificationRun): SlideVerification {
  if (sp.skip !== undefined) return { state: 'none', run, notRun: 'skip', skip: sp.skip };
  if (!result) return { state: 'none', run, notRun: 'not-in-run' };
  const said = ran(result);
  // A report older than the slide's commands says nothing about them (reports without hashes included).
  if (result.slide.hash !== sp.slide.hash) return { state: 'stale', run, was: said.state === 'pass' || said.state === 'fail' ? said.state : 'none' };
  return { ...said, run };
}

/** What the run itself said of the slide. */
function ran(result: SlideResult): SlideVerification {
  if (result.status === 'passed') return { state: 'pass' };
  const failed = firstFailure(result);
  if (failed)
    return {
      state: 'fail',
      failure: { step: failed.step.text, file: failed.step.file, line: failed.step.line, error: failureLine(failed), ...(failed.screen !== undefined ? { screen: failed.screen } : {}) },
    };
  const reason = result.steps[0]?.reason ?? '';
  return { state: 'none', notRun: reason.startsWith('not run: interrupted') || reason === 'not run: quit' ? 'interrupted' : reason.startsWith('not run:') ? 'after-failure' : 'not-in-run' };
}

