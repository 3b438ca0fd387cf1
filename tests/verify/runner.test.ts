import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { follower, slideNotice, type SlideNotice } from '../../src/verify/follow.ts';
import { htmlReport } from '../../src/verify/report/html.ts';
import { junitXml } from '../../src/verify/report/junit.ts';
import { leftovers, replay, runDirs } from './helpers.ts';

// Every test here drives real tmux servers (no cluster) and asserts the report's verdict per slide.
describe('verify against real tmux', () => {
  it('replays local commands: echo, seq, watch, copy/paste across panes, cat ended by ^D, expected failure, heredoc', async () => {
    const r = await replay(['local.md']);
    expect(r.verdicts).toEqual({ local: { 1: 'passed', 2: 'passed', 3: 'passed', 4: 'passed', 5: 'passed' } });
    expect(r.status).toBe('passed');
    const steps = r.events.filter((e) => e.type === 'step');
    // The text copied from the watch pane was pasted into the other one and came back in its output.
    expect(steps.find((e) => e.step.kind === 'copy')).toMatchObject({ status: 'passed', output: 'token-abc123' });
    expect(steps.find((e) => e.step.kind === 'check')).toMatchObject({ exitCode: 0, output: expect.stringContaining('got token-abc123') });
    expect(steps.find((e) => e.step.text.startsWith('$ ls /does-not-exist'))).toMatchObject({ status: 'passed', exitCode: 2 });
    expect(leftovers(r.runId)).toEqual({ servers: [], sockets: [] });
    expect(runDirs(r.workDir)).toEqual([]);
  });

  it('reports each fault on its slide and goes on with --continue-on-error', async () => {
    const r = await replay(['faults.md'], { continueOnError: true });
    expect(r.verdicts).toEqual({ faults: { 1: 'failed', 2: 'failed', 3: 'failed', 4: 'failed', 5: 'failed', 6: 'failed', 7: 'passed', 8: 'skipped', 9: 'failed' } });
    expect(r.status).toBe('failed');
    const failure = (n: number) => r.events.find((e) => e.type === 'step' && e.slide.number === n && e.status === 'failed') as Extract<(typeof r.events)[number], { type: 'step' }>;
    expect(failure(1)).toMatchObject({ exitCode: 2, message: expect.stringContaining('exit status 2, expected exit status 0') });
    expect(failure(1).screen).toContain("ls: cannot access '/no/such/dir'");
    expect(failure(2).message).toContain('expected a non-zero exit status');
    expect(failure(3).message).toContain('no prompt after 500 ms');
    expect(failure(3).screen).toContain('$ sleep 30');
    expect(failure(4).message).toContain('"never-printed" did not appear');
    expect(failure(5).message).toContain('nothing on pane %0 matches /zzz-nothing-[0-9]+/');
    expect(failure(6).message).toContain('the shell exited (status 3)');
    expect(failure(9).message).toContain('no space for a new pane');
    const skipped = r.events.find((e) => e.type === 'step' && e.slide.number === 8);
    expect(skipped).toMatchObject({ status: 'skipped', reason: 'needs a GPU' });
    // JUnit: a case per slide, the failing step and the screen in the failure text.
    const xml = junitXml(r.summary);
    expect(xml.match(/<testcase /g)).toHaveLength(9);
    expect(xml.match(/<failure /g)).toHaveLength(7);
    expect(xml).toContain('at faults.md:36 (slide 3)');
    expect(xml).toContain('<skipped message="needs a GPU"/>');
    expect(htmlReport(r.summary)).toContain('vscode://file');
    expect(leftovers(r.runId)).toEqual({ servers: [], sockets: [] });
  });

  it('stops at the first failure by default, and cleanup still runs', async () => {
    const r = await replay(['cleanup.md']);
    expect(r.verdicts).toEqual({ cleanup: { 1: 'failed', 2: 'skipped' } });
    expect(readFileSync(join(r.workDir, `setup-${r.runId}`), 'utf8')).toBe('setup\n');
    expect(readFileSync(join(r.workDir, `cleanup-${r.runId}`), 'utf8')).toBe('cleanup\n');
    expect(r.summary.units[0]!.hooks.map((h) => [h.step.kind, h.status])).toEqual([['setup', 'passed'], ['cleanup', 'passed']]);
    expect(junitXml(r.summary)).toContain('<testcase name="cleanup: echo cleanup');
    expect(leftovers(r.runId).sockets).toEqual([]);
  });

  it('is interrupted cleanly: the step stops, cleanup runs, no server or directory is left, nothing passes', async () => {
    const abort = new AbortController();
    const r = await replay(['sleep.md'], {
      signal: abort.signal,
      emit: (e) => {
        if (e.type === 'slide') setTimeout(() => abort.abort(), 300);
      },
    });
    expect(r.status).toBe('interrupted');
    expect(r.verdicts).toEqual({ sleep: { 1: 'failed', 2: 'skipped' } });
    expect(r.events.find((e) => e.type === 'step' && e.status === 'failed')).toMatchObject({ message: 'interrupted' });
    expect(existsSync(join(r.workDir, `cleanup-${r.runId}`))).toBe(true);
    expect(leftovers(r.runId)).toEqual({ servers: [], sockets: [] });
    expect(runDirs(r.workDir)).toEqual([]);
  });

  it('runs chapters in parallel with --jobs, records every pane with a marker per slide, and tells a follower each slide', async () => {
    const received: SlideNotice[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push(JSON.parse(body) as SlideNotice);
        res.end('ok');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    const follow = follower(`http://127.0.0.1:${port}/`, () => {});
    try {
      const r0 = { runId: '' };
      const r = await replay(['local.md', 'cleanup.md'], {
        jobs: 2,
        continueOnError: true,
        castDir: join(process.env.TMPDIR ?? '/tmp', `labdeck-vtest-casts-${process.pid}`),
        onSlide: (unit, slide) => follow.notify(slideNotice(r0.runId || 'run', unit, slide)),
      });
      await follow.flush();
      expect(r.verdicts).toEqual({ local: { 1: 'passed', 2: 'passed', 3: 'passed', 4: 'passed', 5: 'passed' }, cleanup: { 1: 'failed', 2: 'passed' } });
      const starts = r.events.filter((e) => e.type === 'unit-start');
      expect(starts).toHaveLength(2);
      expect(received.filter((n) => n.deck === 'local.md').map((n) => n.slideIndex)).toEqual([0, 1, 2, 3, 4]);
      const end = r.events.find((e) => e.type === 'unit-end' && e.unit === 'local') as Extract<(typeof r.events)[number], { type: 'unit-end' }>;
      expect(Object.keys(end.casts ?? {})).toEqual(['%0', '%1']);
      const cast = readFileSync(join(process.env.TMPDIR ?? '/tmp', `labdeck-vtest-casts-${process.pid}`, end.casts!['%0']!), 'utf8').trim().split('\n');
      expect(JSON.parse(cast[0]!)).toMatchObject({ version: 2, width: 120, height: 40 });
      const events = cast.slice(1).map((l) => JSON.parse(l) as [number, string, string]);
      expect(events.filter((e) => e[1] === 'm').map((e) => e[2])).toEqual(['slide 1: Local commands', 'slide 2: Watch in a split pane, copy and paste across panes', 'slide 3: Cat ended by Ctrl-D', 'slide 4: Close the split pane and stop watch', 'slide 5: An expected failure']);
      expect(events.filter((e) => e[1] === 'o').map((e) => e[2]).join('')).toContain('hello world');
      expect(events.some((e) => e[1] === 'o' && e[2].includes('\x1b]6973'))).toBe(false);
      expect(leftovers(r.runId)).toEqual({ servers: [], sockets: [] });
    } finally {
      server.close();
    }
  });
});
