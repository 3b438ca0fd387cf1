/**
 * `verify` cleans up however it is stopped: probes of issue 11 for a closed terminal (SIGHUP) and
 * a parent killed outright (a CI runner cancelling a job). Before, both left the tmux server, the
 * shell, the running command and the run's folder behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runDirs } from '../verify/helpers.ts';

const BIN = resolve(import.meta.dirname, '../../bin/labdeck.js');
const ourTmux = (work: string) => spawnSync('pgrep', ['-f', `tmux -L labdeck-.*${work}/`]).stdout.toString();
const ourSleep = (work: string) => spawnSync('pgrep', ['-f', `sleep 60`]).stdout.toString().trim().split('\n').filter(Boolean).filter((pid) => existsSync(`/proc/${pid}`) && readEnv(pid).includes(work));
function readEnv(pid: string): string {
  try {
    return spawnSync('cat', [`/proc/${pid}/environ`]).stdout.toString();
  } catch {
    return '';
  }
}

function expectCleanedUp(work: string): void {
  expect(readdirSync(work).filter((f) => f.startsWith('cleanup-'))).toHaveLength(1);
  expect(runDirs(work)).toEqual([]);
  expect(ourTmux(work)).toBe('');
  expect(ourSleep(work)).toEqual([]);
}

describe('labdeck verify stopped from outside', () => {
  it('a closed terminal (SIGHUP) stops the run and cleans up as Ctrl-C does', async () => {
    const work = mkdtempSync(join(tmpdir(), 'labdeck-sighup-'));
    mkdirSync(join(work, 'out'));
    const child = spawn(process.execPath, [BIN, 'verify', join(FIXTURES, 'sleep.md')], { env: { ...process.env, NO_COLOR: '1', TMPDIR: work } });
    let stderr = '';
    const code = await new Promise<number | null>((done) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('slide 1/2') && !child.killed) child.kill('SIGHUP');
      });
      child.on('close', done);
    });
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted (SIGHUP');
    expectCleanedUp(work);
  }, 60_000);

  it('a parent killed outright (kill -9, no signal reaches verify) still gets a cleaned-up run', async () => {
    const work = mkdtempSync(join(tmpdir(), 'labdeck-orphan-'));
    // verify runs under a shell; it inherits the shell's stderr, so its output reaches us after the shell dies.
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" verify "${join(FIXTURES, 'sleep.md')}" & echo $!; wait`], { env: { ...process.env, NO_COLOR: '1', TMPDIR: work } });
    let stderr = '';
    const verifyDone = new Promise<void>((done) => shell.stderr.on('close', () => done()));
    shell.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('slide 1/2') && !shell.killed) shell.kill('SIGKILL');
    });
    await verifyDone;
    expect(stderr).toContain('interrupted (its parent process is gone)');
    expectCleanedUp(work);
  }, 60_000);
});
