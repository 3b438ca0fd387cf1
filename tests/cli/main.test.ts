import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript, run before anything is compiled
import { fingerprint } from '../../bin/compile.js';
import { REPO, runCli, spawnCli } from './run.ts';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('labdeck --help and --version', () => {
  it('prints the version of package.json', async () => {
    for (const flag of ['--version', '-V']) expect(await runCli([flag])).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('lists every command, and each command its options, without running one', async () => {
    const help = await runCli(['--help']);
    expect(help.status).toBe(0);
    const commands = ['build', 'dev', 'lint', 'parity', 'verify', 'cluster', 'outline', 'serve', 'export', 'check', 'pack', 'import', 'answers'];
    for (const c of commands) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const options: Record<string, string[]> = {
      build: ['--out <dir>', '--lenient', '--missing-translations <how>'],
      verify: ['--plan', '--jobs <n>', '--junit <file>', '--update'],
      parity: ['--format <format>', '--fail-on <statuses>'],
      'export pdf': ['--steps', '--no-extra-details'],
      'answers check': ['--kubeconfig <file>', '--timeout <seconds>'],
      'cluster build': ['--force'],
    };
    for (const [command, flags] of Object.entries(options)) {
      const r = await runCli([...command.split(' '), '--help']);
      expect(r.status, command).toBe(0);
      for (const f of flags) expect(r.stdout, command).toContain(f);
    }
  });

  it('runs as compiled JavaScript from bin/labdeck.js', async () => {
    const r = await spawnCli(['--version']);
    expect(r).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it("finds the package's own files from its compiled copy (lint reads the mirror's image list)", async () => {
    // The compiled file lives under node_modules/.cache: a path made from import.meta.url pointed there.
    const r = await spawnCli(['lint', 'content/decks/kubernetes-en.yml']);
    expect([r.status, r.stderr + r.stdout]).toEqual([0, expect.stringMatching(/0 errors/)]);
  });
});

describe('the compiled CLI follows its sources (bin/compile.js)', () => {
  it('gets a new fingerprint when a source is edited, added or removed, and none when nothing changed', () => {
    const root = mkdtempSync(join(tmpdir(), 'labdeck-compile-'));
    made.push(root);
    mkdirSync(join(root, 'src/cli'), { recursive: true });
    writeFileSync(join(root, 'src/cli/main.ts'), 'export const main = 1;\n');
    writeFileSync(join(root, 'package.json'), '{}\n');
    const first = fingerprint(root) as string;
    expect(fingerprint(root)).toBe(first);
    writeFileSync(join(root, 'src/cli/main.ts'), 'export const main = 2;\n');
    utimesSync(join(root, 'src/cli/main.ts'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const edited = fingerprint(root) as string;
    expect(edited).not.toBe(first);
    writeFileSync(join(root, 'src/cli/extra.ts'), '');
    const added = fingerprint(root) as string;
    expect(added).not.toBe(edited);
    rmSync(join(root, 'src/cli/extra.ts'));
    expect(fingerprint(root)).toBe(edited);
  });
});
