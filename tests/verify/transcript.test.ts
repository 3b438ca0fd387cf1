import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/manifest/index.ts';
import { parseSource } from '../../src/parse/index.ts';
import { unitFromFile } from '../../src/verify/extract.ts';
import type { CommandStep } from '../../src/verify/step.ts';
import { compareOutput, normalizeOutput } from '../../src/verify/match.ts';
import { isTranscriptBlock, parseTranscript } from '../../src/verify/transcript.ts';
import { applyEdits, type OutputEdit } from '../../src/verify/update.ts';
import { runCli } from '../cli/run.ts';
import { FIXTURES } from './helpers.ts';

const scratch: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'labdeck-update-'));
  scratch.push(d);
  return d;
};
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
const verify = (args: string[]) => runCli(['verify', ...args], { env: { CI: '1' } });

describe('console transcripts: extraction', () => {
  it('takes the text after each prompt as a command and the lines up to the next prompt as its output', () => {
    const t = parseTranscript(['dev $ kubectl get pods', 'NAME   READY', 'web-1  1/1', '', 'dev $ kubectl logs web-1', 'hello', 'dev $', 'not part of it'].join('\n'));
    expect(t.preamble).toBe(false);
    expect(t.commands).toEqual([
      { command: 'kubectl get pods', line: 0, output: { start: 1, end: 3, text: 'NAME   READY\nweb-1  1/1' } },
      { command: 'kubectl logs web-1', line: 4, output: { start: 5, end: 6, text: 'hello' } },
    ]);
  });

  it('knows the usual prompts; `# ` is a prompt only in a block whose first prompt is one', () => {
    const cmds = (text: string) => parseTranscript(text).commands.map((c) => c.command);
    expect(cmds('$ ls\nuser@host:~/app$ pwd\n[root@vm ~]$ id')).toEqual(['ls', 'pwd', 'id']);
    expect(cmds('# apt-get update\nHit:1 http://deb\n# id -u\n0')).toEqual(['apt-get update', 'id -u']);
    expect(cmds('root@pod:/# hostname\npod')).toEqual(['hostname']);
    // Prometheus output under a `$` prompt: the `# HELP` lines are output.
    const t = parseTranscript('$ curl -s localhost:9090/metrics\n# HELP up Is it up\n# TYPE up gauge\nup 1');
    expect(t.commands).toHaveLength(1);
    expect(t.commands[0]!.output.text).toBe('# HELP up Is it up\n# TYPE up gauge\nup 1');
  });

  it('joins continuation lines (the shell\'s `> ` prompt removed) and drops highlight backticks', () => {
    const t = parseTranscript("$ cat <<EOF | wc -l\n> one\n> EOF\n1\n$ echo 'a\n> b'\na\nb\n$ `kubectl` get \\\n>   pods\nNo resources found");
    expect(t.commands.map((c) => c.command)).toEqual(['cat <<EOF | wc -l\none\nEOF', "echo 'a\nb'", 'kubectl get \\\n  pods']);
    expect(t.commands.map((c) => c.output.text)).toEqual(['1', 'a\nb', 'No resources found']);
  });

  it('masks the dates `date` and HTTP servers print', () => {
    expect(normalizeOutput('Sun Nov 22 04:16:37 UTC 2026\nDate: Sun, 22 Nov 2026 04:16:37 GMT')).toBe('<time>\nDate: <time>');
    expect(compareOutput('built Mon Jan  5 10:00:00 UTC 2025', 'built Sun Nov 22 04:16:37 UTC 2026')).toBeUndefined();
  });

  it('recognises console and shell-session blocks, and sh blocks that start with a $ prompt', () => {
    expect(isTranscriptBlock('console', 'anything')).toBe(true);
    expect(isTranscriptBlock('shell-session', '$ ls')).toBe(true);
    expect(isTranscriptBlock('sh', 'dev $ kubectl get no\nNAME')).toBe(true);
    expect(isTranscriptBlock('sh', '# install it\napt-get install tmux')).toBe(false);
    expect(isTranscriptBlock('sh', 'kubectl get no')).toBe(false);
    expect(isTranscriptBlock('bash', '$ ls')).toBe(false);
    expect(isTranscriptBlock('', '$ ls')).toBe(false);
  });

  it('plans one step per command with the positions of the file, only when transcripts are on', () => {
    const text = readFileSync(join(FIXTURES, 'transcript-changed.md'), 'utf8');
    const file = parseSource(text, { path: 'transcript-changed.md' });
    expect(unitFromFile(file, FIXTURES).slides).toEqual([]);
    const unit = unitFromFile(file, FIXTURES, true);
    const steps = unit.slides.flatMap((s) => s.steps) as CommandStep[];
    const lines = text.split('\n');
    expect(steps.map((s) => lines[s.position.line - 1]!.trim())).toEqual([
      'dev $ echo version 1',
      "dev $ printf 'app   v2\\nbuild 7\\npod web-7c8bbcd9bc-6c9qz 5s\\n'",
      'dev $ echo unchanged',
      "$ printf 'one\\ntwo\\n'",
      '$ true',
    ]);
    const second = steps[1]!;
    expect(second.exit).toEqual({ kind: 'any' });
    expect(lines.slice(second.transcript!.start - 1, second.transcript!.end - 1)).toEqual(['app v1', 'build 7', 'pod web-xxxxxxxxxx-yyyyy 3m']);
    // In the lab box, the block is indented: the model's lines have the indentation removed.
    expect(steps[3]!.transcript).toMatchObject({ lines: ['one'] });
    expect(lines[steps[3]!.transcript!.start - 1]).toBe('  one');
    expect(steps[4]!.transcript!.start).toBe(steps[4]!.transcript!.end);
  });

  it('refuses an `output` directive after a transcript (the block is the expected output)', () => {
    const file = parseSource('# X\n\n```console\n$ echo a\na\n```\n\n<!-- ```output\nb\n``` -->\n', { path: 'x.md' });
    expect(unitFromFile(file, '/', true).diagnostics.map((d) => `${d.position.line} ${d.message}`)).toEqual(['8 `output` after a console transcript: its expected output is the block itself']);
  });

  it('reads `transcripts:` from a manifest, and refuses a value that is not true or false', () => {
    const base = 'title: T\nlang: en\nexclude: [x]\ncontent: [a.md]\n';
    expect(readManifest(base + 'transcripts: true\n', 'd.yml').manifest?.transcripts).toBe(true);
    expect(readManifest(base, 'd.yml').manifest?.transcripts).toBeUndefined();
    const bad = readManifest(base + 'transcripts: yes please\n', 'd.yml');
    expect(bad.diagnostics.map((d) => `${d.position.line} ${d.code} ${d.message}`)).toEqual(['5 manifest/type `transcripts` must be true or false']);
  });
});

