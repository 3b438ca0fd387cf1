/**
 * The one slug rule of labdeck's anchors and keys: lower case, Unicode letters and digits kept
 * (markmaker dropped them: "Déployer" became `toc-dployer`), other runs become `-`.
 */
export function slug(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** `toc-` anchor of a chapter title. */
export function anchorFor(title: string): string {
  return `toc-${slug(title) || 'chapter'}`;
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
