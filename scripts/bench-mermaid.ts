/**
 * What Mermaid diagrams cost a build: the `diagrams` stage of `buildSite` (start Chromium, load
 * mermaid, draw what the cache lacks) with an empty cache (cold) and with the cache the cold build
 * filled (warm: no browser may start). On a real container.training checkout
 * (LABDECK_CONTAINER_TRAINING) for kube-selfpaced and mlops, else on the synthetic checkout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MermaidDiagrams } from '../src/mermaid/index.ts';
import { launchChromium } from '../src/shared/browser.ts';
import { buildSite } from '../src/build/site.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 3;

const ms = (n: number) => `${Math.round(n)} ms`;
const best = (xs: number[]) => Math.min(...xs);

async function measure(manifest: string): Promise<string> {
  const cold: { diagrams: number; count: number }[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cacheDir = mkdtempSync(join(tmpdir(), 'labdeck-bench-mermaid-'));
    try {
      const drawing = new MermaidDiagrams({ launch: launchChromium, cacheDir });
      const first = await buildSite({ manifests: [manifest], lenient: true, diagrams: drawing });
      cold.push({ diagrams: first.timings.diagrams, count: drawing.stats.drawn });
      const cached = new MermaidDiagrams({ launch: () => Promise.reject(new Error('a warm build started a browser')), cacheDir });
      const second = await buildSite({ manifests: [manifest], lenient: true, diagrams: cached });
      if (cached.stats.drawn > 0 || cached.stats.cached !== drawing.stats.diagrams) throw new Error(`warm build drew ${cached.stats.drawn} diagrams`);
      warm.push(second.timings.diagrams);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  const name = manifest.slice(manifest.lastIndexOf('/') + 1);
  return `${name}: ${cold[0]!.count} diagrams; diagrams stage cold ${ms(best(cold.map((c) => c.diagrams)))} (runs ${cold.map((c) => ms(c.diagrams)).join(', ')}), warm ${ms(best(warm))} (runs ${warm.map(ms).join(', ')}), no browser started`;
}

export async function run(): Promise<string> {
  const real = process.env.LABDECK_CONTAINER_TRAINING;
  const manifests = real
    ? ['kube-selfpaced', 'mlops'].map((m) => join(real, 'slides', `${m}.yml`))
    : [join(REPO, 'tests/fixtures/container-training/slides/kube-fullday.yml')];
  const lines = real ? [] : ['LABDECK_CONTAINER_TRAINING is not set: measuring the synthetic checkout only'];
  for (const m of manifests) lines.push(await measure(m));
  return lines.join('\n');
}
