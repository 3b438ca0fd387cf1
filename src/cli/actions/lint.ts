import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { lintImported, proseWords } from '../../import/lint.ts';
import { loadChapter, projectNoteVerbs } from '../../manifest/index.ts';
import type { SourceFile } from '../../model/chapter.ts';
import { error, hasErrors, type Diagnostic } from '../../model/diagnostic.ts';
import { findMojibake, repairMojibake } from '../../parse/index.ts';
import { OutsideWriteError, writeFileAtomic } from '../../shared/files.ts';
import { buildSite } from '../../build/site.ts';
import { unitFromDeck, unitFromFile } from '../../verify/extract.ts';
import { unmirroredImages } from '../../verify/images.ts';
import { imageListPath, readImageList } from '../../cluster/mirror.ts';
import type { Unit } from '../../verify/step.ts';
import { countBySeverity, DECKS_DIR, manifestsOrDefault, printDiagnostics, type SetExit } from '../shared.ts';

/** The Markdown inputs that open with front matter. gray-matter is loaded only when there are some. */
async function singleFileDecks(inputs: string[]): Promise<Set<string>> {
  const markdown = inputs.filter((i) => /\.(md|markdown)$/i.test(i) && existsSync(i));
  if (markdown.length === 0) return new Set();
  const { frontMatter } = await import('../../manifest/single-file.ts');
  return new Set(markdown.filter((i) => frontMatter(readFileSync(i, 'utf8')) !== undefined));
}

/**
 * Everything `build` would complain about (parse, manifests, rendering), what `verify` would
 * refuse (directive arguments), and what imported material reveals (unknown commands, prompts in
 * lab commands, pasted-twice text) — without writing any output. Chapter files are read on their
 * own, as `verify` reads them (no deck around them: nothing rendered).
 */
export interface LintFlags { strict?: boolean; fixMojibake?: boolean }

