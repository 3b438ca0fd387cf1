import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../cli/run.ts';
import { FIXTURES, runDirs } from './helpers.ts';

const run = (args: string[], env: Record<string, string> = {}) => runCli(['verify', ...args], { env });
/** tmux sockets of the runs started with TMUX_TMPDIR=`work` (other runs on the machine keep theirs in /tmp). */
const socketsLeft = (work: string) => {
  const dir = join(work, `tmux-${process.getuid!()}`);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('labdeck-')) : [];
};

describe('labdeck verify (command line)', () => {
  it('--plan lists steps with slide number and file:line and runs nothing', async () => {
    const r = await run(['--plan', join(FIXTURES, 'local.md')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('slide 2/5  Watch in a split pane, copy and paste across panes');
    expect(r.stdout).toMatch(/local\.md:\d+ {2}copy \/token-\[a-z0-9\]\+\//);
    expect(r.stdout).toContain('$ ls /does-not-exist   [exit nonzero, expect "No such file"]');
  });

  it('refuses a deck with an unknown directive, naming file and line, before starting tmux', async () => {
    const r = await run([join(FIXTURES, 'unknown.md')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown.md:11:6: error: unknown automation directive `wiat`: verify cannot replay this slide [directive/unknown-verb]');
    // One line for the problem: the parser's warning is not repeated beside the error.
    expect(r.stderr.match(/unknown\.md:11:6/g)).toHaveLength(1);
    expect(r.stderr).toContain('nothing was run');
  });

  it('says so when there is nothing to verify, and does not pass', async () => {
    const r = await run([join(FIXTURES, 'empty.md')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('nothing to verify');
  });

  it('explains how to install tmux when it is missing', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'labdeck-notmux-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = await run([join(FIXTURES, 'local.md')], { PATH: bin });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('tmux is not installed');
    expect(r.stderr).toContain('apt-get install tmux');
  });

  it('refuses a cluster context that is not explicitly allowed, and accepts --context', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labdeck-kc-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      ['apiVersion: v1', 'kind: Config', 'clusters: [{name: prod, cluster: {server: "https://127.0.0.1:1"}}]', 'users: [{name: u, user: {token: x}}]', 'contexts: [{name: prod, context: {cluster: prod, user: u}}]', 'current-context: prod'].join('\n'),
    );
    const deck = join(dir, 'k.md');
    writeFileSync(deck, '# K\n\n## Pods\n\n.lab[\n\n  ```bash\n  kubectl get pods\n  ```\n\n]\n');
    const refused = await run([deck], { KUBECONFIG: kubeconfig, LABDECK_VERIFY_CONTEXTS: '' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('refusing to run against context "prod": it is not explicitly allowed');
    expect(refused.stderr).toContain('--context prod');
    // Allowed, the run goes on to prepare its namespace, which fails here (no API server): reported, not passed.
    const allowed = await run([deck, '--context', 'prod', '--timeout-scale', '0.1'], { KUBECONFIG: kubeconfig, TMPDIR: dir });
    expect(allowed.status).toBe(1);
    expect(allowed.stderr).toContain('could not prepare namespace labdeck-');
    expect(runDirs(dir)).toEqual([]);
  });

  it('Ctrl-C stops the run, cleans up, leaves no tmux server nor directory, and exits 130', async () => {
    const work = mkdtempSync(join(tmpdir(), 'labdeck-sigint-'));
    mkdirSync(join(work, 'out'));
    const child = spawn(process.execPath, [BIN, 'verify', join(FIXTURES, 'sleep.md'), '--junit', join(work, 'out', 'junit.xml')], { env: { ...process.env, NO_COLOR: '1', TMPDIR: work, TMUX_TMPDIR: work } });
    let stderr = '';
    const code = await new Promise<number | null>((done) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('slide 1/2') && !child.killed) setTimeout(() => child.kill('SIGINT'), 300);
      });
      child.on('close', done);
    });
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(readdirSync(work).filter((f) => f.startsWith('cleanup-'))).toHaveLength(1);
    expect(runDirs(work)).toEqual([]);
    expect(socketsLeft(work)).toEqual([]);
    // This run's servers only (their files are under `work`): other runs may share the machine.
    expect(spawnSync('pgrep', ['-f', `tmux -L labdeck-.*${work}/`]).stdout.toString()).toBe('');
  });
});
