import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyEvent } from '../../src/verify/events.ts';
import { runFileName } from '../../src/verify/history.ts';
import { summarize } from '../../src/verify/report/summary.ts';
import { labdeck } from '../cli/run.ts';
import { COURSE, COURSE_DECKS } from './course-fixture.ts';

/**
 * Shards of a real run (real tmux, the fixture course's local labs), merged, against one run of
 * everything; what `verify merge` refuses and warns about; reports that are not JSON or cut short;
 * the history `verify` keeps and what `verify history` says of it.
 */
const BIN = resolve(import.meta.dirname, '../../bin/labdeck.js');
let dir = '';

/** `labdeck verify` as its own process, as a CI runner starts it. */
function verifyProcess(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'verify', ...args], { env: { ...process.env, NO_COLOR: '1', CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stderr }));
  });
}

const events = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as VerifyEvent);

/** unit → slide id → status and failing step: what a run concluded, durations aside. */
function verdicts(file: string): Record<string, Record<string, string>> {
  return Object.fromEntries(
    summarize(events(file)).units.map((u) => [
      u.id,
      Object.fromEntries(u.slides.map((s) => [s.slide.id, `${s.status}${s.steps.find((x) => x.status === 'failed') ? ` at ${s.steps.find((x) => x.status === 'failed')!.step.text}` : ''}`])),
    ]),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labdeck-reports-'));
  const one = verifyProcess([...COURSE_DECKS, '--json', join(dir, 'one.jsonl'), '--history-dir', join(dir, 'history')]);
  const shards = [1, 2, 3].map((i) => verifyProcess([...COURSE_DECKS, '--shard', `${i}/3`, '--json', join(dir, `shard-${i}.jsonl`), '--history', '0']));
  const results = await Promise.all([one, ...shards]);
  // A lab of labs-en and labs-fr fails on purpose (exit 1); more-en passes (its shard exits 0).
  expect(results.map((r) => r.code)).toEqual([1, 0, 1, 1]);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('shards of a run, merged', () => {
  it('each shard runs its share, a deck never split: more-en (6 steps) alone, labs-en and labs-fr (4 each) one each', () => {
    const ran = [1, 2, 3].map((i) => summarize(events(join(dir, `shard-${i}.jsonl`))).units.map((u) => u.id));
    expect(ran).toEqual([['more-en'], ['labs-en'], ['labs-fr']]);
    const start = events(join(dir, 'shard-2.jsonl'))[0] as Extract<VerifyEvent, { type: 'run-start' }>;
    expect(start.shard).toMatchObject({ index: 2, total: 3 });
    expect(start.shard!.of.map((u) => u.id)).toEqual(['labs-en', 'labs-fr', 'more-en']);
    expect(start.labdeck).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('give, merged, the same verdicts as one run of every deck, and the same JUnit cases', async () => {
    const merged = join(dir, 'merged.jsonl');
    const r = await labdeck('verify', 'merge', ...[1, 2, 3].map((i) => join(dir, `shard-${i}.jsonl`)), '--json', merged, '--junit', join(dir, 'merged.xml'), '--html', join(dir, 'html'), '--history', '0');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('merged 3 reports: failed, 3 decks, 10 slides, 2 failed');
    expect(verdicts(merged)).toEqual(verdicts(join(dir, 'one.jsonl')));
    expect(verdicts(merged)['labs-fr']).toMatchObject({ 'fr/labs.md:2': 'passed', 'fr/labs.md:3': 'failed at $ ls /labdeck-no-such-folder', 'fr/labs.md:4': 'skipped' });
    // The same cases, the same failures, whatever the times.
    const cases = (xml: string) => [...xml.matchAll(/<testcase name="([^"]+)" classname="([^"]+)"[^>]*>\s*(<failure|<skipped|<system-out)/g)].map((m) => `${m[2]} ${m[1]} ${m[3]}`);
    const single = await labdeck('verify', 'merge', join(dir, 'one.jsonl'), '--junit', join(dir, 'one.xml'), '--history', '0');
    expect(single.code).toBe(1);
    expect(cases(readFileSync(join(dir, 'merged.xml'), 'utf8'))).toEqual(cases(readFileSync(join(dir, 'one.xml'), 'utf8')));
    expect(readFileSync(join(dir, 'html', 'index.html'), 'utf8')).toContain('ls: cannot access');
    const start = events(merged)[0] as Extract<VerifyEvent, { type: 'run-start' }>;
    expect(start.merged!.map((m) => m.shard)).toEqual([1, 2, 3].map((index) => ({ index, total: 3 })));
  });

  it('refuses reports of different decks, saying which decks each one shares out', async () => {
    const other = join(dir, 'en-only.jsonl');
    const run = await verifyProcess([COURSE_DECKS[2]!, '--shard', '1/3', '--json', other, '--history', '0']);
    expect(run.code).toBe(0);
    const r = await labdeck('verify', 'merge', join(dir, 'shard-1.jsonl'), other, '--json', join(dir, 'refused.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: reports of different decks: ${other} shares out more-en; ${join(dir, 'shard-1.jsonl')} shares out labs-en, labs-fr, more-en (only in ${join(dir, 'shard-1.jsonl')}: labs-en, labs-fr)`);
    expect(r.stderr).toContain('nothing merged');
    expect(existsSync(join(dir, 'refused.jsonl'))).toBe(false);
  });

  it('refuses the same shard twice, and reports of different shard counts', async () => {
    const twice = await labdeck('verify', 'merge', join(dir, 'shard-1.jsonl'), join(dir, 'shard-1.jsonl'));
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('are both shard 1/3');
    const plain = await labdeck('verify', 'merge', join(dir, 'shard-1.jsonl'), join(dir, 'one.jsonl'));
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain(`${join(dir, 'one.jsonl')} is an unsharded run, ${join(dir, 'shard-1.jsonl')} is shard 1/3: not shards of one run`);
  });

  it('warns about reports of different labdeck versions, naming each file and version, and merges', async () => {
    const older = join(dir, 'shard-3-older.jsonl');
    writeFileSync(older, readFileSync(join(dir, 'shard-3.jsonl'), 'utf8').replace(/"labdeck":"[^"]+"/, '"labdeck":"0.0.1"'));
    const r = await labdeck('verify', 'merge', join(dir, 'shard-1.jsonl'), join(dir, 'shard-2.jsonl'), older, '--json', join(dir, 'mixed.jsonl'), '--history', '0');
    expect(r.stderr).toMatch(new RegExp(`warning: reports of different labdeck versions: \\d+\\.\\d+\\.\\d+[^ ]* \\(${join(dir, 'shard-1.jsonl')}, ${join(dir, 'shard-2.jsonl')}\\); 0\\.0\\.1 \\(${older}\\)`));
    expect(r.code).toBe(1);
    expect(verdicts(join(dir, 'mixed.jsonl'))).toEqual(verdicts(join(dir, 'one.jsonl')));
  });

  it('says which shard and which decks are missing, and does not pass', async () => {
    const r = await labdeck('verify', 'merge', join(dir, 'shard-1.jsonl'), '--history', '0');
    expect(r.stderr).toContain('warning: shards 2/3, 3/3 missing; not verified by any report: labs-en, labs-fr');
    expect(r.stderr).toContain('some decks not verified');
    expect(r.code).toBe(1);
  });
});

describe('reports that cannot be read', () => {
  it('a report that is not JSON: its file, line and column', async () => {
    const junit = join(dir, 'not-a-report.xml');
    writeFileSync(junit, '<?xml version="1.0"?>\n<testsuites/>\n');
    const r = await labdeck('verify', 'merge', junit);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${junit}:1:1: error: not JSON: Unexpected token '<'`);
  });

  it('a report cut in the middle of an event: the line and column where it stops', async () => {
    const text = readFileSync(join(dir, 'shard-2.jsonl'), 'utf8');
    const lines = text.trimEnd().split('\n');
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, `${lines.slice(0, 4).join('\n')}\n${lines[4]!.slice(0, 30)}`);
    const r = await labdeck('verify', 'merge', cut, join(dir, 'shard-1.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cut}:5:31: error: truncated: line 5 stops in the middle of an event`);
    expect(r.stderr).toContain('nothing merged: 1 of 2 reports cannot be read');
  });

  it('a report that stops before its run-end event (the run was killed): the last line it has', async () => {
    const lines = readFileSync(join(dir, 'shard-2.jsonl'), 'utf8').trimEnd().split('\n');
    const killed = join(dir, 'killed.jsonl');
    writeFileSync(killed, lines.slice(0, -1).join('\n') + '\n');
    const r = await labdeck('verify', 'merge', killed);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${killed}:${lines.length - 1}:${lines.at(-2)!.length + 1}: error: truncated: the report stops after line ${lines.length - 1} without its "run-end" event`);
  });

  it('JSON that is not a verify report', async () => {
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, '{"name":"labdeck"}\n');
    const r = await labdeck('verify', 'merge', other);
    expect(r.stderr).toContain(`${other}:1:1: error: not a labdeck verify event`);
    // An event without a field every view relies on is refused where it is, not half read.
    const lines = readFileSync(join(dir, 'shard-1.jsonl'), 'utf8').trimEnd().split('\n');
    const step = lines.findIndex((l) => l.includes('"type":"step"'));
    lines[step] = JSON.stringify({ ...JSON.parse(lines[step]!), slide: undefined });
    const holed = join(dir, 'holed.jsonl');
    writeFileSync(holed, lines.join('\n') + '\n');
    const refused = await labdeck('verify', 'merge', holed);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${holed}:${step + 1}:1: error: not a labdeck verify event: this "step" event has no "slide" (object)`);
  });

  it('a report names no path in the history: its run id and time are made file-name safe', () => {
    expect(runFileName({ type: 'run-start', run: '../../etc/passwd', time: '../x/2026-01-01T00:00:00.000Z', units: [], labdeck: '0' })).toBe('__x_2026-01-01T00-00-00Z-__.._etc_passwd.jsonl');
  });
});

describe('history', () => {
  it('verify keeps its report where build looks by default, and keeps only the newest N', async () => {
    const history = join(dir, 'kept');
    for (let i = 0; i < 3; i++) {
      const r = await verifyProcess([COURSE_DECKS[2]!, '--history-dir', history, '--history', '2']);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`report kept in `);
    }
    const files = readdirSync(join(history, 'runs'));
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-[a-z0-9]+\.jsonl$/.test(f))).toBe(true);
    // labdeck.yml's verify.history says how many when --history does not.
    const project = mkdtempSync(join(dir, 'project-'));
    writeFileSync(join(project, 'labdeck.yml'), 'verify:\n  history: fifty\n');
    const bad = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [BIN, 'verify', COURSE_DECKS[2]!], { cwd: project, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => done({ code, stderr }));
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('labdeck.yml: verify.history must be a whole number of reports to keep (0: none)');
  });

  it('verify history: per slide, since when it fails and the last run it passed', async () => {
    // A copy of the course whose `wc -l` lab passes, then fails twice once its expected text changes.
    const course = join(dir, 'course');
    cpSync(COURSE, course, { recursive: true });
    const history = join(dir, 'slides');
    const deck = join(course, 'decks', 'more-en.yml');
    expect((await verifyProcess([deck, '--history-dir', history])).code).toBe(0);
    const chapter = join(course, 'en', 'more.md');
    writeFileSync(chapter, readFileSync(chapter, 'utf8').replace('expect 2 list.txt', 'expect 3 list.txt'));
    expect((await verifyProcess([deck, '--history-dir', history])).code).toBe(1);
    expect((await verifyProcess([deck, '--history-dir', history])).code).toBe(1);
    const runs = readdirSync(join(history, 'runs')).map((f) => (events(join(history, 'runs', f))[0] as Extract<VerifyEvent, { type: 'run-start' }>).run);
    expect(runs).toHaveLength(3);

    const r = await labdeck('verify', 'history', 'more-en', '--history-dir', history);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^more-en — More local labs: 3 runs, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC → /);
    const files = lines.findIndex((l) => l.includes('slide 3  Files  en/more.md:5'));
    expect(lines[files + 1]).toMatch(new RegExp(`✗ failing since .* \\(run ${runs[1]}\\), 2 runs in a row; last passed .* \\(run ${runs[0]}\\)`));
    expect(lines[files + 2]).toContain('$ wc -l list.txt: ');
    const environment = lines.findIndex((l) => l.includes('slide 4  Environment'));
    expect(lines[environment + 1]).toContain('– not run (an earlier step failed');
    expect(lines[environment + 1]).toContain(`last passed`);
    // A deck given by its manifest path; a deck the history has never seen.
    expect((await labdeck('verify', 'history', deck, '--history-dir', history)).stdout).toBe(r.stdout);
    const unknown = await labdeck('verify', 'history', 'labs-en', '--history-dir', history);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run of labs-en in the history');
    expect(unknown.stderr).toContain('decks in the history: more-en');
  });

  it('a shard run and the merged report made of it count once', async () => {
    // As when the shards ran on this machine: each kept its own report, then the merge kept its.
    const history = join(dir, 'merged-history');
    mkdirSync(join(history, 'runs'), { recursive: true });
    for (const i of [1, 2, 3]) copyFileSync(join(dir, `shard-${i}.jsonl`), join(history, 'runs', `2000-01-0${i}T00-00-00Z-s${i}.jsonl`));
    expect((await labdeck('verify', 'merge', ...[1, 2, 3].map((i) => join(dir, `shard-${i}.jsonl`)), '--history-dir', history)).code).toBe(1);
    expect(readdirSync(join(history, 'runs'))).toHaveLength(4);
    const r = await labdeck('verify', 'history', '--history-dir', history);
    expect(r.stdout).toMatch(/^labs-en — Local labs: 1 run,/m);
    expect(r.stdout).toMatch(/^more-en — More local labs: 1 run,/m);
  });
});