export async function lint(inputs: string[], opts: LintFlags, setExit: SetExit): Promise<void> {
  // A Markdown file with front matter is a single-file deck (as build and dev read it), not a chapter.
  const decks = await singleFileDecks(inputs);
  const isDeck = (i: string) => /\.ya?ml$/i.test(i) || decks.has(i);
  const chapters = inputs.filter((i) => !isDeck(i));
  const manifests = chapters.length === inputs.length && inputs.length > 0 ? [] : manifestsOrDefault(inputs.filter(isDeck));
  if (manifests.length === 0 && chapters.length === 0) {
    process.stderr.write(`error: no deck manifest found in ${DECKS_DIR}/\n`);
    setExit(1);
    return;
  }
  let found = await lintInputs(manifests, chapters);
  const refused: Diagnostic[] = [];
  if (opts.fixMojibake) {
    const repair = repairFiles(found.files, found.roots);
    refused.push(...repair.refused);
    if (repair.fixed.length > 0) {
      process.stderr.write(`repaired mojibake in ${repair.fixed.join(', ')}\n`);
      found = await lintInputs(manifests, chapters);
    }
  }
  const diagnostics = [...refused, ...found.diagnostics];
  printDiagnostics(diagnostics);
  const failed = hasErrors(diagnostics) || (opts.strict === true && diagnostics.some((d) => d.severity === 'warning'));
  const counts = [manifests.length > 0 ? `${found.decks} decks` : '', chapters.length > 0 ? `${chapters.length} chapter${chapters.length === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  const summary = `${counts}, ${found.slides} slides: ${countBySeverity(diagnostics)}`;
  process.stderr.write(`${failed ? pc.red(summary) : summary}\n`);
  setExit(failed ? 1 : 0);
}

interface Linted {
  diagnostics: Diagnostic[];
  decks: number;
  slides: number;
  /** Content files read, absolute path → parse (for --fix-mojibake). */
  files: Map<string, SourceFile>;
  /** Absolute path → the content root it was read from: --fix-mojibake writes nowhere else. */
  roots: Map<string, string>;
}

async function lintInputs(manifests: string[], chapters: string[]): Promise<Linted> {
  const out: Linted = { diagnostics: [], decks: 0, slides: 0, files: new Map(), roots: new Map() };
  const plans: Diagnostic[] = [];
  // With transcripts: a console block in a lab box is a lab too, for the image check.
  const units: Unit[] = [];
  if (manifests.length > 0) {
    const report = await buildSite({ manifests });
    out.diagnostics.push(...report.diagnostics);
    out.decks = report.summaries.length;
    out.slides += report.summaries.reduce((n, s) => n + s.slideCount, 0);
    plans.push(...report.course.decks.flatMap((deck) => unitFromDeck(deck, report.course.root).diagnostics));
    units.push(...report.course.decks.map((deck) => unitFromDeck(deck, report.course.root, true)));
    for (const [key, file] of report.course.files) {
      if (key.includes('#')) continue;
      out.files.set(join(report.course.root, file.path), file);
      out.roots.set(join(report.course.root, file.path), report.course.root);
    }
  }
  if (chapters.length > 0) {
    const project = projectNoteVerbs(process.cwd());
    out.diagnostics.push(...project.diagnostics);
    for (const input of chapters) {
      const chapter = /\.md$/i.test(input) ? loadChapter(input, { noteVerbs: new Set(project.notes) }) : undefined;
      if (!chapter) {
        out.diagnostics.push(error('lint/input', { file: input, line: 1, column: 1 }, existsSync(input) ? `not a deck manifest (.yml) or a chapter (.md): ${input}` : `no such file: ${input}`, 'give deck manifests (content/decks/*.yml) or chapter files (content/en/…/*.md)'));
        continue;
      }
      out.diagnostics.push(...chapter.file.diagnostics);
      out.slides += chapter.file.slides.length;
      plans.push(...unitFromFile(chapter.file, chapter.root).diagnostics);
      units.push(unitFromFile(chapter.file, chapter.root, true));
      out.files.set(resolve(input), chapter.file);
      out.roots.set(resolve(input), chapter.root);
    }
  }
  const list = imageListPath();
  out.diagnostics.push(...once(plans.filter((d) => d.code !== 'directive/unknown-verb')), ...unmirroredImages(units, readImageList(list), list), ...importDiagnostics(out.files));
  return out;
}

/**
 * What the runner's plan refuses (bad `timeout`, `expect-exit` without a number…), once each (a
 * file in several decks yields its problems once per deck). Unknown verbs are left to the parser's
 * warning: only `verify` makes them errors.
 */
function once(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.position.file}:${d.position.line}:${d.position.column}:${d.code}`;
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}

/** What imported material tends to carry, in every file; the course's prose is the dictionary. */
function importDiagnostics(files: Map<string, SourceFile>): Diagnostic[] {
  const words = proseWords(files.values());
  return [...files].flatMap(([abs, file]) => lintImported(file, readFileSync(abs, 'utf8'), words));
}

/**
 * Rewrites each damaged content file atomically (mode kept), so none is left half-written; a file
 * that is a symbolic link to somewhere outside its content root is refused, not written through.
 */
function repairFiles(files: Map<string, SourceFile>, roots: Map<string, string>): { fixed: string[]; refused: Diagnostic[] } {
  const fixed: string[] = [];
  const refused: Diagnostic[] = [];
  for (const [abs, file] of files) {
    const text = readFileSync(abs, 'utf8');
    if (findMojibake(text).length === 0) continue;
    try {
      writeFileAtomic(abs, repairMojibake(text), { within: [roots.get(abs)!] });
      fixed.push(file.path);
    } catch (e) {
      if (!(e instanceof OutsideWriteError)) throw e;
      refused.push(error('sandbox/outside', { file: file.path, line: 1, column: 1 }, e.message, e.hint));
    }
  }
  return { fixed, refused };
}
