/**
 * A course of container.training's shape and size (scripts/corpus-container-training.ts: 12
 * manifests over 236 shared chapter files, ≈3,700 distinct slides, 22 MB of images), built by
 * `labdeck build` and by markmaker.py's algorithm (scripts/markmaker-model.py, one process per
 * manifest as container.training's build.sh) in the same run, rounds alternating:
 * - cold: no cache from an earlier run (the build cache, LABDECK_CACHE_DIR=<work>/.labdeck/cache,
 *   and the output removed first);
 * - warm: the same build again, nothing changed.
 * Goals (issue 14): cold ≤ 1.0× markmaker, warm ≤ 0.3× markmaker.
 * With LABDECK_CONTAINER_TRAINING=/path/to/container.training, the same on a copy of that
 * checkout, with its own markmaker.py (checked to give the same pages as the re-implementation).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateContainerTrainingCorpus } from './corpus-container-training.ts';
import { formatShapes, measureCourse } from './corpus-shape.ts';
import { copyRealCourse, markmakerMissing, median, MARKMAKER_MODEL, runLabdeckBuild, runMarkmaker, seconds } from './course-runs.ts';

const ROUNDS = 3;

interface Comparison {
  markmaker?: number[];
  cold: number[];
  warm: number[];
}

/** Alternating rounds of markmaker, a cold labdeck build and a warm one, in `work`. */
function compare(slidesDir: string, manifests: string[], work: string, options: { lenient?: boolean; markmaker?: string; skipMarkmaker: boolean }): Comparison {
  const out = join(work, 'site');
  const result: Comparison = { markmaker: options.skipMarkmaker ? undefined : [], cold: [], warm: [] };
  for (let round = 0; round < ROUNDS; round++) {
    if (result.markmaker) result.markmaker.push(runMarkmaker(slidesDir, manifests, options.markmaker));
    rmSync(join(work, '.labdeck'), { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
    const env = { LABDECK_CACHE_DIR: join(work, '.labdeck', 'cache') };
    result.cold.push(runLabdeckBuild(manifests, out, { lenient: options.lenient, env }).wall);
    result.warm.push(runLabdeckBuild(manifests, out, { lenient: options.lenient, env }).wall);
  }
  return result;
}

function report(name: string, c: Comparison): string[] {
  const cold = median(c.cold);
  const warm = median(c.warm);
  const lines = [`${name}: labdeck build cold ${seconds(cold)} (runs ${c.cold.map(seconds).join(', ')}), warm ${seconds(warm)} (runs ${c.warm.map(seconds).join(', ')})`];
  if (c.markmaker) {
    const mm = median(c.markmaker);
    lines.push(`  markmaker, 12 processes: ${seconds(mm)} (runs ${c.markmaker.map(seconds).join(', ')})`);
    lines.push(`  ratio to markmaker: cold ${(cold / mm).toFixed(2)}× (goal ≤ 1.0: ${cold <= mm ? 'met' : 'MISSED'}), warm ${(warm / mm).toFixed(2)}× (goal ≤ 0.3: ${warm <= 0.3 * mm ? 'met' : 'MISSED'})`);
  }
  return lines;
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'labdeck-bench-course-'));
  try {
    const lines = [`machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.versions.node}; medians of ${ROUNDS} alternating rounds`];
    const missing = markmakerMissing();
    if (missing) lines.push(`note: markmaker rows skipped: ${missing}`);
    const corpus = generateContainerTrainingCorpus(join(dir, 'generated'));
    const real = copyRealCourse(join(dir, 'real'));
    lines.push('corpus shape:', formatShapes(measureCourse(corpus.manifests), 'generated', real && measureCourse(real.manifests), 'real'));
    if (!real) lines.push('note: LABDECK_CONTAINER_TRAINING is not set: no run on a real container.training checkout');

    lines.push(...report('generated course (12 manifests)', compare(corpus.slidesDir, corpus.manifests, join(dir, 'generated'), { skipMarkmaker: missing !== undefined })));

    if (real) {
      let markmaker = real.markmaker;
      if (markmaker && !missing) {
        // The re-implementation must give the original's pages, byte for byte.
        runMarkmaker(real.slidesDir, real.manifests, markmaker);
        const original = real.manifests.map((m) => readFileSync(`${m}.html`, 'utf8'));
        runMarkmaker(real.slidesDir, real.manifests, MARKMAKER_MODEL);
        const same = real.manifests.filter((m, i) => readFileSync(`${m}.html`, 'utf8') === original[i]).length;
        lines.push(`markmaker-model.py against the checkout's markmaker.py: ${same}/${real.manifests.length} pages identical`);
      } else markmaker = undefined;
      // A real checkout has a few errors labdeck reports (unknown automation verbs): --lenient builds anyway.
      lines.push(...report('real checkout (12 manifests, --lenient, its own markmaker.py)', compare(real.slidesDir, real.manifests, join(dir, 'real'), { lenient: true, markmaker, skipMarkmaker: !markmaker || missing !== undefined })));
    }
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
