import { createInterface } from 'node:readline/promises';
import type { Interaction } from './engine.ts';
import { describeStep } from './step.ts';

/** `--step`: asks before each step (run, skip, quit) and after a failure (retry, skip, quit). */
export function terminalInteraction(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Interaction {
  const rl = createInterface({ input, output });
  const ask = async <T extends string>(question: string, answers: Record<string, T>, fallback: T): Promise<T> => {
    for (;;) {
      const a = (await rl.question(question).catch(() => 'q')).trim().toLowerCase();
      if (a === '') return fallback;
      const hit = answers[a[0]!];
      if (hit) return hit;
    }
  };
  return {
    before: (slide, step) =>
      ask(`slide ${slide.slide.number} ${step.position.file}:${step.position.line}\n  ${describeStep(step)}\n  [R]un, (s)kip, (q)uit? `, { r: 'run', s: 'skip', q: 'quit' }, 'run'),
    afterFailure: (_slide, _step, outcome) => ask(`  failed: ${outcome.message}\n  (r)etry, (s)kip, [Q]uit? `, { r: 'retry', s: 'skip', q: 'quit' }, 'quit'),
  };
}
