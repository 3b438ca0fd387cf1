import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import yazl from 'yazl';
import { buildSite } from '../build/site.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { writeFileAtomic } from '../shared/files.ts';

export type PackResult =
  | { ok: true; files: number; bytes: number; deck: string; slides: number; standIns: number }
  | { ok: false; diagnostics: Diagnostic[] };

/** `32 slides, 16 of them in English where the translation is missing`: what the room will see. */
export function packedSlides(r: { slides: number; standIns: number }): string {
  const slides = `${r.slides} slide${r.slides === 1 ? '' : 's'}`;
  return r.standIns === 0 ? slides : `${slides}, ${r.standIns} of them in English where the translation is missing`;
}

const README = (deck: string, slides: string) => `Offline copy of ${deck}, made by labdeck pack. No network needed.
${slides}, as on the site.

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
 * folder named after the deck. Written atomically: a failure leaves no partial zip.
 */
export async function packDeck(manifest: string, out: string): Promise<PackResult> {
  const work = mkdtempSync(join(tmpdir(), 'labdeck-pack-'));
  try {
    const site = join(work, 'site');
    const report = await buildSite({ manifests: [manifest], outDir: site });
    if (!report.ok) return { ok: false, diagnostics: report.diagnostics };
    const summary = report.summaries[0]!;
    const zip = new yazl.ZipFile();
    const files = walk(site).filter((f) => f !== '.labdeck-output');
    for (const f of files) zip.addFile(join(site, f), `${summary.id}/${f.split('\\').join('/')}`);
    const counts = { slides: summary.slideCount, standIns: summary.standIns };
    zip.addBuffer(Buffer.from(README(summary.id, packedSlides(counts))), `${summary.id}/README.txt`);
    zip.end();
    const chunks: Buffer[] = [];
    await new Promise<void>((resolvePromise, reject) => {
      zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
      zip.outputStream.on('error', reject);
      zip.outputStream.on('end', () => resolvePromise());
    });
    const bytes = Buffer.concat(chunks);
    writeFileAtomic(out, bytes);
    return { ok: true, files: files.length + 1, bytes: bytes.length, deck: summary.id, ...counts };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
