import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');
const CONFIG = join(REPO, '.dependency-cruiser.mjs');

let options: ICruiseOptions;
let floors: string[][];
const made: string[] = [];

beforeAll(async () => {
  options = await extractDepcruiseOptions(CONFIG);
  floors = ((await import(pathToFileURL(CONFIG).href)) as { FLOORS: string[][] }).FLOORS;
});
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The rules' violations in a tree, as `rule: from → to` lines (sorted: a readable failure). */
async function violations(baseDir: string): Promise<string[]> {
  const result = await cruise(['src'], { ...options, baseDir, validate: true, outputType: 'json' });
  const output = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('floors run one way (docs/ARCHITECTURE.md)', () => {
  it('no import in src/ runs the wrong way', async () => {
    expect(await violations(REPO)).toEqual([]);
  });

  it('every folder of src/ has a floor', () => {
    const placed = new Set(floors.flat());
    const folders = readdirSync(join(REPO, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !placed.has(f))).toEqual([]);
  });

  it('the rules catch an import up a floor, across a floor, between commands, of an action by the command table, from an unplaced folder and in a cycle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labdeck-floors-'));
    made.push(dir);
    const files: Record<string, string> = {
      'src/model/deck.ts': 'export type Deck = { id: string };\n',
      // render below present: the import that started issue 12.
      'src/render/deck.ts': "import type { Deck } from '../model/deck.ts';\nimport { presentClientConfig } from '../present/client-config.ts';\nexport const render = (d: Deck) => presentClientConfig(d);\n",
      // present above render: allowed.
      'src/present/client-config.ts': "import type { Deck } from '../model/deck.ts';\nimport { t } from '../render/locale.ts';\nexport const presentClientConfig = (d: Deck) => t(d.id);\n",
      'src/render/locale.ts': 'export const t = (s: string) => s;\n',
      // verify and parity side by side.
      'src/verify/load.ts': "import { pairs } from '../parity/load.ts';\nexport const units = pairs;\n",
      'src/parity/load.ts': 'export const pairs = 1;\n',
      // A command borrowing from another command; index.ts may import them all.
      'src/cli/commands/lint.ts': "import { printDiagnostics } from './build.ts';\nexport const lint = printDiagnostics;\n",
      'src/cli/commands/build.ts': 'export const printDiagnostics = 1;\n',
      'src/cli/commands/index.ts': "import { lint } from './lint.ts';\nimport { printDiagnostics } from './build.ts';\nexport const commands = [lint, printDiagnostics];\n",
      // The command table loads an action up front (the second import, on use, is the way).
      'src/cli/commands/dev.ts': "import { dev } from '../actions/dev.ts';\nimport type { DevFlags } from '../actions/dev.ts';\nexport const run = (f: DevFlags) => dev(f);\n",
      'src/cli/commands/serve.ts': "import type { DevFlags } from '../actions/dev.ts';\nexport const serve = async (f: DevFlags) => (await import('../actions/dev.ts')).dev(f);\n",
      'src/cli/actions/dev.ts': 'export interface DevFlags { out: string }\nexport const dev = (f: DevFlags) => f.out;\n',
      // A folder no floor names.
      'src/gadgets/tool.ts': "import type { Deck } from '../model/deck.ts';\nexport type Tool = Deck;\n",
      // Two modules of one floor in a cycle.
      'src/parse/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'src/parse/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    expect(await violations(dir)).toEqual([
      'beside-verify: src/verify/load.ts → src/parity/load.ts',
      'cli-command-imports-command: src/cli/commands/lint.ts → src/cli/commands/build.ts',
      'cli-table-stays-light: src/cli/commands/dev.ts → src/cli/actions/dev.ts',
      'floor-render: src/render/deck.ts → src/present/client-config.ts',
      'no-circular: src/parse/a.ts → src/parse/b.ts',
      'unplaced-folder: src/gadgets/tool.ts → src/model/deck.ts',
    ]);
  });
});
