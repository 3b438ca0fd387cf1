import { resolveDeckRef } from '../manifest/deck-ref.ts';
import { courseDiagnostics, loadChapter, loadCourse } from '../manifest/index.ts';
import { error, hasErrors, type Diagnostic } from '../model/diagnostic.ts';
import { findQuestions, type Question } from './questions.ts';

/**
 * The questions of a lab: a deck (id or manifest) read through the course model, or one Markdown
 * chapter read alone (`loadChapter`, as `verify` reads it: includes resolved). Problems of the deck itself stop here: grading a broken lab helps nobody.
 */
export async function loadQuestions(ref: string): Promise<{ questions: Question[]; diagnostics: Diagnostic[] }> {
  if (/\.md$/i.test(ref)) {
    const chapter = loadChapter(ref);
    if (!chapter) return { questions: [], diagnostics: [error('answers/no-lab', { file: ref, line: 1, column: 1 }, `${ref}: no such file`, 'give a deck id, a manifest or a Markdown chapter')] };
    const found = findQuestions(chapter.file.slides);
    return withQuestions(ref, found.questions, [...chapter.file.diagnostics, ...found.diagnostics]);
  }
  const deck = resolveDeckRef(ref);
  if (!deck.ok) return { questions: [], diagnostics: [error('answers/no-lab', { file: ref, line: 1, column: 1 }, deck.message, deck.hint)] };
  const course = await loadCourse([deck.manifest]);
  const loaded = courseDiagnostics(course);
  if (hasErrors(loaded)) return { questions: [], diagnostics: loaded };
  const found = findQuestions(course.decks.flatMap((d) => d.slides.filter((s) => s.kind === 'author')));
  return withQuestions(ref, found.questions, [...loaded, ...found.diagnostics]);
}

/** A lab without any tagged question has no answers file: say so rather than write `{}`. */
function withQuestions(ref: string, questions: Question[], diagnostics: Diagnostic[]): { questions: Question[]; diagnostics: Diagnostic[] } {
  if (questions.length === 0 && !hasErrors(diagnostics)) {
    diagnostics.push(error('answers/no-questions', { file: ref, line: 1, column: 1 }, `no question tagged [AnswerN] in ${ref}`, 'tag the questions whose answers go in the answers file, e.g. `… ? [Answer1]`'));
  }
  return { questions, diagnostics };
}
