/**
 * `npm run bench`: runs every scripts/bench-*.ts (each exports `run(): Promise<string>`) one after
 * the other, so they do not compete for the two cores, and prints their summaries.
 * `npm run bench -- build parity` runs only the named ones.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => /^bench-.+\.ts$/.test(f))
  .filter((f) => only.length === 0 || only.includes(f.slice(6, -3)))
  .sort();

let failed = false;
for (const file of benches) {
  const name = file.slice(6, -3);
  process.stdout.write(`\n== ${name} ==\n`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<string> };
    if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
    process.stdout.write(`${await mod.run()}\n`);
  } catch (e) {
    failed = true;
    process.stdout.write(`FAILED: ${e instanceof Error ? e.stack : String(e)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
