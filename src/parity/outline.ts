import { warning, type Diagnostic } from '../model/diagnostic.ts';
import type { OutlineLine, Slide } from '../model/slide.ts';

/**
 * The `:EN:`/`:FR:` lines of a chapter's notes are its syllabus in both languages.
 * Each `:EN:` line needs its `:FR:` line (the n-th English heading/item of a notes block pairs
 * with the n-th French one), and the French file must carry the same outline as the English.
 */
export function outlineDiagnostics(en: readonly Slide[] | undefined, fr: readonly Slide[] | undefined, frPath: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const slides of [en, fr]) for (const slide of slides ?? []) out.push(...pairedLines(slide.notes?.outline ?? []));
  if (en && fr) {
    const enLines = en.flatMap((s) => s.notes?.outline ?? []);
    const frLines = fr.flatMap((s) => s.notes?.outline ?? []);
    const frSet = new Set(frLines.map(label));
    const lacking = enLines.filter((l) => !frSet.has(label(l)));
    if (lacking.length > 0) {
      const where = frLines[0]?.position ?? fr[fr.length - 1]?.position ?? { file: frPath, line: 1, column: 1 };
      out.push(
        warning(
          'parity/outline-differs',
          where,
          `the French file lacks ${lacking.length} outline line(s) of the English file: ${lacking.map(label).join(' · ')}`,
          `copy the \`:EN:\`/\`:FR:\` lines from ${lacking[0]!.position.file}:${lacking[0]!.position.line} into the notes of the French chapter`,
        ),
      );
    }
  }
  return out;
}

const label = (l: OutlineLine) => `:${l.lang}:${l.kind === 'item' ? '- ' : ''}${l.text}`;

function pairedLines(lines: readonly OutlineLine[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of ['heading', 'item'] as const) {
    const ens = lines.filter((l) => l.lang === 'EN' && l.kind === kind);
    const frs = lines.filter((l) => l.lang === 'FR' && l.kind === kind);
    for (const l of ens.slice(frs.length)) {
      out.push(warning('parity/outline-missing-fr', l.position, `outline line \`${label(l)}\` has no \`:FR:\` counterpart`, `add a \`:FR:${kind === 'item' ? '- ' : ''}…\` line with its French translation next to it`));
    }
    for (const l of frs.slice(ens.length)) {
      out.push(warning('parity/outline-missing-en', l.position, `outline line \`${label(l)}\` has no \`:EN:\` counterpart`, `add the \`:EN:${kind === 'item' ? '- ' : ''}…\` line it translates`));
    }
  }
  return out;
}
