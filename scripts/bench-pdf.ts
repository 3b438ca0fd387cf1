/**
 * PDF export of a ~600-slide deck (the English seed chapter repeated) through the real
 * `exportPdf`: Reveal print layout in headless Chromium and one `page.pdf`. Target: < 2 min.
 * Also times `checkLayout` (every slide visited and measured) on the same deck.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPdf } from '../src/present/export-pdf.ts';
import { checkLayout } from '../src/present/layout-check.ts';

export async function largeDeck(targetSlides = 600): Promise<{ dir: string; manifest: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'labdeck-bench-pdf-'));
  const seed = readFileSync('content/en/k8s/kubectl-run.md', 'utf8');
  const perCopy = seed.split(/^---$/m).length + 1; // + the generated chapter title slide
  const copies = Math.ceil(targetSlides / perCopy);
  mkdirSync(join(dir, 'en'), { recursive: true });
  mkdirSync(join(dir, 'decks'));
  copyFileSync('content/en/shared/title.md', join(dir, 'en', 'title.md'));
  copyFileSync('content/en/shared/toc.md', join(dir, 'en', 'toc.md'));
  const files: string[] = [];
  for (let i = 1; i <= copies; i++) {
    writeFileSync(join(dir, 'en', `chapter-${i}.md`), seed.replace(/^# (.*)$/m, `# $1 (${i})`));
    files.push(`  - en/chapter-${i}.md`);
  }
  const manifest = join(dir, 'decks', 'big.yml');
  writeFileSync(manifest, ['title: Big deck', 'lang: en', 'root: ..', 'content:', '- en/title.md', '- en/toc.md', '-', ...files, ''].join('\n'));
  return { dir, manifest };
}

export async function run(): Promise<string> {
  const { dir, manifest } = await largeDeck();
  try {
    const out = join(dir, 'big.pdf');
    const t = performance.now();
    const r = await exportPdf({ manifest, out, steps: 'collapse', notes: false, extraDetails: true });
    const total = (performance.now() - t) / 1000;
    if (!r.ok) throw new Error(`deck has errors: ${r.diagnostics.slice(0, 3).map((d) => d.message).join('; ')}`);
    const mb = statSync(out).size / 1e6;
    const s = (ms: number) => (ms / 1000).toFixed(1);
    const t2 = performance.now();
    const layout = await checkLayout(manifest);
    const layoutSeconds = (performance.now() - t2) / 1000;
    return `check layout: ${layout.slides} slides visited in ${layoutSeconds.toFixed(1)} s (${layout.diagnostics.length} findings)\nexport pdf: ${r.slides} slides → ${r.pages} pages, ${mb.toFixed(1)} MB in ${total.toFixed(1)} s (build ${s(r.timings.build)} s, Chromium print layout ${s(r.timings.layout)} s, page.pdf ${s(r.timings.print)} s); target < 120 s: ${total < 120 ? 'met' : 'MISSED'}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
