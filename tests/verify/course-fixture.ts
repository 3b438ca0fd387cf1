import { join, resolve } from 'node:path';

/** tests/fixtures/verify/course: three small decks (English and French labs, more English labs) whose labs run without a cluster. */
export const COURSE = resolve(import.meta.dirname, '../fixtures/verify/course');
export const COURSE_DECKS = ['labs-en', 'labs-fr', 'more-en'].map((d) => join(COURSE, 'decks', `${d}.yml`));
