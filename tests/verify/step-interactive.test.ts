import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerifyEvent } from '../../src/verify/events.ts';

const BIN = join(import.meta.dirname, '../../bin/labdeck.js');
const dir = mkdtempSync(join(tmpdir(), 'labdeck-step-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `labdeck verify --step` and answers each prompt (on stderr) from `answers`, in order,
 * as a person at the keyboard would: one line per question, only once the question is shown.
 */
function interactive(chapter: string, answers: string[]): Promise<{ code: number | null; prompts: string[]; events: VerifyEvent[] }> {
  const file = join(dir, `${answers.join('-') || 'none'}.md`);
  const json = `${file}.jsonl`;
  writeFileSync(file, chapter);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'verify', '--step', file, '--json', json], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const prompts: string[] = [];
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      // A question ends with "? " and waits for a line.
      for (let q = /\? $/.exec(err); q; q = null) {
        prompts.push(err.slice(Math.max(0, err.lastIndexOf('\n', err.lastIndexOf('\n') - 1))).trim());
        err = '';
        child.stdin.write(`${answers.shift() ?? 'q'}\n`);
      }
    });
    child.on('exit', (code) => {
      const events = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as VerifyEvent);
      resolve({ code, prompts, events });
    });
  });
}

const CHAPTER = '# Steps\n\n.lab[\n```bash\necho one\n```\n]\n\n---\n\n## Two\n\n.lab[\n```bash\nfalse\n```\n\n```bash\necho three\n```\n]\n\n---\n\n## Four\n\n.lab[\n```bash\necho four\n```\n]\n';
const steps = (events: VerifyEvent[]) => events.flatMap((e) => (e.type === 'step' && e.step.index >= 0 ? [`${e.step.text}: ${e.status}${e.attempt && e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`] : []));

describe('labdeck verify --step', () => {
  it('asks before each step and after a failure: skip, run, retry, skip, then Enter runs', async () => {
    // echo one → skip; false → run, fails → retry, fails → skip; echo three → Enter (run); echo four → run.
    const r = await interactive(CHAPTER, ['s', 'r', 'r', 's', '', 'r']);
    expect(r.prompts.filter((p) => p.includes('[R]un, (s)kip, (q)uit?'))).toHaveLength(4);
    expect(r.prompts.filter((p) => p.includes('(r)etry, (s)kip, [Q]uit?'))).toHaveLength(2);
    expect(steps(r.events)).toEqual(['$ echo one: skipped', '$ false: failed (attempt 2)', '$ echo three: passed', '$ echo four: passed']);
    expect(r.code).toBe(1);
  }, 60_000);

  it('quits when asked: the rest is skipped and the run is not a success', async () => {
    const r = await interactive(CHAPTER, ['r', 'q']);
    expect(steps(r.events)).toEqual(['$ echo one: passed', '$ false: skipped', '$ echo three: skipped', '$ echo four: skipped']);
    expect(r.events.find((e) => e.type === 'run-end')).toMatchObject({ status: 'interrupted' });
    expect(r.code).not.toBe(0);
  }, 60_000);
});