describe('console transcripts: --update in place', () => {
  const text = ['# T', '', '- Look:', '  ```console', '  $ echo hi', '  hello', '  $ echo end', '  end', '  ```', '', 'after'].join('\n');
  const edit = (lines: string[], start = 6, end = 7, was = ['hello']): OutputEdit => ({ file: 't.md', root: '/', position: { file: 't.md', line: 5, column: 1 }, transcript: { fence: 4, start, end, lines: was }, lines });

  it('replaces only the output lines, with the block\'s indentation', () => {
    const r = applyEdits(text, 't.md', [edit(['hi', '', 'there'])]);
    expect(r).toEqual({ text: text.replace('  hello\n', '  hi\n\n  there\n') });
  });

  it('refuses an edit when the file changed since the run, or when the output would change the file\'s structure', () => {
    const changed = applyEdits(text.replace('  hello', '  HELLO'), 't.md', [edit(['hi'])]);
    expect('error' in changed && changed.error.message).toContain('changed since it was read');
    const prompt = applyEdits(text, 't.md', [edit(['$ rm -rf /'])]);
    expect('error' in prompt && prompt.error.message).toContain('reads as a prompt');
    const fence = applyEdits(text, 't.md', [edit(['```', 'x'])]);
    expect('error' in fence && fence.error.message).toContain('would change how the file splits into slides or code blocks');
    // A `---` line inside a fence is code, not a slide separator (remark.js lexes fences first).
    expect(applyEdits(text, 't.md', [edit(['---'])])).toEqual({ text: text.replace('  hello\n', '  ---\n') });
  });
});

