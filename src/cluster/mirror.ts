import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptsDir } from './scripts.ts';

/**
 * The registry mirror's image list (scripts/cluster/images.list): the only images a pod on the
 * loopback cluster can run. Read by `labdeck lint` and by verify's pull-error explanations; built
 * by scripts/cluster/images.sh.
 */
export interface MirroredImage {
  /** Full reference: docker.io/library/alpine:latest. */
  reference: string;
  recipe: string;
  builtFrom: string;
  mustAnswer: string;
  line: number;
}

/** LABDECK_IMAGE_LIST, as scripts/cluster/lib.sh reads it, else the list in this package. */
export function imageListPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LABDECK_IMAGE_LIST ?? join(scriptsDir, 'images.list');
}

export function readImageList(path = imageListPath()): MirroredImage[] {
  return parseImageList(readFileSync(path, 'utf8'));
}

/** `reference | recipe | built from | must answer` lines; comments and blank lines skipped. */
export function parseImageList(text: string): MirroredImage[] {
  const images: MirroredImage[] = [];
  text.split('\n').forEach((raw, i) => {
    if (/^\s*(#|$)/.test(raw)) return;
    const [reference = '', recipe = '', builtFrom = '', mustAnswer = ''] = raw.split('|').map((f) => f.trim());
    images.push({ reference: normalizeImage(reference) ?? reference, recipe, builtFrom, mustAnswer, line: i + 1 });
  });
  return images;
}

/**
 * The full reference containerd pulls for an image name, with Docker's rules: no registry host
 * means docker.io, one path segment there means library/, no tag means :latest. Undefined when
 * the name is not a literal (`$REGISTRY/app:v1`), since only the shell knows it.
 */
export function normalizeImage(name: string): string | undefined {
  const ref = name.trim().replace(/^["']|["']$/g, '');
  if (!ref || /[$`{}\s]/.test(ref)) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/.test(ref)) return undefined;
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const hasHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let rest = hasHost ? ref.slice(slash + 1) : ref;
  const host = hasHost ? first : 'docker.io';
  if (host === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  const lastSegment = rest.slice(rest.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':') && !rest.includes('@')) rest = `${rest}:latest`;
  return `${host}/${rest}`;
}

export function mirrorHas(images: readonly MirroredImage[], name: string): boolean {
  const ref = normalizeImage(name);
  return ref === undefined || images.some((i) => i.reference === ref);
}
