/**
 * Limits with messages: probes of issue 11 that crashed, hung or answered wrongly on hostile or
 * broken input. Each must now be a diagnostic with a position and a hint.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeAnswers, parseAnswers } from '../../src/answers/grade.ts';
import { findQuestions } from '../../src/answers/questions.ts';
import { clusterProblem, shellRunner } from '../../src/answers/run.ts';
import { buildSite } from '../../src/build/site.ts';
import { main } from '../../src/cli/main.ts';
import { REPO, runCli } from '../cli/run.ts';
import { readDocument } from '../../src/import/io.ts';
import { parseSource } from '../../src/parse/index.ts';
import { decodeText } from '../../src/shared/text.ts';
import { unitFromFile } from '../../src/verify/extract.ts';
import { contentTree, removeContentTrees } from '../content-tree.ts';

afterAll(removeContentTrees);

const MANIFEST = 'title: Probe\nlang: en\nroot: ..\nexclude: []\ncontent:\n- en/a.md\n';
const course = (chapter: string | Buffer) => {
  const dir = contentTree({ '.git/HEAD': 'x\n', 'decks/deck.yml': MANIFEST, 'en/a.md': '' });
  writeFileSync(join(dir, 'en/a.md'), chapter);
  return dir;
};
const build = async (dir: string) => (await buildSite({ manifests: [join(dir, 'decks/deck.yml')] })).diagnostics.filter((d) => d.severity === 'error');

/** `labdeck …` in-process, with what it printed on stderr. */
async function labdeck(...argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), stderr };
  } finally {
    process.stderr.write = write;
  }
}

describe('nesting', () => {
  it('.a[ macros nested 2,000 deep: build and lint say macro/too-deep instead of overflowing the stack', async () => {
    for (const text of ['## Deep\n\n' + '.a[\n'.repeat(2000) + 'x\n' + ']\n'.repeat(2000), '## Deep\n\n' + '.a['.repeat(2000) + 'x' + ']'.repeat(2000) + '\n']) {
      const dir = course(text);
      const errors = await build(dir);
      expect(errors.map((d) => [d.code, d.position.file, d.position.line])).toEqual([['macro/too-deep', 'en/a.md', text.includes('.a[\n') ? 23 : 3]]);
      expect(errors[0]!.hint).toBeTruthy();
      const lint = await labdeck('lint', join(dir, 'decks/deck.yml'));
      expect(lint.code).toBe(1);
      expect(lint.stderr).toMatch(/^en\/a\.md:\d+:\d+: error: `\.a\[` is nested more than 20 macros deep/m);
    }
  });
});

describe('file size', () => {
  it('a 3 MB chapter is refused with the default limit named in the message', async () => {
    const slide = '## Slide\n\n- a point about pods and nodes\n\n---\n\n';
    const dir = course(slide.repeat(Math.ceil((3 * 1024 * 1024) / slide.length)));
    const refused = await labdeck('build', join(dir, 'decks/deck.yml'), '--out', `${dir}-out`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^decks\/deck\.yml:6:3: error: `en\/a\.md` is 3 MB, above the 2 MB limit for a course file \(the default\) \[sandbox\/too-large\]/m);
    expect(refused.stderr).toMatch(/hint: split it into several files, or raise the limit on the command line: --max-file-size \d+MB/);
  });

  it('--max-file-size sets the limit, for the manifest, chapters and includes alike', async () => {
    const dir = course('');
    // The include root is the folder above the content root (this tree), cut down to the repository.
    writeFileSync(join(dir, 'en/a.md'), `## Big\n\n\`\`\`\n@@INCLUDE[${basename(dir)}/big.txt]\n\`\`\`\n${'x'.repeat(100 * 1024)}\n`);
    writeFileSync(join(dir, 'big.txt'), 'y'.repeat(100 * 1024));
    const small = await labdeck('lint', '--max-file-size', '64KB', join(dir, 'decks/deck.yml'));
    expect(small.code).toBe(1);
    expect(small.stderr).toMatch(/`en\/a\.md` is 100(\.\d)? KB, above the 64 KB limit for a course file \[sandbox\/too-large\]/);
    writeFileSync(join(dir, 'en/a.md'), `## Big\n\n\`\`\`\n@@INCLUDE[${basename(dir)}/big.txt]\n\`\`\`\n`);
    const include = await labdeck('lint', '--max-file-size', '64KB', join(dir, 'decks/deck.yml'));
    expect(include.stderr).toMatch(/^en\/a\.md:4:1: error: @@INCLUDE\[.*big\.txt\] not read: `.*big\.txt` is 100 KB, above the 64 KB limit/m);
    const raised = await labdeck('lint', join(dir, 'decks/deck.yml'), '--max-file-size', '1MB');
    expect(raised.stderr).toMatch(/0 errors/);
    expect(raised.code).toBe(0);
    expect((await labdeck('lint', '--max-file-size', 'lots', join(dir, 'decks/deck.yml'))).code).not.toBe(0);
  });
});

