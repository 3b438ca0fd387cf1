import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every test run gets its own labdeck cache folder (build, diagrams), removed at the end: tests
 * never read what an earlier run or the user's own builds left in ~/.cache/labdeck.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'labdeck-test-cache-'));
  process.env.LABDECK_CACHE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
