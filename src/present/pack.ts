import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import yazl from 'yazl';
import type { Diagnostic } from '../model/diagnostic.ts';
import { buildSite } from '../render/build.ts';

export type PackResult = { ok: true; files: number; bytes: number; deck: string; slides: number } | { ok: false; diagnostics: Diagnostic[] };

const README = (deck: string) => `Offline copy of ${deck}, made by labdeck pack. No network needed.

Present: open ${deck}.html in a browser (double-click it).
Keys: arrows to move, S speaker view, X show/hide extra details, O overview, F full screen.

Some browsers restrict the speaker view (S) on pages opened from the disk. If yours does,
serve this folder on the laptop itself and open http://127.0.0.1:8000/${deck}.html :
    python3 -m http.server --bind 127.0.0.1 8000
`;

/** Files under `dir`, relative, sorted: the zip lists them in a stable order. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), base) : [relative(base, join(dir, e.name))]))
    .sort();
}

/**
 * One deck as a zip that presents from a laptop without network: the deck page, its images,
 * Reveal and the client scripts (all local, classic scripts that work from file://), under a
 * folder named after the deck. Written beside its destination then renamed into place.
 */
export async function packDeck(manifest: string, out: string): Promise<PackResult> {
  const work = mkdtempSync(join(tmpdir(), 'labdeck-pack-'));
  const target = resolve(out);
  const partial = `${target}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    const site = join(work, 'site');
    const report = await buildSite({ manifests: [manifest], outDir: site });
    if (!report.ok) return { ok: false, diagnostics: report.diagnostics };
    const summary = report.summaries[0]!;
    const zip = new yazl.ZipFile();
    const files = walk(site).filter((f) => f !== '.labdeck-output');
    for (const f of files) zip.addFile(join(site, f), `${summary.id}/${f.split('\\').join('/')}`);
    zip.addBuffer(Buffer.from(README(summary.id)), `${summary.id}/README.txt`);
    zip.end();
    await new Promise<void>((resolvePromise, reject) => {
      const stream = createWriteStream(partial);
      stream.on('error', reject);
      stream.on('close', () => resolvePromise());
      zip.outputStream.on('error', reject).pipe(stream);
    });
    renameSync(partial, target);
    return { ok: true, files: files.length + 1, bytes: statSync(target).size, deck: summary.id, slides: summary.slideCount };
  } finally {
    rmSync(partial, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
