/**
 * Build speed: a generated course of 4,000 English and 4,000 French slides (8 decks per language,
 * chapters of 25 slides shaped like the seed: ~15 % extra details, ~40 % lab boxes with bash
 * fences and hidden directives, output fences, some YAML/JSON/Dockerfile/Go, commands repeated
 * across chapters, `--` steps, notes with :EN:/:FR: outline lines on the last slide).
 * Measures a cold `buildSite` in a fresh process (new parse cache, new shiki), its stages, and
 * what `labdeck dev` does when one chapter file changes (same cache and highlighter, affected
 * decks only, `writePagesInPlace`).
 * Targets: 8,000 slides cold under 5 s on 2 cores; a one-file rebuild under 200 ms.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParseCache } from '../src/manifest/index.ts';
import { buildSite, type BuildTimings } from '../src/build/site.ts';
import { createCodeHighlighter } from '../src/render/highlight.ts';
import { newRenderSession } from '../src/render/markdown.ts';
import { writePagesInPlace } from '../src/render/write.ts';
import { affectedManifests } from '../src/server/dev.ts';

const DECKS_PER_LANG = 8;
const CHAPTERS_PER_DECK = 20;
const SLIDES_PER_CHAPTER = 25;

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same corpus. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = {
  en: 'the pod runs a container on a node and we can scale it with a deployment that watches replicas while the service routes traffic to healthy endpoints'.split(' '),
  fr: 'le pod exécute un conteneur sur un nœud et nous pouvons le mettre à l’échelle avec un déploiement qui surveille les répliques pendant que le service route le trafic'.split(' '),
};
const LAB = { en: ['lab', 'Let’s run:'], fr: ['exercise', 'Lançons :'] } as const;
/** Commands shared by many chapters (cache hits, as in real decks) … */
const COMMON = ['kubectl get pods', 'kubectl get nodes -o wide', 'kubectl get all', 'kubectl describe deployment web', 'kubectl logs deploy/pingpong --tail 1 --follow', 'kubectl delete pod --all', 'docker ps', 'kubectl apply -f ~/container.training/k8s/`web.yaml`'];
const YAML = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{n}\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.{n}';
const JSON_DOC = '{\n  "kind": "Pod",\n  "metadata": { "name": "pod-{n}" },\n  "spec": { "containers": [{ "image": "alpine" }] }\n}';
const DOCKERFILE = 'FROM alpine:3.{n}\nRUN apk add --no-cache curl\nCOPY app /app\nCMD ["/app"]';
const GO = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello {n}")\n}';

/** One chapter file: the same structure in both languages (prose differs, code does not). */
function chapterText(lang: 'en' | 'fr', deck: number, chapter: number): string {
  const rnd = random(deck * 1000 + chapter); // same seed for both languages: same shape
  const words = WORDS[lang];
  const sentence = (n: number) => Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]).join(' ');
  const slides: string[] = [];
  for (let s = 0; s < SLIDES_PER_CHAPTER; s++) {
    const id = `${deck}-${chapter}-${s}`;
    const lines: string[] = [];
    const r = rnd();
    if (s > 0 && r < 0.15) lines.push('class: extra-details', '');
    lines.push(s === 0 ? `# ${lang === 'en' ? 'Chapter' : 'Chapitre'} ${deck}.${chapter}: ${sentence(3)}` : `## ${sentence(4)} \`${id}\``, '');
    for (let b = 0; b < 2 + Math.floor(rnd() * 3); b++) lines.push(`- ${sentence(8 + Math.floor(rnd() * 8))}${rnd() < 0.3 ? ` with \`kubectl ${words[b]!}\`` : ''}`, '');
    if (rnd() < 0.2) lines.push('--', '', `- ${sentence(10)}`, '');
    if (rnd() < 0.1) lines.push(`See [the docs](https://kubernetes.io/docs/${id}/) and .red[${sentence(2)}].`, '');
    if (r >= 0.15 && r < 0.55) {
      const commands = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => (rnd() < 0.5 ? COMMON[Math.floor(rnd() * COMMON.length)]! : `kubectl run pingpong-${id} --image alpine ping 127.0.0.${s}`));
      lines.push(`.${LAB[lang][0]}[`, '');
      for (const c of commands) lines.push(`- ${LAB[lang][1]}`, '  ```bash', `  ${c}`, '  ```', '');
      if (rnd() < 0.5) lines.push('<!-- ```wait Running``` -->', '<!-- ```key ^C``` -->', '');
      lines.push(']', '');
      if (rnd() < 0.4) lines.push('```', `pod/pingpong-${id} created`, '```', '');
    } else {
      const k = rnd();
      const n = String(Math.floor(rnd() * 30));
      if (k < 0.12) lines.push('```yaml', YAML.replaceAll('{n}', n), '```', '');
      else if (k < 0.16) lines.push('```json', JSON_DOC.replaceAll('{n}', n), '```', '');
      else if (k < 0.2) lines.push('```dockerfile', DOCKERFILE.replaceAll('{n}', n), '```', '');
      else if (k < 0.22) lines.push('```go', GO.replaceAll('{n}', n), '```', '');
      else if (k < 0.35) lines.push('```', `NAME READY STATUS\nweb-${id} 1/1 Running`, '```', '');
    }
    if (s === SLIDES_PER_CHAPTER - 1) lines.push('???', '', `:EN:- ${WORDS.en.slice(0, 5).join(' ')} ${id}`, `:FR:- ${WORDS.fr.slice(0, 5).join(' ')} ${id}`, '');
    else if (rnd() < 0.1) lines.push('???', '', sentence(12), '');
    slides.push(lines.join('\n'));
  }
  return `${slides.join('\n---\n\n')}\n`;
}

