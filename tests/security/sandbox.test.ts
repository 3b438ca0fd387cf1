/**
 * The course is a sandbox: probes of issue 11, each trying to make the build read or write
 * something outside the course. Every one built or wrote it before the sandbox; each must now be
 * an error with file:line:col and a hint, and leave nothing of the outside file in the output.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/site.ts';
import { main } from '../../src/cli/main.ts';
import { loadChapter } from '../../src/manifest/index.ts';
import { formatDiagnostic, type Diagnostic } from '../../src/model/diagnostic.ts';
import { writeEdits } from '../../src/verify/update.ts';
import { contentTree, removeContentTrees } from '../content-tree.ts';

afterAll(removeContentTrees);

const MANIFEST = (content: string[], extra = '') => `title: Probe\nlang: en\nroot: ..\nexclude: []\n${extra}content:\n${content.map((c) => `- ${c}`).join('\n')}\n`;

/** A course in a repository of its own (a `.git` folder), so "inside the repository" is this tree. */
function course(files: Record<string, string>): string {
  const dir = contentTree({ '.git/HEAD': 'ref: refs/heads/main\n', ...files });
  return dir;
}

async function build(dir: string, manifest = 'decks/deck.yml') {
  const report = await buildSite({ manifests: [join(dir, manifest)] });
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  return { report, errors, lines: errors.map(formatDiagnostic), html: report.site.pages.get('deck.html') ?? '' };
}

const one = (errors: Diagnostic[], code: string) => {
  const found = errors.filter((d) => d.code === code);
  expect(found, errors.map(formatDiagnostic).join('\n')).toHaveLength(1);
  expect(found[0]!.hint).toBeTruthy();
  return found[0]!;
};

describe('includes stay inside the include root and the repository', () => {
  it('@@INCLUDE[/proc/self/environ] does not put the CI environment on the page', async () => {
    process.env.LABDECK_PROBE_SECRET = 'probe-secret-7f3a9c';
    try {
      const dir = course({ 'en/a.md': '## Env\n\n```\n@@INCLUDE[/proc/self/environ]\n```\n', 'decks/deck.yml': MANIFEST(['en/a.md']) });
      const { errors, html } = await build(dir);
      const e = one(errors, 'sandbox/outside');
      expect(e.position).toMatchObject({ file: 'en/a.md', line: 4 });
      expect(e.message).toContain('@@INCLUDE[/proc/self/environ] not read');
      expect(html).not.toContain('probe-secret-7f3a9c');
    } finally {
      delete process.env.LABDECK_PROBE_SECRET;
    }
  });

  it('@@INCLUDE[/etc/hostname] and @@INCLUDE[../../../../etc/passwd] are refused', async () => {
    const dir = course({ 'en/a.md': '## Files\n\n```\n@@INCLUDE[/etc/hostname]\n```\n\n```\n@@INCLUDE[../../../../../../../../etc/passwd]\n```\n', 'decks/deck.yml': MANIFEST(['en/a.md']) });
    const { errors, html } = await build(dir);
    expect(errors.map((d) => [d.code, d.position.line])).toEqual([
      ['sandbox/outside', 4],
      ['sandbox/outside', 8],
    ]);
    expect(html).not.toContain('root:x:0:0');
    expect(html).not.toContain(readFileSync('/etc/hostname', 'utf8').trim() + '\n</code>');
  });

  it('a symbolic link in the repository that leads outside is refused; one that stays inside is read', async () => {
    const dir = course({ 'en/a.md': '## L\n\n```\n@@INCLUDE[k8s/out.yaml]\n```\n\n```\n@@INCLUDE[k8s/in.yaml]\n```\n', 'k8s/real.yaml': 'kind: Pod\n', 'decks/deck.yml': MANIFEST(['en/a.md'], 'includeroot: .\n') });
    symlinkSync('/etc/passwd', join(dir, 'k8s/out.yaml'));
    symlinkSync('real.yaml', join(dir, 'k8s/in.yaml'));
    const { errors, html } = await build(dir);
    expect(errors.map((d) => [d.code, d.position.line])).toEqual([['sandbox/outside', 4]]);
    expect(errors[0]!.message).toContain('leads to /etc/passwd');
    expect(html).toContain('kind: Pod');
    expect(html).not.toContain('root:x:0:0');
  });

  it('an include root above the repository is cut down to the repository', async () => {
    const outside = contentTree({ 'secret.txt': 'outside-the-repo' });
    const dir = course({ 'en/a.md': `## L\n\n\`\`\`\n@@INCLUDE[${outside.split('/').pop()}/secret.txt]\n\`\`\`\n`, 'decks/deck.yml': MANIFEST(['en/a.md'], `includeroot: ${dirname(outside)}\n`) });
    const { errors, html } = await build(dir);
    expect(one(errors, 'sandbox/outside').position.line).toBe(4);
    expect(html).not.toContain('outside-the-repo');
  });

  it("container.training's layout keeps building: @@INCLUDE[k8s/x.yaml] from the repository root", async () => {
    const dir = course({ 'slides/k8s/a.md': '## Pod\n\n```yaml\n@@INCLUDE[k8s/pod.yaml]\n```\n', 'k8s/pod.yaml': 'kind: Pod\nmetadata:\n  name: web\n', 'slides/deck.yml': 'title: CT\nexclude: []\ncontent:\n- k8s/a.md\n' });
    const { errors, report } = await build(dir, 'slides/deck.yml');
    expect(errors).toEqual([]);
    expect(report.site.pages.get('deck.html')).toContain('web');
  });
});

