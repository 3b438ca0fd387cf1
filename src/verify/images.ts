import { warning, type Diagnostic } from '../model/diagnostic.ts';
import { mirrorHas, normalizeImage, type MirroredImage } from '../cluster/mirror.ts';
import type { Unit } from './step.ts';

/**
 * Images a lab runs (`--image X`, `--image=X`, or `image: X` in a manifest typed inline) that
 * labdeck's registry mirror does not have: on the loopback cluster such a pod stays in
 * ErrImagePull, so the lab cannot pass there. A warning, since the deck may target another cluster.
 */
export function unmirroredImages(units: readonly Unit[], mirror: readonly MirroredImage[], listPath: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const unit of units)
    for (const slide of unit.slides)
      for (const step of slide.steps) {
        if (step.kind !== 'command') continue;
        for (const image of imagesIn(step.command)) {
          if (mirrorHas(mirror, image)) continue;
          const key = `${step.position.file}:${step.position.line}:${image}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(
            warning(
              'verify/image-not-mirrored',
              step.position,
              `this lab runs image ${image}${normalizeImage(image) === image ? '' : ` (${normalizeImage(image)})`}, which labdeck's registry mirror does not have: on the loopback cluster its pod stays in ErrImagePull`,
              `add it to ${listPath} (with a recipe in scripts/cluster/images.sh) and run labdeck cluster build, or use an image the mirror has`,
            ),
          );
        }
      }
  return out;
}

/** Literal image names in a command: `--image X`, `--image=X`, `image: X` lines (heredoc manifests). */
export function imagesIn(command: string): string[] {
  const found = [...command.matchAll(/--image(?:=|\s+)(["']?)([^\s"';|&)]+)\1/g)].map((m) => m[2]!);
  for (const m of command.matchAll(/^\s*-?\s*image:\s*(["']?)([^\s"'#]+)\1\s*(?:#.*)?$/gm)) found.push(m[2]!);
  return found.filter((i) => normalizeImage(i) !== undefined);
}