describe('text', () => {
  it('a chapter with invalid UTF-8 is an error at the byte, not a page full of U+FFFD', async () => {
    const dir = course(Buffer.concat([Buffer.from('## Café\n\nline two\nbad é'), Buffer.from([0xff, 0xfe]), Buffer.from(' here\n')]));
    const errors = await build(dir);
    expect(errors.map((d) => [d.code, d.position.file, d.position.line, d.position.column])).toEqual([['text/not-utf8', 'en/a.md', 4, 6]]);
    expect(errors[0]!.message).toContain('byte 0xFF at line 4, column 6');
  });

  it('a binary chapter (NUL bytes) is refused', async () => {
    const dir = course(Buffer.from([0x23, 0x20, 0x41, 0x0a, 0x00, 0x01, 0x02, 0x0a]));
    expect((await build(dir)).map((d) => [d.code, d.position.line, d.position.column])).toEqual([['text/not-utf8', 2, 1]]);
  });

  it('import names the line and column of the first byte that is not text, as the build does', () => {
    const dir = contentTree({});
    const file = join(dir, 'notes.txt');
    writeFileSync(file, Buffer.concat([Buffer.from('Titre\n\nune ligne\nàé '), Buffer.from([0xc3, 0x28])]));
    const read = readDocument(file);
    expect('problem' in read && [read.problem.position.line, read.problem.position.column, read.problem.message]).toEqual([4, 4, `${file} is not UTF-8 text: invalid UTF-8: byte 0xC3 at line 4, column 4`]);
  });

  it('decodeText finds overlong, surrogate and truncated sequences as TextDecoder does', () => {
    for (const bytes of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x41, 0xf0, 0x9f, 0x98]]) {
      const r = decodeText(Uint8Array.from(bytes));
      expect('notText' in r, String(bytes)).toBe(true);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes))).toThrow();
    }
    expect(decodeText(Buffer.from('é😀\n'))).toEqual({ text: 'é😀\n' });
  });
});

describe('answers check', () => {
  const questions = findQuestions(parseSource('## Q\n\nCombien ? [Answer1]\n\n<!-- answer Answer1: kubectl config get-contexts -o name | wc -l -->\n', { path: 'q.md' }).slides).questions;

  it('an answers file of 100,000 keys is read in one pass (it took over 100 s), stray keys summed up after 20', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `  "Stray${i}": "x"`);
    const text = `{\n  "Answer1": "3",\n${keys.join(',\n')}\n}\n`;
    const { answers, diagnostics } = parseAnswers(text, 'a.json', questions);
    expect(answers.get('Answer1')).toBe('3');
    expect(diagnostics).toHaveLength(21);
    expect(diagnostics[0]).toMatchObject({ code: 'answers/unknown-key', position: { line: 3 } });
    expect(diagnostics[19]!.position.line).toBe(22);
    expect(diagnostics[20]!.message).toBe('99980 more keys no question of this lab has');
  });

  it('a check that cannot reach a cluster gives no verdict, not "wrong: 0"', async () => {
    // What `kubectl config get-contexts | wc -l` does without a cluster: exit 0, prints 0.
    const run = async (command: string) => (command.startsWith('kubectl version') ? { exitCode: 1, stdout: '', stderr: 'The connection to the server localhost:8080 was refused\n', timedOut: false } : { exitCode: 0, stdout: '0\n', stderr: '', timedOut: false });
    const [grade] = await gradeAnswers(questions, new Map([['Answer1', '2']]), run, { clusterProblem: clusterProblem(run) });
    expect(grade).toMatchObject({ status: 'check-failed', reason: 'no cluster answers (`kubectl version`: The connection to the server localhost:8080 was refused)' });
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!kubectl)('labdeck answers check tp4-fr with no cluster: the Answer1 check gives no verdict (needs kubectl)', async () => {
    const dir = contentTree({ 'answers.json': '{"Answer1": "2", "Answer2": "x", "Answer3": "default"}' });
    const r = await runCli(['answers', 'check', 'tp4-fr', join(dir, 'answers.json')], { cwd: REPO, env: { KUBECONFIG: join(dir, 'no-such-kubeconfig') } });
    expect(r.stdout).toMatch(/! no verdict Answer1 +the check could not run: no cluster answers/);
    expect(r.stdout).not.toMatch(/✘ wrong/);
    expect(r.status).toBe(1);
  });
  if (!kubectl) console.log('kubectl is not installed: the tp4 no-verdict probe is skipped');

  it('the shell runner still grades a check that does not need a cluster', async () => {
    const q = findQuestions(parseSource('## Q\n\nA ? [Answer1]\n\n<!-- answer Answer1: echo 3 -->\n', { path: 'q.md' }).slides).questions;
    const run = shellRunner({ timeoutMs: 5000 });
    expect(await gradeAnswers(q, new Map([['Answer1', '3']]), run, { clusterProblem: async () => 'down' })).toEqual([{ key: 'Answer1', status: 'right', given: '3' }]);
  });
});

describe('directives', () => {
  it('expect-fail /[/ is a lint error at the directive, not a TypeError during the run', async () => {
    // Outside a lab box: the dialect counts every bracket, so `[` inside one would unbalance it.
    const chapter = '## T\n\nHidden step:\n\n<!-- ```bash false``` -->\n\n<!-- ```expect-fail /[/``` -->\n';
    const unit = unitFromFile(parseSource(chapter, { path: 'a.md' }), '/tmp');
    expect(unit.diagnostics.map((d) => [d.code, d.position.line, d.message])).toEqual([['verify/directive', 7, expect.stringContaining('`expect-fail`: invalid regular expression')]]);
    const dir = course(chapter);
    const lint = await labdeck('lint', join(dir, 'decks/deck.yml'));
    expect(lint.code).toBe(1);
    expect(lint.stderr).toMatch(/^en\/a\.md:7:\d+: error: `expect-fail`: invalid regular expression/m);
  });
});

// mkfifo and friends are used by the sandbox probes; keep this file free of them.
void execFileSync;
