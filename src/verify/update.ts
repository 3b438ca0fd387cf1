import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch, diffArrays } from 'diff';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import { parseSource } from '../parse/index.ts';
import { writeFileAtomic } from '../shared/files.ts';
import type { VerifyEvent } from './events.ts';
import { compareOutput, normalizeOutput } from './match.ts';
import type { TranscriptOutput, Unit } from './step.ts';
import { parseTranscript } from './transcript.ts';

/** `labdeck verify --update`: the new output of a transcript command, to write in place of the old one. */
export interface OutputEdit {
  /** Path relative to `root`, as positions name it. */
  file: string;
  root: string;
  /** The command's position (for messages). */
  position: Position;
  transcript: TranscriptOutput;
  /** What the command printed, one entry per line, trailing spaces and edge blank lines removed. */
  lines: string[];
}

/** The transcript commands of a run whose output no longer matches their block. Pure. */
export function transcriptEdits(units: readonly Unit[], events: readonly VerifyEvent[]): { edits: OutputEdit[]; diagnostics: Diagnostic[] } {
  const edits: OutputEdit[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const e of events) {
    if (e.type !== 'step' || e.status !== 'passed' || e.step.index < 0) continue;
    const unit = units.find((u) => u.id === e.unit);
    const step = unit?.slides.find((s) => s.slide.id === e.slide.id)?.steps[e.step.index];
    if (!unit || step?.kind !== 'command' || !step.transcript || !step.output) continue;
    const output = e.output ?? '';
    if (compareOutput(step.output.text, output.replace(/`/g, '')) === undefined) continue;
    if (output.includes('`')) {
      diagnostics.push(error('verify/update', step.position, 'not updated: the new output contains backticks, which the slides read as highlight marks', 'edit this transcript by hand'));
      continue;
    }
    // A chapter listed twice in a deck runs twice: its block gets the last output.
    const same = edits.findIndex((x) => x.root === unit.root && x.file === step.position.file && x.transcript.start === step.transcript!.start);
    if (same !== -1) edits.splice(same, 1);
    edits.push({ file: step.position.file, root: unit.root, position: step.position, transcript: step.transcript, lines: merge(step.transcript.lines, outputLines(output)) });
  }
  return { edits, diagnostics };
}

/** The new output, keeping the author's line wherever it still matches (placeholders, aligned columns). */
function merge(expected: readonly string[], actual: readonly string[]): string[] {
  const key = (l: string) => normalizeOutput(l.replace(/`/g, ''));
  const out: string[] = [];
  let [i, j] = [0, 0];
  for (const c of diffArrays(expected.map(key), actual.map(key))) {
    const n = c.value.length;
    if (c.added) out.push(...actual.slice(j, (j += n)));
    else if (c.removed) i += n;
    else {
      out.push(...expected.slice(i, i + n));
      i += n;
      j += n;
    }
  }
  return out;
}

function outputLines(output: string): string[] {
  const lines = output.split('\n').map((l) => l.trimEnd());
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Rewrites the expected output lines of one file's transcripts; nothing else in the file changes.
 * Refuses (with the reason) when the file no longer holds what was run, or when the new text would
 * change the file's structure (a new slide separator, a prompt, a closing fence in the output).
 */
export function applyEdits(text: string, path: string, edits: readonly OutputEdit[]): { text: string } | { error: Diagnostic } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const sorted = [...edits].sort((a, b) => b.transcript.start - a.transcript.start);
  for (const e of sorted) {
    const t = e.transcript;
    const fence = lines[t.fence - 1] ?? '';
    const opening = /^(.*?)(?:`{3,}|~{3,})/.exec(fence);
    // Content lines are indented like the fence; a list marker before the fence counts as spaces.
    const prefix = opening ? opening[1]!.replace(/[-*+]|\d+[.)]/g, (m) => ' '.repeat(m.length)) : undefined;
    const current = lines.slice(t.start - 1, t.end - 1);
    const same = prefix !== undefined && current.length === t.lines.length && current.every((l, i) => (t.lines[i] === '' ? l.trim() === prefix.trim() || l.trim() === '' : l === prefix + t.lines[i]));
    if (!same) return { error: error('verify/update', e.position, `not updated: ${path} changed since it was read (the transcript's output lines are not where they were)`, 'run `labdeck verify --update` again') };
    lines.splice(t.start - 1, t.end - t.start, ...e.lines.map((l) => (l === '' ? prefix!.trimEnd() : prefix + l)));
  }
  const next = lines.join(eol);
  const problem = structureChange(text, next, path, sorted);
  return problem ? { error: problem } : { text: next };
}

/** Same slides, same code blocks, same commands; the edited outputs read back as written. */
function structureChange(before: string, after: string, path: string, edits: readonly OutputEdit[]): Diagnostic | undefined {
  const a = parseSource(before, { path });
  const b = parseSource(after, { path });
  const blocks = (f: typeof a) => f.slides.flatMap((s) => s.code);
  const [ca, cb] = [blocks(a), blocks(b)];
  const at = edits[edits.length - 1]!.position;
  const refuse = (why: string) => error('verify/update', at, `not updated: ${why}`, 'edit this transcript by hand');
  const errors = (f: typeof a) => f.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  const added = errors(b).find((m) => !errors(a).includes(m));
  if (added !== undefined) return refuse(`the new output would make the file invalid (${added})`);
  if (a.slides.length !== b.slides.length || ca.length !== cb.length) return refuse('the new output would change how the file splits into slides or code blocks (a `---`/`--` line, a fence or a bracket in the output)');
  for (let i = 0; i < ca.length; i++) {
    const [x, y] = [ca[i]!, cb[i]!];
    if (x.lang !== y.lang || x.lab !== y.lab) return refuse('the new output would change a code block or its lab box');
    const edited = edits.filter((e) => e.transcript.fence === x.position.line);
    if (edited.length === 0) {
      if (x.value !== y.value) return refuse('the new output would change another code block');
      continue;
    }
    const [tx, ty] = [parseTranscript(x.value), parseTranscript(y.value)];
    if (tx.commands.map((c) => c.command).join('\0') !== ty.commands.map((c) => c.command).join('\0')) return refuse('the new output contains a line that reads as a prompt, so the transcript would have other commands');
    for (const e of edited) {
      const k = tx.commands.findIndex((c) => x.position.line + 1 + c.output.start === e.transcript.start);
      if (k === -1 || ty.commands[k]!.output.text !== e.lines.join('\n')) return refuse('the new output does not read back as written');
    }
  }
  return undefined;
}

/** Writes each file once (atomically, mode kept) and returns a unified diff per file. */
export function writeEdits(edits: readonly OutputEdit[]): { written: { file: string; edits: number; patch: string }[]; diagnostics: Diagnostic[] } {
  const byFile = new Map<string, OutputEdit[]>();
  for (const e of edits) byFile.set(join(e.root, e.file), [...(byFile.get(join(e.root, e.file)) ?? []), e]);
  const written: { file: string; edits: number; patch: string }[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [abs, fileEdits] of byFile) {
    const path = fileEdits[0]!.file;
    const before = readFileSync(abs, 'utf8');
    const r = applyEdits(before, path, fileEdits);
    if ('error' in r) {
      diagnostics.push(r.error);
      continue;
    }
    try {
      // A content file linked outside the course is not rewritten through the link.
      writeFileAtomic(abs, r.text, { within: [fileEdits[0]!.root] });
    } catch (e) {
      diagnostics.push(error('verify/update', fileEdits[0]!.position, `could not write ${path}: ${(e as Error).message}`, undefined));
      continue;
    }
    written.push({ file: path, edits: fileEdits.length, patch: createTwoFilesPatch(`a/${path}`, `b/${path}`, before, r.text, undefined, undefined, { context: 2 }) });
  }
  return { written, diagnostics };
}
