import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPdf } from '../../src/present/export-pdf.ts';
import { runCli } from '../cli/run.ts';
import { FIXTURE_MANIFEST } from './harness.ts';
import { readPdf } from './pdf-text.ts';

const dir = mkdtempSync(join(tmpdir(), 'labdeck-pdf-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const flat = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

const cli = async (args: string[], env: Record<string, string> = {}) => {
  const r = await runCli(args, { env });
  return { code: r.status, stderr: r.stderr };
};

describe('labdeck export pdf', () => {
  it('prints one page per slide, steps collapsed, with the slides’ text and links', async () => {
    const out = join(dir, 'slides.pdf');
    const result = await exportPdf({ manifest: FIXTURE_MANIFEST, out, steps: 'collapse', notes: false, extraDetails: true });
    expect(result.ok && result.pages).toBe(13);
    const pdf = readPdf(readFileSync(out));
    expect(pdf.pages).toHaveLength(13);
    const code = pdf.pages.findIndex((p) => flat(p).includes('Codeslide'));
    expect(flat(pdf.pages[code]!)).toContain('Asecondstep.'); // the `--` step is on the slide's only page
    expect(pdf.pages.some((p) => flat(p).includes('Anextradetail'))).toBe(true);
    // Estimated durations in the table of contents.
    expect(flat(pdf.pages[1]!)).toContain('Chapterone');
    expect(flat(pdf.pages[1]!)).toMatch(/·\d+min/);
  }, 60_000);

  it('prints one page per step, leaves extra details out and adds notes pages on request', async () => {
    const out = join(dir, 'handout.pdf');
    const result = await exportPdf({ manifest: FIXTURE_MANIFEST, out, steps: 'separate', notes: true, extraDetails: false });
    const pdf = readPdf(readFileSync(out));
    expect(result.ok && result.pages).toBe(pdf.pages.length);
    expect(pdf.pages.some((p) => flat(p).includes('Anextradetail'))).toBe(false);
    const code = pdf.pages.map((p, i) => [flat(p), i] as const).filter(([p]) => p.includes('Codeslide'));
    expect(code.length).toBeGreaterThanOrEqual(2);
    expect(code[0]![0]).not.toContain('Asecondstep.');
    expect(code.some(([p]) => p.includes('Asecondstep.'))).toBe(true);
    expect(pdf.pages.some((p) => flat(p).includes('Sayhellototheroom.'))).toBe(true);
  }, 60_000);

  it('refuses a deck that does not exist, an unwritable path and a missing Chromium, writing nothing', async () => {
    const missing = await cli(['export', 'pdf', 'no-such-deck', '--out', join(dir, 'x.pdf')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no deck named no-such-deck');
    const unwritable = await cli(['export', 'pdf', FIXTURE_MANIFEST, '--out', join(dir, 'slides.pdf', 'x.pdf')]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/cannot write .*x\.pdf/);
    const noBrowser = await cli(['export', 'pdf', FIXTURE_MANIFEST, '--out', join(dir, 'y.pdf')], { LABDECK_CHROMIUM: join(dir, 'no-chromium') });
    expect(noBrowser.code).toBe(1);
    expect(noBrowser.stderr).toContain('apt-get install -y chromium');
    expect(existsSync(join(dir, 'x.pdf')) || existsSync(join(dir, 'y.pdf'))).toBe(false);
    // Nothing else in the folder: no partial PDF, no temporary file under any name.
    expect(readdirSync(dir).filter((f) => !/^(slides|handout)\.pdf$/.test(f))).toEqual([]);
  }, 60_000);
});
