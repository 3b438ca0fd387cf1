/**
 * `npm run screenshots`: the pictures of docs/PRESENTING.md, made from the seed decks as a
 * presenter sees them (never by hand): the speaker view of the English and the French deck, on
 * the same slide. Written as small PNGs under docs/images/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from '../src/build/site.ts';
import { startServer } from '../src/server/serve.ts';
import { launchChromium } from '../src/shared/browser.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const images = join(root, 'docs/images');

/** Deck page and slide anchor of each picture: the same slide, "Starting a simple pod", in both languages. */
const SPEAKER_VIEWS = [
  { file: 'speaker-view-en.png', page: 'kubernetes-en.html#/starting-a-simple-pod-with-kubectl-run' },
  { file: 'speaker-view-fr.png', page: 'kubernetes-fr.html#/démarrer-un-pod-simple-avec-kubectl-run' },
];

const work = mkdtempSync(join(tmpdir(), 'labdeck-screenshots-'));
const browser = await launchChromium();
try {
  const report = await buildSite({ manifests: [join(root, 'content/decks/kubernetes-en.yml'), join(root, 'content/decks/kubernetes-fr.yml')], outDir: join(work, 'site') });
  if (!report.ok) throw new Error('the seed decks do not build');
  const server = await startServer({ root: join(work, 'site'), port: 0 });
  mkdirSync(images, { recursive: true });
  // The speaker window's size as the notes plugin opens it, drawn at 70 %: small files that stay legible.
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 }, deviceScaleFactor: 0.7 });
  for (const shot of SPEAKER_VIEWS) {
    const page = await context.newPage();
    await page.goto(`${server.url}${shot.page}`);
    await page.waitForSelector('html[data-labdeck-ready="true"]');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
    await popup.waitForSelector('#upcoming-slide iframe');
    // Both frames show their slide, the notes are in: the picture is the settled view.
    for (const frame of popup.frames().slice(1)) await frame.waitForSelector('html[data-labdeck-ready="true"]', { state: 'attached' });
    await popup.waitForFunction(() => (document.querySelector('.speaker-controls-notes .value')?.textContent ?? '').trim() !== '');
    await popup.screenshot({ path: join(images, shot.file) });
    process.stdout.write(`wrote docs/images/${shot.file}\n`);
    await popup.close();
    await page.close();
  }
  await server.close();
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
