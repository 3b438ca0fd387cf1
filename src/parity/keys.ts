import { slug } from '../manifest/anchor.ts';
import type { Slide } from '../model/slide.ts';

/**
 * A readable key per slide of a file, used by stamps: `name:` when the author set one, else
 * the title as a slug, `~2`, `~3`… for repeats. Keys survive slides inserted elsewhere in the
 * file (ordinals would not) and say in a review which slide an entry is about.
 */
export function slideKeys(slides: readonly Slide[]): string[] {
  const seen = new Map<string, number>();
  return slides.map((slide) => {
    const base = slide.name?.trim() || slug(slide.title?.text ?? '') || 'untitled';
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}~${n}`;
  });
}