/** The corpus: content/{en,fr}/d<i>/c<j>.md and content/decks/<lang>-<i>.yml. Returns the manifests. */
export function generateCorpus(root: string): string[] {
  const manifests: string[] = [];
  for (const lang of ['en', 'fr'] as const) {
    for (let d = 0; d < DECKS_PER_LANG; d++) {
      const files: string[] = [];
      for (let c = 0; c < CHAPTERS_PER_DECK; c++) {
        const rel = `${lang}/d${d}/c${String(c).padStart(2, '0')}.md`;
        mkdirSync(dirname(join(root, rel)), { recursive: true });
        writeFileSync(join(root, rel), chapterText(lang, d, c));
        files.push(rel);
      }
      const parts = [files.slice(0, 10), files.slice(10)].map((p) => `- ${p.map((f, i) => `${i ? '  ' : ''}- ${f}`).join('\n')}`).join('\n');
      const manifest = `title: Bench ${lang} ${d}\nlang: ${lang}\ngroup: bench-${d}\nroot: ..\nexclude: [self-paced]\ncontent:\n- ${lang}/title.md\n- ${lang}/toc.md\n${parts}\n`;
      const path = join(root, 'decks', `${lang}-${d}.yml`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, manifest);
      manifests.push(path);
    }
    writeFileSync(join(root, lang, 'title.md'), 'class: title\n\n@@TITLE@@\n\n.footnote[@@CHAT@@]\n');
    writeFileSync(join(root, lang, 'toc.md'), '@@TOC@@\n');
  }
  return manifests;
}

