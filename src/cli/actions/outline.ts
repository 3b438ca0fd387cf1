import { extname } from 'node:path';
import { findManifests, loadCourse, courseDiagnostics, translationManifests } from '../../manifest/index.ts';
import { hasErrors } from '../../model/diagnostic.ts';
import { resolveDeckRef } from '../../manifest/deck-ref.ts';
import { DECKS_DIR } from '../../shared/paths.ts';
import { courseSyllabi, syllabusHtml, syllabusMarkdown } from '../../present/outline.ts';
import { unwritableReason, writeFileAtomic } from '../../shared/files.ts';
import { failer, printDiagnostics, type SetExit } from '../shared.ts';

export interface OutlineFlags { lang: string; format?: string; out?: string }

export async function outline(decks: string[], opts: OutlineFlags, setExit: SetExit): Promise<void> {
  const fail = failer(setExit);
  const lang = opts.lang.toLowerCase();
  if (lang !== 'en' && lang !== 'fr') return fail(`--lang must be en or fr, not ${opts.lang}`, 'labdeck outline --lang fr');
  const format = opts.format ?? (opts.out && /\.html?$/i.test(extname(opts.out)) ? 'html' : 'md');
  if (format !== 'md' && format !== 'html') return fail(`--format must be md or html, not ${format}`, 'labdeck outline --lang en --format html');
  if (opts.out) {
    const reason = unwritableReason(opts.out);
    if (reason) return fail(`cannot write ${opts.out}: ${reason}`, 'choose another --out path');
  }
  const manifests: string[] = [];
  for (const ref of decks) {
    const r = resolveDeckRef(ref);
    if (!r.ok) return fail(r.message, r.hint);
    manifests.push(r.manifest);
  }
  // A deck named comes with its translations: its title and syllabus in the other language.
  const course = await loadCourse(manifests.length > 0 ? [...manifests, ...translationManifests(manifests)] : findManifests(DECKS_DIR));
  const diagnostics = courseDiagnostics(course);
  if (hasErrors(diagnostics)) {
    printDiagnostics(diagnostics);
    return fail('the course has errors', 'fix them (labdeck lint) and run outline again');
  }
  const syllabi = courseSyllabi(course, lang.toUpperCase() as 'EN' | 'FR', course.decks.slice(0, manifests.length));
  if (syllabi.length === 0) return fail(`no deck found in ${DECKS_DIR}/`, 'name a deck manifest on the command line');
  for (const s of syllabi)
    if (s.chapters.length === 0)
      process.stderr.write(`warning: deck ${s.deck} has no :${s.lang}: outline lines\n    hint: add \`:${s.lang}:- item\` lines to the notes of its chapters, or try the deck of the other language\n`);
  const text = format === 'html' ? syllabi.map(syllabusHtml).join('\n') : syllabi.map(syllabusMarkdown).join('\n');
  if (opts.out) {
    try {
      writeFileAtomic(opts.out, text);
    } catch (e) {
      return fail(`cannot write ${opts.out}: ${(e as Error).message}`, 'choose another --out path');
    }
    process.stderr.write(`wrote ${opts.out} (${syllabi.length} deck${syllabi.length === 1 ? '' : 's'})\n`);
  } else process.stdout.write(text);
  setExit(0);
}
