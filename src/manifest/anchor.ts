/**
 * `toc-` anchors that keep accented letters and digits (markmaker dropped them:
 * "Déployer" became `toc-dployer`). Unicode letters and digits stay; other runs become `-`.
 */
export function anchorFor(title: string): string {
  const slug = title
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return `toc-${slug || 'chapter'}`;
}

/** Hands out anchors, suffixing `-2`, `-3`… to repeated ones. */
export class AnchorSet {
  readonly #used = new Map<string, number>();

  take(base: string): string {
    const n = (this.#used.get(base) ?? 0) + 1;
    this.#used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  }

  has(anchor: string): boolean {
    return this.#used.has(anchor);
  }
}