const ms = (n: number) => `${Math.round(n)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Child process entry: one cold build, its timings as JSON on stdout. */
async function coldBuild(manifests: string[], outDir: string): Promise<void> {
  const started = performance.now();
  const highlighter = await createCodeHighlighter();
  const shikiInit = performance.now() - started;
  const report = await buildSite({ manifests, outDir, highlighter, cache: new ParseCache() });
  const slides = report.summaries.reduce((n, s) => n + s.slideCount, 0);
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  process.stdout.write(JSON.stringify({ ok: report.ok, errors: errors.slice(0, 3), slides, files: report.files, shikiInit, timings: report.timings, rss: process.memoryUsage().rss, highlight: highlighter.stats }));
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'labdeck-bench-build-'));
  try {
    const content = join(dir, 'content');
    const manifests = generateCorpus(content);
    const outDir = join(dir, 'site');
    const here = fileURLToPath(import.meta.url);

    // Cold: a fresh Node process (module loading included in the wall time), as `labdeck build`.
    const colds: { wall: number; r: { ok: boolean; errors: unknown[]; slides: number; files: number; shikiInit: number; timings: BuildTimings; rss: number; highlight: { blocks: number; cacheHits: number; ms: number } } }[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const out = execFileSync(process.execPath, ['--import', 'tsx', here, '--cold', outDir, ...manifests], { encoding: 'utf8', maxBuffer: 1 << 24 });
      colds.push({ wall: performance.now() - t, r: JSON.parse(out) });
    }
    // The fastest run: on a shared machine the others measure the neighbours' load too.
    const cold = colds.sort((a, b) => a.r.timings.total - b.r.timings.total)[0]!;
    if (!cold.r.ok) throw new Error(`corpus build failed: ${JSON.stringify(cold.r.errors)}`);

    // Dev: initial build, then one chapter file edited at a time (EN deck and its French pair rebuilt).
    const cache = new ParseCache();
    const session = newRenderSession();
    const highlighter = await createCodeHighlighter();
    const devOut = join(dir, 'dev');
    const initial = await buildSite({ manifests, outDir: devOut, cache, session, highlighter });
    const rebuilds: { total: number; write: number; timings: BuildTimings; decks: number; slides: number }[] = [];
    for (let i = 0; i < 7; i++) {
      const file = join(content, `en/d${i % DECKS_PER_LANG}/c${String((i * 3) % CHAPTERS_PER_DECK).padStart(2, '0')}.md`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^## /m, `## Edit ${i} `));
      const t = performance.now();
      const chosen = affectedManifests(initial.course, manifests, [resolve(file)]);
      const report = await buildSite({ manifests: chosen, cache, session, highlighter });
      if (!report.ok) throw new Error('rebuild failed');
      const w = performance.now();
      writePagesInPlace({ ...report.site, pages: new Map([...report.site.pages].filter(([p]) => p !== 'index.html')) }, devOut, report.course.root);
      const write = performance.now() - w;
      rebuilds.push({ total: performance.now() - t, write, timings: report.timings, decks: chosen.length, slides: report.summaries.reduce((n, s) => n + s.slideCount, 0) });
    }
    const warm = rebuilds.slice(1); // the first rebuild still warms the JIT on the edit path
    const rb = warm.sort((a, b) => a.total - b.total)[Math.floor(warm.length / 2)]!;

    const t = cold.r.timings;
    const lines = [
      `machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.versions.node}`,
      `corpus: ${cold.r.slides} slides (${DECKS_PER_LANG} EN + ${DECKS_PER_LANG} FR decks of ${CHAPTERS_PER_DECK} chapters × ${SLIDES_PER_CHAPTER} slides + generated), ${cold.r.files} files written`,
      `cold build (fresh process, best of 3): buildSite ${ms(t.total)}, + shiki init ${ms(cold.r.shikiInit)}; process wall ${ms(cold.wall)} (runs: ${colds.map((c) => ms(c.r.timings.total)).join(', ')})`,
      `  stages: load+parse ${ms(t.load)}, highlighter wait ${ms(t.highlighterInit)}, shiki grammars ${ms(t.highlightPrepare)}, render ${ms(t.render)} (inside shiki ${ms(cold.r.highlight.ms)}, ${cold.r.highlight.blocks} blocks, ${cold.r.highlight.cacheHits} cache hits), parity ${ms(t.parity)}, index ${ms(t.index)}, write ${ms(t.write)}, other (diagnostics) ${ms(t.total - t.load - t.highlighterInit - t.highlightPrepare - t.parity - t.render - t.index - t.write)}; RSS ${Math.round(cold.r.rss / 2 ** 20)} MB`,
      `one-file rebuild (dev, median of ${warm.length}): ${ms(rb.total)} for ${rb.decks} decks / ${rb.slides} slides (load ${ms(rb.timings.load)}, parity ${ms(rb.timings.parity)}, render ${ms(rb.timings.render)}, other ${ms(rb.timings.total - rb.timings.load - rb.timings.parity - rb.timings.render - rb.timings.highlightPrepare - rb.timings.index)}, write in place ${ms(rb.write)}); all: ${rebuilds.map((r) => ms(r.total)).join(', ')}`,
      `targets: cold < 5000 ms ${t.total + cold.r.shikiInit < 5000 ? 'met' : 'MISSED'}; rebuild < 200 ms ${rb.total < 200 ? 'met' : 'MISSED'}`,
    ];
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--cold') await coldBuild(process.argv.slice(4), process.argv[3]!);