describe('console transcripts: labdeck verify (real tmux, local commands)', () => {
  it('replays a transcript whose output still matches (prompts dev $ and $, masked values, ANSI, heredoc, [...])', async () => {
    const r = await verify(['--transcripts', join(FIXTURES, 'transcript-pass.md')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('transcript-pass: passed — 6 passed, 0 failed, 0 skipped');
  });

  it('fails a transcript whose output changed, showing the diff, and leaves the file alone', async () => {
    const before = readFileSync(join(FIXTURES, 'transcript-changed.md'), 'utf8');
    const r = await verify(['--transcripts', '--continue-on-error', join(FIXTURES, 'transcript-changed.md')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('✗ slide 1 $ printf');
    expect(r.stderr).toContain('the output differs from the transcript:\n      - app v1\n      + app v2\n        build 7');
    expect(r.stderr).toContain('labdeck verify --update');
    expect(r.stderr).toContain('transcript-changed.md:24');
    expect(readFileSync(join(FIXTURES, 'transcript-changed.md'), 'utf8')).toBe(before);
  });

  it('--update rewrites the changed output lines in place, prints a unified diff, and the next run passes', async () => {
    const dir = tempDir();
    const file = join(dir, 'transcript-changed.md');
    copyFileSync(join(FIXTURES, 'transcript-changed.md'), file);
    const before = readFileSync(file, 'utf8');
    const r = await verify(['--transcripts', '--update', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('updated: 2 transcript outputs in 1 file');
    expect(r.stdout).toContain('--- a/transcript-changed.md\n+++ b/transcript-changed.md\n');
    expect(r.stdout).toContain('-app v1\n+app   v2\n build 7\n pod web-xxxxxxxxxx-yyyyy 3m\n');
    expect(r.stdout).toContain("   $ printf 'one\\ntwo\\n'\n   one\n+  two\n   $ true\n");
    // Exactly those lines changed: the placeholder line the output still matches is kept as written.
    expect(readFileSync(file, 'utf8')).toBe(before.replace('\napp v1\n', '\napp   v2\n').replace('\n  one\n', '\n  one\n  two\n'));
    expect(readdirSync(dir)).toEqual(['transcript-changed.md']);
    const again = await verify(['--transcripts', file]);
    expect(again.status, again.stderr).toBe(0);
    const noop = await verify(['--transcripts', '--update', file]);
    expect(noop.stdout).toBe('');
    expect(noop.stderr).toContain('every transcript output is up to date');
    const forgot = await verify(['--update', join(FIXTURES, 'local.md')]);
    expect(forgot.status).toBe(0);
    expect(forgot.stderr).toContain('no console transcript to update');
  });

  it('a deck with `transcripts: true` replays its console and shell-session blocks, not unlabelled ones; the lone chapter does not', async () => {
    const deck = await verify([join(FIXTURES, 'transcripts/deck.yml')]);
    expect(deck.status, deck.stderr).toBe(0);
    expect(deck.stderr).toContain('$ echo from the deck');
    expect(deck.stderr).toContain("$ printf 'a\\nb\\n'");
    expect(deck.stderr).not.toContain('false-command');
    expect(deck.stderr).toContain('2 passed, 0 failed');
    const alone = await verify([join(FIXTURES, 'transcripts/chapter.md')]);
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain('nothing to verify');
  });

  it('--update refuses to write output that would break the slide, and says why', async () => {
    const dir = tempDir();
    const file = join(dir, 'lab.md');
    // remark.js counts brackets inside code: an output line `x[` would leave the `.lab[` box open.
    const text = '# S\n\n.lab[\n\n```console\n$ printf \'x\\133\\n\'\nx\n```\n\n]\n';
    writeFileSync(file, text);
    const r = await verify(['--transcripts', '--update', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('lab.md:6:1: error: not updated: the new output would make the file invalid (`.lab[` is never closed)');
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['lab.md']);
  });
});
