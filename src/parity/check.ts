import type { Definition, SourceFile } from '../model/chapter.ts';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { Slide } from '../model/slide.ts';
import { normalizeLabel } from '../parse/index.ts';
import { alignSlides, type Anchor } from './align.ts';
import { classify } from './classify.ts';
import { fingerprint } from './fingerprint.ts';
import { slideKeys } from './keys.ts';
import { outlineDiagnostics } from './outline.ts';
import { summarize, type FileReport, type PairReport, type SlideRef } from './report.ts';
import type { Stamp } from './stamps.ts';
import { slideText, type SlideText } from './text.ts';

/** One side of a file pair, prepared once: the slides parity compares and what it derived from them. */
export interface Side {
  path: string;
  file?: SourceFile;
  slides: Slide[];
  texts: SlideText[];
  keys: string[];
}

export function side(path: string, file: SourceFile | undefined): Side {
  const definitions = new Map<string, Definition>();
  for (const d of file?.definitions ?? []) {
    const id = normalizeLabel(d.label);
    if (!definitions.has(id)) definitions.set(id, d);
  }
  // Only authors' slides are translated: generated ones (title, TOC) come from the manifest,
  // and an empty slide (an empty file, a doubled `---`) has nothing to translate.
  const slides: Slide[] = [];
  const texts: SlideText[] = [];
  for (const s of file?.slides ?? []) {
    if (s.kind !== 'author') continue;
    const text = slideText(s, definitions);
    if (text.lines.length === 0 && s.properties && Object.keys(s.properties).length === 0) continue;
    slides.push(s);
    texts.push(text);
  }
  return { path, ...(file ? { file } : {}), slides, texts, keys: slideKeys(slides) };
}

/** `en/x.md` ↔ `fr/x.md`: the French path of an English file, and back. */
export function counterpartPath(path: string, from: string, to: string): string | undefined {
  const prefix = `${from}/`;
  return path.startsWith(prefix) ? `${to}/${path.slice(prefix.length)}` : undefined;
}

/**
 * Compares a French file with the English file of the same path. Pure: both files are already
 * parsed, `stamps` are the French file's entries of the stamp book.
 */
export function checkFilePair(en: Side, fr: Side, stamps: ReadonlyMap<string, Stamp> = new Map()): FileReport {
  const diagnostics: Diagnostic[] = [];
  const enExists = en.file !== undefined;
  const frExists = fr.file !== undefined;
  if (!enExists && frExists) {
    diagnostics.push(error('parity/no-english-file', at(fr, 0), `${fr.path} has no English counterpart ${en.path}`, `rename it to match an English file, or delete it if the English chapter is gone`));
  }
  if (enExists && !frExists) {
    diagnostics.push(warning('parity/no-french-file', at(en, 0), `${en.path} has no French translation (${fr.path})`, `translate it into ${fr.path}, then run \`labdeck parity stamp ${fr.path}\``));
  }

  const anchors = claims(en, fr, stamps, diagnostics);
  const aligned = alignSlides(en.texts.map(fingerprint), fr.texts.map(fingerprint), anchors);
  const enKeys = new Set(en.keys);
  const pairs: PairReport[] = aligned.map((a) => {
    const frKey = a.fr === undefined ? undefined : fr.keys[a.fr];
    const found = frKey === undefined ? undefined : stamps.get(frKey);
    const enKey = a.en === undefined ? undefined : en.keys[a.en];
    // A stamp counts for the English slide it names, or for the one the French slide aligns with
    // when the named slide is gone (retitled or renamed English slide: stale, not lost).
    const stamp = found && enKey !== undefined && (found.en === enKey || !enKeys.has(found.en)) ? found : undefined;
    const c = classify(a.en === undefined ? undefined : en.texts[a.en], a.fr === undefined ? undefined : fr.texts[a.fr], stamp);
    return {
      ...(a.en !== undefined ? { en: ref(en, a.en) } : {}),
      ...(a.fr !== undefined ? { fr: ref(fr, a.fr) } : {}),
      ...(a.via ? { via: a.via } : {}),
      similarity: Math.round(a.similarity * 100) / 100,
      ...c,
      ...(stamp ? { stamp } : {}),
    };
  });

  const frKeys = new Set(fr.keys);
  const orphanStamps = [...stamps].filter(([key]) => !frKeys.has(key)).map(([key, stamp]) => ({ frFile: fr.path, key, stamp }));
  for (const o of orphanStamps) {
    diagnostics.push(warning('parity/stamp-orphan', { file: fr.path, line: 1, column: 1 }, `stamp \`${fr.path}#${o.key}\` names a French slide that no longer exists`, `run \`labdeck parity stamp --prune ${fr.path}\` to drop it, or restore the slide's title or \`name:\``));
  }
  diagnostics.push(...outlineDiagnostics(enExists ? en.slides : undefined, frExists ? fr.slides : undefined, fr.path));
  const report: FileReport = { en: en.path, fr: fr.path, enExists, frExists, pairs, orphanStamps, diagnostics, summary: summarize([]) };
  report.summary = summarize([report]);
  return report;
}

/**
 * Explicit pairings: a French slide with the `name:` of an English slide, else the English
 * slide its stamp names. Two French slides claiming one English slide is an error; the first
 * keeps it and the second is aligned like an unstamped slide.
 */
function claims(en: Side, fr: Side, stamps: ReadonlyMap<string, Stamp>, diagnostics: Diagnostic[]): Anchor[] {
  const byName = new Map<string, number>();
  en.slides.forEach((s, i) => {
    if (s.name && !byName.has(s.name)) byName.set(s.name, i);
  });
  const byKey = new Map(en.keys.map((k, i) => [k, i]));
  const claimedBy = new Map<number, number>();
  const anchors: Anchor[] = [];
  fr.slides.forEach((s, f) => {
    const named = s.name === undefined ? undefined : byName.get(s.name);
    const stamp = stamps.get(fr.keys[f]!);
    const stamped = stamp ? byKey.get(stamp.en) : undefined;
    const e = named ?? stamped;
    if (e === undefined) return;
    const other = claimedBy.get(e);
    if (other !== undefined) {
      diagnostics.push(
        error(
          'parity/duplicate-claim',
          s.position,
          `this French slide and the one at line ${fr.slides[other]!.position.line} both claim the English slide \`${en.keys[e]}\` (${en.path}:${en.slides[e]!.position.line})`,
          'give one of them its own `name:`, or re-stamp the right one with `labdeck parity stamp <fr file>:<line> --en <en key>`',
        ),
      );
      return;
    }
    claimedBy.set(e, f);
    anchors.push({ en: e, fr: f, via: named !== undefined ? 'id' : 'stamp' });
  });
  return anchors;
}

function ref(side: Side, index: number): SlideRef {
  const slide = side.slides[index]!;
  return {
    file: side.path,
    index,
    key: side.keys[index]!,
    line: slide.position.line,
    ...(slide.title ? { title: slide.title.text } : {}),
  };
}

function at(side: Side, index: number) {
  return side.slides[index]?.position ?? { file: side.path, line: 1, column: 1 };
}
