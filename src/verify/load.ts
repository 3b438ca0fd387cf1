import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { courseDiagnostics, loadChapter, loadCourse, projectNoteVerbs } from '../manifest/index.ts';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import { unitFromDeck, unitFromFile } from './extract.ts';
import type { Unit } from './step.ts';

/**
 * Reads what `labdeck verify` was given — deck manifests (.yml) and chapter files (.md) — through
 * the course model, and plans one unit per deck or file. Never reads built HTML.
 */
export async function loadUnits(inputs: readonly string[], cwd = process.cwd(), options: { transcripts?: boolean } = {}): Promise<{ units: Unit[]; diagnostics: Diagnostic[] }> {
  const transcripts = options.transcripts === true;
  const diagnostics: Diagnostic[] = [];
  const units: Unit[] = [];
  const manifests = inputs.filter((i) => /\.ya?ml$/i.test(i));
  if (manifests.length) {
    const course = await loadCourse(manifests.map((m) => resolve(cwd, m)), { projectDir: cwd });
    diagnostics.push(...courseDiagnostics(course));
    for (const deck of course.decks) units.push(unitFromDeck(deck, course.root, transcripts));
  }
  const chapters = inputs.filter((i) => !/\.ya?ml$/i.test(i));
  const project = chapters.length > 0 ? projectNoteVerbs(cwd) : { notes: [], diagnostics: [] };
  diagnostics.push(...project.diagnostics);
  for (const input of chapters) {
    const abs = resolve(cwd, input);
    const chapter = /\.md$/i.test(input) ? loadChapter(abs, { noteVerbs: new Set(project.notes) }) : undefined;
    if (!chapter) {
      diagnostics.push(error('verify/input', { file: input, line: 1, column: 1 }, existsSync(abs) ? `not a deck manifest (.yml) or a chapter (.md): ${input}` : `no such file: ${input}`, 'give deck manifests (content/decks/*.yml) or chapter files (content/en/…/*.md)'));
      continue;
    }
    diagnostics.push(...chapter.file.diagnostics);
    units.push(unitFromFile(chapter.file, chapter.root, transcripts));
  }
  for (const u of units) diagnostics.push(...u.diagnostics);
  return { units, diagnostics: mostSevere(diagnostics) };
}

/**
 * One diagnostic per problem: what the parser only warns about (an unknown directive verb) the
 * plan refuses, at the same place and with the same code; the error is kept.
 */
function mostSevere(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.code}\0${d.position.file}:${d.position.line}:${d.position.column}`;
  const errors = new Set(diagnostics.filter((d) => d.severity === 'error').map(key));
  return diagnostics.filter((d) => d.severity === 'error' || !errors.has(key(d)));
}

/** `--only`: keep the slides whose file path or chapter title contains `filter`. */
export function onlyChapter(unit: Unit, filter: string): Unit {
  const f = filter.toLowerCase();
  return { ...unit, slides: unit.slides.filter((s) => s.slide.file.toLowerCase().includes(f) || (s.chapter ?? '').toLowerCase().includes(f)) };
}
