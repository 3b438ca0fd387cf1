import type { OutlineLine, QuizLine } from '../model/slide.ts';
import type { LineIndex } from './line-index.ts';

const OUTLINE = /^:(EN|FR):(.*)$/gm;
const QUIZ = /^:([TQA]):(.*)$/gm;

export interface NotesMetadata {
  outline: OutlineLine[];
  quiz: QuizLine[];
  /** File ranges of those lines, hidden from the speaker notes. */
  removed: [number, number][];
}

/** `:EN:`/`:FR:` outline lines and `:T:`/`:Q:`/`:A:` quiz lines are metadata, not notes to read aloud. */
export function notesMetadata(text: string, start: number, end: number, file: string, lines: LineIndex): NotesMetadata {
  const meta: NotesMetadata = { outline: [], quiz: [], removed: [] };
  const slice = text.slice(start, end);
  for (const m of slice.matchAll(OUTLINE)) {
    const raw = m[2]!;
    const item = raw.trimStart().startsWith('-');
    meta.outline.push({
      lang: m[1] as 'EN' | 'FR',
      kind: item ? 'item' : 'heading',
      text: (item ? raw.trimStart().slice(1) : raw).trim(),
      position: lines.position(file, start + m.index),
    });
    meta.removed.push([start + m.index, start + m.index + m[0].length]);
  }
  for (const m of slice.matchAll(QUIZ)) {
    const raw = m[2]!.trim();
    const correct = raw.startsWith('✔');
    meta.quiz.push({
      kind: m[1] as 'T' | 'Q' | 'A',
      text: correct ? raw.replace(/^✔️?\s*/u, '') : raw,
      correct,
      position: lines.position(file, start + m.index),
    });
    meta.removed.push([start + m.index, start + m.index + m[0].length]);
  }
  return meta;
}
