import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run.ts';
import { contentTree, inlineSlides, removeContentTrees, manifest } from './helpers.ts';

afterAll(removeContentTrees);

/** `labdeck build …` as a user runs it: exit code and stderr. */
async function labdeck(args: string[], cwd?: string): Promise<{ code: number; stderr: string }> {
  const r = await runCli(args, cwd ? { cwd } : {});
  return { code: r.status, stderr: r.stderr };
}

const GOOD = '# Chapter\n\n---\n\n## Fine\n\n- text\n';

/** Every file of a folder with its content, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const files = (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((e) => e.isFile());
  return Object.fromEntries(files.map((e) => [join(e.parentPath, e.name).slice(dir.length), readFileSync(join(e.parentPath, e.name), 'utf8')]));
}

describe('labdeck build', () => {
  it('a failed build leaves the previous output untouched; --lenient replaces it and shows the problem', async () => {
    const dir = contentTree({ 'en/a.md': GOOD, 'decks/deck.yml': manifest('en', ['en/a.md']) });
    const out = join(dir, '..', `${dir.split('/').pop()}-site`);
    const first = await labdeck(['build', join(dir, 'decks/deck.yml'), '--out', out]);
    expect(first.stderr).toMatch(/built 1 deck \[deck \(3\)\]/);
    expect(first.code).toBe(0);
    writeFileSync(join(out, 'deck.html'), readFileSync(join(out, 'deck.html'), 'utf8') + '<!-- previous build -->');
    const before = snapshot(out);
    expect(Object.keys(before).length).toBeGreaterThan(5);

    writeFileSync(join(dir, 'en/a.md'), `${GOOD}\n---\n\n## Broken\n\n.lab[\n\n- never closed\n`);
    const failed = await labdeck(['build', join(dir, 'decks/deck.yml'), '--out', out]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^en\/a\.md:13:1: error: `\.lab\[` is never closed \[macro\/unbalanced\]$/m);
    expect(failed.stderr).toContain('left as it was');
    expect(snapshot(out)).toEqual(before);
    // No temporary folder left next to the output.
    expect(readdirSync(join(out, '..')).filter((f) => f.startsWith(`${dir.split('/').pop()}-site.`))).toEqual([]);

    const lenient = await labdeck(['build', join(dir, 'decks/deck.yml'), '--out', out, '--lenient']);
    expect(lenient.code).toBe(0);
    const html = inlineSlides(readFileSync(join(out, 'deck.html'), 'utf8'));
    expect(html).not.toContain('<!-- previous build -->');
    expect(html).toMatch(/<section[^>]*data-source="en\/a\.md:11"[\s\S]*?<div class="ld-diagnostics" role="alert">[\s\S]*?<code>en\/a\.md:13:1<\/code> error: `\.lab\[` is never closed/);
  });

  const cases: [string, Record<string, string>, string, RegExp][] = [
    ['a missing manifest', {}, 'decks/nope.yml', /^\S*decks\/nope\.yml:1:1: error: deck manifest not found/m],
    ['an unknown manifest key', { 'en/a.md': GOOD, 'decks/deck.yml': manifest('en', ['en/a.md'], 'colour: blue\n') }, 'decks/deck.yml', /^decks\/deck\.yml:5:1: error: unknown manifest key `colour`/m],
    ['an unbalanced macro', { 'en/a.md': '# Chapter\n\n## Hi .red[there\n', 'decks/deck.yml': manifest('en', ['en/a.md']) }, 'decks/deck.yml', /^en\/a\.md:3:\d+: error: `\.red\[` is never closed/m],
    // Reported at the line of the include inside the fence.
    ['a missing include', { 'en/a.md': '# Chapter\n\n```bash\n@@INCLUDE[nope.sh]\n```\n', 'decks/deck.yml': manifest('en', ['en/a.md']) }, 'decks/deck.yml', /^en\/a\.md:4:1: error: @@INCLUDE\[nope\.sh\]: file not found/m],
    ['a missing chapter file', { 'decks/deck.yml': manifest('en', ['en/gone.md']) }, 'decks/deck.yml', /^decks\/deck\.yml:6:3: error: content file `en\/gone\.md` not found/m],
  ];

  it.each(cases)('%s: exit 1, file:line:col: error: … on stderr, nothing written', async (_name, files, manifestPath, expected) => {
    const dir = contentTree(files);
    const out = `${dir}-site`;
    const r = await labdeck(['build', join(dir, manifestPath), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(expected);
    expect(readdirSync(join(dir, '..')).filter((f) => f.startsWith(`${dir.split('/').pop()}-site`))).toEqual([]);
  });
});
