import { readFileSync } from 'node:fs';
import { error, type Diagnostic } from '../../model/diagnostic.ts';
import type { VerifyEvent } from '../events.ts';

/** A verification report read back: the events `verify --json` wrote, one per line. */
export interface Report {
  /** Path as given. */
  file: string;
  events: VerifyEvent[];
  runStart: Extract<VerifyEvent, { type: 'run-start' }>;
}

export type ReportRead = { ok: true; report: Report } | { ok: false; diagnostic: Diagnostic };

type Field = 'string' | 'number' | 'object' | 'array';
const is = (value: unknown, field: Field) => (field === 'array' ? Array.isArray(value) : field === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value) : typeof value === field);

/** The fields every view relies on, per event type: a report missing one is refused, not half read. */
const REQUIRED: Record<VerifyEvent['type'], Record<string, Field>> = {
  'run-start': { run: 'string', time: 'string', units: 'array' },
  'unit-start': { unit: 'string', title: 'string', time: 'string' },
  slide: { unit: 'string', slide: 'object' },
  step: { unit: 'string', slide: 'object', step: 'object', status: 'string', durationMs: 'number' },
  'unit-end': { unit: 'string', status: 'string', durationMs: 'number' },
  'run-end': { run: 'string', status: 'string', durationMs: 'number' },
};
const EVENT_TYPES = new Set(Object.keys(REQUIRED) as VerifyEvent['type'][]);

/** What is wrong with an event's fields, if anything (slide references: id, number and title too). */
function missingField(event: Record<string, unknown>): string | undefined {
  for (const [name, field] of Object.entries(REQUIRED[event.type as VerifyEvent['type']])) if (!is(event[name], field)) return `"${name}" (${field})`;
  const slide = event.slide as Record<string, unknown> | undefined;
  if (slide && !(is(slide.id, 'string') && is(slide.number, 'number') && is(slide.title, 'string'))) return '"slide" with "id", "number" and "title"';
  const step = event.step as Record<string, unknown> | undefined;
  if (step && !(is(step.text, 'string') && is(step.file, 'string') && is(step.line, 'number'))) return '"step" with "text", "file" and "line"';
  if (event.type === 'run-start' && !(event.units as unknown[]).every((u) => is((u as Record<string, unknown>)?.id, 'string'))) return '"units" with an "id" each';
  return undefined;
}
const HINT_JSON = 'give the file `labdeck verify --json FILE` wrote (JSON lines, one event per line), or a merged one (`labdeck verify merge`)';
const HINT_TRUNCATED = 'the run was cut off while writing it (killed, disk full, upload cut short): run the verification again, or leave this report out';

/**
 * Parses a report; a line that is not JSON, or a report that stops before its `run-end` event,
 * is refused with the file, the line and the column where it goes wrong.
 */
export function parseReport(text: string, file: string): ReportRead {
  const bad = (line: number, column: number, message: string, hint = HINT_JSON): ReportRead => ({ ok: false, diagnostic: error('verify/report', { file, line, column }, message, hint) });
  const lines = text.split('\n');
  const events: VerifyEvent[] = [];
  let last = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      const cut = i === lines.length - 1 && !text.endsWith('\n');
      const message = (e as Error).message;
      const at = /position (\d+)/.exec(message);
      const token = /Unexpected token '(.)'/.exec(message);
      const column = at ? Number(at[1]) + 1 : token ? line.indexOf(token[1]!) + 1 : line.length + 1;
      // The error is at the very end of a last line with no newline: the writer was cut off there.
      if (cut && column > line.length)
        return bad(i + 1, column, `truncated: line ${i + 1} stops in the middle of an event`, HINT_TRUNCATED);
      return bad(i + 1, column, `not JSON: ${message.split('\n')[0]}`);
    }
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof type !== 'string' || !EVENT_TYPES.has(type as VerifyEvent['type']))
      return bad(i + 1, 1, `not a labdeck verify event (expected an object with "type": ${[...EVENT_TYPES].map((t) => `"${t}"`).join(', ')})`);
    if (events.length === 0 && type !== 'run-start') return bad(i + 1, 1, `not a labdeck verify report: it starts with a "${type}" event, not "run-start"`);
    const missing = missingField(value as Record<string, unknown>);
    if (missing) return bad(i + 1, 1, `not a labdeck verify event: this "${type}" event has no ${missing}`);
    events.push(value as VerifyEvent);
    last = i + 1;
  }
  if (events.length === 0) return bad(1, 1, 'empty: no event in this report');
  if (events.at(-1)!.type !== 'run-end') return bad(last, (lines[last - 1] ?? '').length + 1, `truncated: the report stops after line ${last} without its "run-end" event`, HINT_TRUNCATED);
  return { ok: true, report: { file, events, runStart: events[0] as Report['runStart'] } };
}

export function readReport(file: string): ReportRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, diagnostic: error('verify/report', { file, line: 1, column: 1 }, code === 'ENOENT' ? 'no such report' : `cannot read this report: ${(e as Error).message}`, HINT_JSON) };
  }
  return parseReport(text, file);
}