describe('manifest entries stay inside the content root', () => {
  it('content: /etc/passwd and content: ../../../../etc/passwd are refused at their manifest line', async () => {
    const dir = course({ 'en/a.md': '## A\n', 'decks/deck.yml': MANIFEST(['en/a.md', '/etc/passwd', '../../../../../../../../../etc/passwd']) });
    const { errors, html } = await build(dir);
    expect(errors.map((d) => [d.code, d.position.file, d.position.line, d.position.column])).toEqual([
      ['sandbox/outside', 'decks/deck.yml', 7, 3],
      ['sandbox/outside', 'decks/deck.yml', 8, 3],
    ]);
    expect(html).not.toContain('root:x:0:0');
  });

  it('a symbolic link to a chapter outside the course is refused', async () => {
    const outside = contentTree({ 'evil.md': '## Outside\n\nsecret-chapter\n' });
    const dir = course({ 'en/a.md': '## A\n', 'decks/deck.yml': MANIFEST(['en/a.md', 'en/linked.md']) });
    symlinkSync(join(outside, 'evil.md'), join(dir, 'en/linked.md'));
    const { errors, html } = await build(dir);
    expect(one(errors, 'sandbox/outside').message).toContain('leads to');
    expect(html).not.toContain('secret-chapter');
  });

  it('a nested manifest outside the content root is refused', async () => {
    const outside = contentTree({ 'more.yml': 'content:\n- /etc/passwd\n' });
    const dir = course({ 'en/a.md': '## A\n', 'decks/deck.yml': MANIFEST(['en/a.md', join(outside, 'more.yml')]) });
    const { errors } = await build(dir);
    expect(one(errors, 'sandbox/outside').position).toMatchObject({ file: 'decks/deck.yml', line: 7 });
  });

  it('root: / (a content root outside the repository) is refused at the root: key', async () => {
    const dir = course({ 'decks/deck.yml': 'title: Probe\nroot: /etc\nexclude: []\ncontent:\n- passwd\n' });
    const { errors, html } = await build(dir);
    expect(one(errors, 'sandbox/outside').position).toMatchObject({ file: 'decks/deck.yml', line: 2, column: 1 });
    expect(html).toBe('');
  });

  it('a manifest found in content/decks that is a link to a file outside is refused', async () => {
    const dir = course({ 'content/decks/deck.yml': MANIFEST([]) });
    symlinkSync('/etc/passwd', join(dir, 'content/decks/evil.yml'));
    const report = await buildSite({ manifests: [join(dir, 'content/decks/evil.yml')] });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['sandbox/outside']);
    expect(report.diagnostics[0]!.message).not.toContain('root:x');
  });

  it('--allow-read names a folder outside that may be read', async () => {
    const shared = contentTree({ 'common.md': '## Shared chapter\n\nfrom-the-allowed-folder\n' });
    const dir = course({ 'en/a.md': '## A\n', 'decks/deck.yml': MANIFEST(['en/a.md', join(shared, 'common.md')]) });
    const out = `${dir}-out`;
    const refused = await main(['build', join(dir, 'decks/deck.yml'), '--out', out]);
    expect(refused).toBe(1);
    expect(await main(['build', join(dir, 'decks/deck.yml'), '--out', out, '--allow-read', shared])).toBe(0);
    expect(readFileSync(join(out, 'deck.html'), 'utf8')).toContain('from-the-allowed-folder');
  });
});

