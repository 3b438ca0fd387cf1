/**
 * Parity speed: 4,000 English/French slide pairs (160 chapters of 25 slides, half of them stamped,
 * with a few edits), checked in one `checkParity` call. Parsing is timed apart: it is the
 * parser's cost, paid once per build whatever reads the model.
 * Target: the parity pass over 4,000 pairs under one second.
 */
import type { SourceFile } from '../src/model/chapter.ts';
import { parseSource } from '../src/parse/index.ts';
import { checkParity, pairFiles } from '../src/parity/index.ts';
import { checkFilePair, side } from '../src/parity/check.ts';
import { stampSlides } from '../src/parity/restamp.ts';
import type { StampBook } from '../src/parity/stamps.ts';

const EN = 'the pod runs a container on a node and we can scale it with a deployment that watches replicas'.split(' ');
const FR = 'le pod exécute un conteneur sur un nœud et nous pouvons le mettre à l’échelle avec un déploiement qui surveille les répliques'.split(' ');

function chapter(c: number, words: readonly string[], lang: 'en' | 'fr', slides: number): string {
  const out: string[] = [];
  for (let s = 0; s < slides; s++) {
    const w = (k: number) => words[(c * 7 + s * 3 + k) % words.length];
    const lines = [`## ${lang === 'en' ? 'Topic' : 'Sujet'} ${w(0)} ${w(1)} ${c}.${s}`, ''];
    for (let b = 0; b < 4; b++) lines.push(`- ${Array.from({ length: 10 }, (_, k) => w(b * 10 + k)).join(' ')} \`opt-${b}\``, '');
    if (s % 2 === 0) lines.push(`.${lang === 'en' ? 'lab' : 'exercise'}[`, '', '- Run:', '  ```bash', `  kubectl get pods -l app=web-${c}-${s} --tail ${s}`, '  ```', '', '<!-- ```wait Running``` -->', '', ']', '');
    if (s % 5 === 0) lines.push(`See [the docs](https://kubernetes.io/docs/${c}/${s}/).`, '');
    out.push(lines.join('\n'));
  }
  return out.join('\n---\n\n');
}

export async function run(): Promise<string> {
  const CHAPTERS = 160;
  const SLIDES = 25;
  const files = new Map<string, SourceFile>();
  const t0 = performance.now();
  for (let c = 0; c < CHAPTERS; c++) {
    let en = chapter(c, EN, 'en', SLIDES);
    // A few English edits since the translation: one command changed per 4 chapters, a reflow per 3.
    if (c % 4 === 0) en = en.replace('--tail 2', '--tail 20');
    if (c % 3 === 0) en = en.replace(/(- the|- le) /, '$1\n  ');
    files.set(`en/ch${c}.md`, parseSource(en, { path: `en/ch${c}.md` }));
    files.set(`fr/ch${c}.md`, parseSource(chapter(c, FR, 'fr', SLIDES), { path: `fr/ch${c}.md` }));
  }
  const parseMs = performance.now() - t0;

  // Stamp the even chapters against the original English, as translators would have.
  let stamps: StampBook = new Map();
  for (let c = 0; c < CHAPTERS; c += 2) {
    const enSide = side(`en/ch${c}.md`, parseSource(chapter(c, EN, 'en', SLIDES), { path: `en/ch${c}.md` }));
    const frSide = side(`fr/ch${c}.md`, files.get(`fr/ch${c}.md`));
    stamps = stampSlides(stamps, checkFilePair(enSide, frSide), enSide, frSide, { slides: [] }).book;
  }

  const pairs = pairFiles(files.keys(), 'fr');
  const runs: number[] = [];
  let report = checkParity({ lang: 'fr', files, pairs, stamps });
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    report = checkParity({ lang: 'fr', files, pairs, stamps });
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  const s = report.summary;
  const aligned = report.files.reduce((n, f) => n + f.pairs.filter((p) => p.en && p.fr).length, 0);

  // Worst case for the aligner: one chapter of 1,000 slides, nothing stamped.
  const big = new Map<string, SourceFile>([
    ['en/big.md', parseSource(chapter(1, EN, 'en', 1000), { path: 'en/big.md' })],
    ['fr/big.md', parseSource(chapter(1, FR, 'fr', 1000), { path: 'fr/big.md' })],
  ]);
  const tb = performance.now();
  const bigReport = checkParity({ lang: 'fr', files: big, pairs: pairFiles(big.keys(), 'fr'), stamps: new Map() });
  const bigMs = performance.now() - tb;

  const median = runs[Math.floor(runs.length / 2)]!;
  return [
    `parity: ${s.enSlides} English / ${s.frSlides} French slides in ${CHAPTERS} files, ${aligned} aligned pairs`,
    `  check (align + classify + roll-up): median ${median.toFixed(0)} ms, best ${runs[0]!.toFixed(0)} ms over ${runs.length} runs — target < 1000 ms: ${median < 1000 ? 'OK' : 'TOO SLOW'}`,
    `  statuses: ok ${s.counts.ok}, stale ${s.counts.stale}, untracked ${s.counts.untracked}, divergent-code ${s.counts['divergent-code']}, missing ${s.counts.missing}, orphan ${s.counts.orphan}`,
    `  parsing the ${files.size} files (parser, not parity): ${parseMs.toFixed(0)} ms`,
    `  one 1,000-slide file, unstamped: ${bigMs.toFixed(0)} ms (${bigReport.summary.counts.untracked} untracked pairs)`,
  ].join('\n');
}