describe('images and regular files', () => {
  it('an image that is a symbolic link to /etc/passwd is not copied into the output', async () => {
    const dir = course({ 'en/a.md': '## Pic\n\n![pic](images/pic.png)\n', 'decks/deck.yml': MANIFEST(['en/a.md']) });
    mkdirSync(join(dir, 'images'));
    symlinkSync('/etc/passwd', join(dir, 'images/pic.png'));
    const out = `${dir}-out`;
    const code = await main(['build', join(dir, 'decks/deck.yml'), '--out', out]);
    expect(code).toBe(1);
    expect(existsSync(join(out, 'images/pic.png'))).toBe(false);
    const { errors } = await build(dir);
    expect(one(errors, 'sandbox/outside').position).toMatchObject({ file: 'en/a.md', line: 3 });
  });

  it('a FIFO as an image is refused at once: the build neither hangs nor leaves a temporary folder', async () => {
    const dir = course({ 'en/a.md': '## Pic\n\n![pic](images/pipe.png)\n', 'decks/deck.yml': MANIFEST(['en/a.md']) });
    mkdirSync(join(dir, 'images'));
    execFileSync('mkfifo', [join(dir, 'images/pipe.png')]);
    const parent = dirname(dir);
    const before = new Set(readdirSync(parent));
    const code = await main(['build', join(dir, 'decks/deck.yml'), '--out', `${dir}-out`]);
    expect(code).toBe(1);
    expect(readdirSync(parent).filter((f) => !before.has(f) && f.includes('.tmp-'))).toEqual([]);
    const { errors } = await build(dir);
    expect(one(errors, 'sandbox/not-a-file').message).toContain('FIFO');
  });

  it('a FIFO as a chapter is refused at its manifest line', async () => {
    const dir = course({ 'decks/deck.yml': MANIFEST(['en/pipe.md']) });
    mkdirSync(join(dir, 'en'));
    execFileSync('mkfifo', [join(dir, 'en/pipe.md')]);
    const { errors } = await build(dir);
    expect(one(errors, 'sandbox/not-a-file').position).toMatchObject({ file: 'decks/deck.yml', line: 6 });
  });

  it('a chapter read alone (verify, answers, parity) follows the same rules', () => {
    const dir = course({ 'content/en/a.md': '## A\n\n```\n@@INCLUDE[/etc/passwd]\n```\n' });
    const chapter = loadChapter(join(dir, 'content/en/a.md'))!;
    expect(chapter.file.diagnostics.map((d) => [d.code, d.position.line])).toEqual([['sandbox/outside', 4]]);
  });
});

describe('commands that rewrite content files do not write through a link out of the course', () => {
  it('lint --fix-mojibake refuses a chapter that is a link to a file outside', async () => {
    const outside = contentTree({ 'victim.md': '## T\n\nCr√©er\n' });
    const dir = course({ 'en/a.md': '## A\n', 'decks/deck.yml': MANIFEST(['en/a.md', 'en/link.md']) });
    symlinkSync(join(outside, 'victim.md'), join(dir, 'en/link.md'));
    // Allowed to read it (the maintainer said so), still never written through the link.
    const code = await main(['lint', '--fix-mojibake', '--allow-read', outside, join(dir, 'decks/deck.yml')]);
    expect(code).toBe(1);
    expect(readFileSync(join(outside, 'victim.md'), 'utf8')).toBe('## T\n\nCr√©er\n');
  });

  it('verify --update refuses to rewrite a transcript file that is a link out of the course', () => {
    const outside = contentTree({ 't.md': 'x\n' });
    const dir = course({});
    symlinkSync(join(outside, 't.md'), join(dir, 't.md'));
    const before = '## T\n\n```console\n$ echo hi\nhello\n```\n';
    writeFileSync(join(outside, 't.md'), before);
    const { written, diagnostics } = writeEdits([{ file: 't.md', root: dir, position: { file: 't.md', line: 4, column: 1 }, transcript: { fence: 3, start: 5, end: 6, lines: ['hello'] }, lines: ['hi'] }]);
    expect(written).toEqual([]);
    expect(diagnostics[0]!.message).toContain('outside');
    expect(readFileSync(join(outside, 't.md'), 'utf8')).toBe(before);
  });
});

describe('outputs named on the command line', () => {
  it('a link the course put where an output goes (report, PDF, outline…) is not written through', async () => {
    const victim = contentTree({ 'authorized_keys': 'ssh-ed25519 AAAA… me\n' });
    const dir = course({});
    symlinkSync(join(victim, 'authorized_keys'), join(dir, 'outline.md'));
    const code = await main(['outline', '--lang', 'en', 'kubernetes-en', '--out', join(dir, 'outline.md')]);
    expect(code).toBe(1);
    expect(readFileSync(join(victim, 'authorized_keys'), 'utf8')).toBe('ssh-ed25519 AAAA… me\n');
  });
});

describe('the output folder', () => {
  it('build --out keeps an existing 755 folder readable by a web server user', async () => {
    const dir = course({ 'en/a.md': '## A\n', 'decks/deck.yml': MANIFEST(['en/a.md']) });
    const out = join(tmpdir(), `labdeck-perm-${process.pid}-${Date.now()}`);
    mkdirSync(out);
    chmodSync(out, 0o755);
    try {
      expect(await main(['build', join(dir, 'decks/deck.yml'), '--out', out])).toBe(0);
      expect(statSync(out).mode & 0o777).toBe(0o755);
    } finally {
      execFileSync('rm', ['-rf', out]);
    }
  });
});
