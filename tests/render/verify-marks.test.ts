import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/site.ts';
import { readReport, type Report } from '../../src/verify/report/read.ts';
import { labdeck } from '../cli/run.ts';
import { COURSE, COURSE_DECKS } from '../verify/course-fixture.ts';
import { attr, sectionsOf } from './helpers.ts';

/**
 * The verdict in the deck: a real report of the fixture course (real tmux), then the build's
 * marks: data-verified, the words on the slide in the deck's language, the speaker note with the
 * failing screen, the index's state and age, stale marks when a command changed since the report.
 */
let dir = '';
let reportFile = '';
let report: Report;
let runTime = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labdeck-marks-'));
  reportFile = join(dir, 'report.jsonl');
  const r = await labdeck('verify', ...COURSE_DECKS, '--json', reportFile, '--history', '0');
  expect(r.code, r.stderr).toBe(1);
  const read = readReport(reportFile);
  if (!read.ok) throw new Error(read.diagnostic.message);
  report = read.report;
  runTime = report.runStart.time;
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Two days after the run: the index says how long ago. */
const later = () => new Date(new Date(runTime).getTime() + 2 * 86_400_000 + 60_000);

async function build(root = COURSE, reports: Report[] = [report]) {
  const decks = ['labs-en', 'labs-fr', 'more-en'].map((d) => join(root, 'decks', `${d}.yml`));
  const built = await buildSite({ manifests: decks, verifyReports: reports, now: later() });
  expect(built.ok).toBe(true);
  const page = (id: string) => sectionsOf(built.site.pages.get(`${id}.html`)!);
  const bySlide = (id: string) => new Map(page(id).map((s) => [attr(s, 'data-slide-id')!, s]));
  return { built, page, bySlide, index: built.site.pages.get('index.html')! };
}

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#x27;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('lab verdicts in the built deck', () => {
  it('marks each lab slide, and only lab slides, with data-verified from the report', async () => {
    const { page } = await build();
    const states = (id: string) => page(id).map((s) => `${attr(s, 'data-number')}:${attr(s, 'data-verified') ?? '-'}`);
    // The generated title slide and the chapter's title: no lab. Then pass, fail, not reached, skipped by the author.
    expect(states('labs-en')).toEqual(['1:-', '2:-', '3:pass', '4:fail', '5:none', '6:none']);
    expect(states('more-en').filter((s) => !s.endsWith(':-'))).toEqual(['3:pass', '4:pass']);
  });

  it('says when, on what and, for a failure, which step and the first line of its error, in English', async () => {
    const en = (await build()).bySlide('labs-en');
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(runTime));
    const pass = en.get('en/labs.md:2')!;
    expect(text(pass.match(/<div class="ld-verified ld-verified-pass"[\s\S]*?<\/div>/)![0])).toBe(`Lab verified on ${date}no cluster needed`);
    const fail = en.get('en/labs.md:3')!;
    const mark = text(fail.match(/<div class="ld-verified ld-verified-fail"[\s\S]*?<\/div>/)![0]);
    expect(mark).toBe(`Lab failed on ${date}$ ls /labdeck-no-such-folder: ls: cannot access '/labdeck-no-such-folder': No such file or directory`);
    expect(text(en.get('en/labs.md:4')!.match(/<div class="ld-verified[\s\S]*?<\/div>/)![0])).toBe(`Lab not verifiednot reached on ${date}: an earlier lab failed`);
    expect(text(en.get('en/labs.md:5')!.match(/<div class="ld-verified[\s\S]*?<\/div>/)![0])).toBe("Lab not verifiedskipped by the author: needs a browser on the learner's machine");
  });

  it('keeps, for the speaker view, the screen of the pane when the step failed', async () => {
    const fail = (await build()).bySlide('labs-en').get('en/labs.md:3')!;
    const note = fail.match(/<div class="ld-verify-note ld-verified-fail" hidden>[\s\S]*?<\/pre><\/div>/)![0];
    expect(text(note)).toContain('Screen when the step failed (en/labs.md:31)');
    expect(note).toMatch(/<pre class="ld-verify-screen"[^>]*>\$ echo hello from the lab\nhello from the lab\n\$ seq 3\n1\n2\n3\n\$ ls \/labdeck-no-such-folder\nls: cannot access/);
    // Passing slides carry no screen.
    expect((await build()).bySlide('labs-en').get('en/labs.md:2')).not.toContain('ld-verify-screen');
  });

  it('speaks French in a French deck', async () => {
    const fr = (await build()).bySlide('labs-fr');
    const date = new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(runTime));
    expect(text(fr.get('fr/labs.md:2')!.match(/<div class="ld-verified[\s\S]*?<\/div>/)![0])).toBe(`Exercice vérifié le ${date}sans cluster`);
    expect(text(fr.get('fr/labs.md:3')!.match(/<div class="ld-verified[\s\S]*?<\/div>/)![0])).toMatch(new RegExp(`^Exercice en échec le ${date}\\$ ls /labdeck-no-such-folder : ls: cannot access`));
    expect(text(fr.get('fr/labs.md:5')!)).toContain('ignoré par l’auteur : needs a browser');
    expect(fr.get('fr/labs.md:3')).toContain('Écran au moment de l’échec (fr/labs.md:31)');
  });

  it('shows each deck’s state and age on the site index, in the deck’s language', async () => {
    const { index } = await build();
    const line = (id: string) => text(index.match(new RegExp(`<li data-deck="${id}">[\\s\\S]*?</li>`))![0].match(/<div class="deck-verified[\s\S]*?<\/div>/)![0]);
    expect(line('labs-en')).toBe('1 of 4 labs failing, verified 2 days ago');
    expect(line('labs-fr')).toBe('exercices en échec : 1 sur 4, vérifiés avant-hier');
    expect(line('more-en')).toBe('labs verified 2 days ago (2/2)');
    expect(index).toMatch(/<li data-deck="more-en">[\s\S]*?data-verified="pass" data-verified-at="\d{4}-/);
  });

  it('marks a slide stale when its commands changed since the report, and only that slide', async () => {
    const course = join(dir, 'changed');
    cpSync(COURSE, course, { recursive: true });
    const chapter = join(course, 'en', 'labs.md');
    // A command changes on one slide; prose changes on another (not a change of what it runs).
    writeFileSync(chapter, readFileSync(chapter, 'utf8').replace('  seq 3', '  seq 4').replace('- This fails:', '- This fails, as it should:'));
    const { bySlide, index } = await build(course);
    const en = bySlide('labs-en');
    expect(attr(en.get('en/labs.md:2')!, 'data-verified')).toBe('stale');
    expect(text(en.get('en/labs.md:2')!.match(/<div class="ld-verified[\s\S]*?<\/div>/)![0])).toMatch(/^Lab changed since it was verified on .*it passed then: verify it again$/);
    expect(attr(en.get('en/labs.md:3')!, 'data-verified')).toBe('fail');
    expect(attr(bySlide('labs-fr').get('fr/labs.md:2')!, 'data-verified')).toBe('pass');
    expect(index).toContain('1 of 4 labs failing');
  });

  it('a report older than the deck gives stale marks, not wrong ones: a slide moved keeps its verdict, a new lab is not verified', async () => {
    const course = join(dir, 'moved');
    cpSync(COURSE, course, { recursive: true });
    const chapter = join(course, 'en', 'more.md');
    // A new lab slide before the others: every later slide's id moves by one.
    writeFileSync(chapter, readFileSync(chapter, 'utf8').replace('## Files', '## Where are we\n\n.lab[\n\n  ```bash\n  pwd\n  ```\n\n]\n\n---\n\n## Files'));
    const more = (await build(course)).page('more-en').filter((s) => attr(s, 'data-verified'));
    // The report knew en/more.md:2 as "Files" (mkdir…): the slide now there runs `pwd`: stale, never "pass".
    expect(more.map((s) => `${attr(s, 'data-slide-id')}:${attr(s, 'data-verified')}`)).toEqual(['en/more.md:2:stale', 'en/more.md:3:stale', 'en/more.md:4:none']);
  });

  it('no report for a deck: every lab "not verified", and the index says so', async () => {
    const other = readReport(reportFile);
    if (!other.ok) throw new Error('unreadable');
    const onlyMore: Report = { ...other.report, events: other.report.events.filter((e) => !('unit' in e) || e.unit === 'more-en') };
    const { bySlide, index } = await build(COURSE, [onlyMore]);
    expect(attr(bySlide('labs-en').get('en/labs.md:2')!, 'data-verified')).toBe('none');
    expect(text(bySlide('labs-en').get('en/labs.md:2')!)).toContain('no verification report covers this deck');
    expect(index).toContain('labs not verified: 4');
    expect(index).toContain('exercices non vérifiés : 4');
  });
});

describe('labdeck build --verify-report', () => {
  it('reads the report named, or the history verify keeps, and refuses a report it cannot read with file and position', async () => {
    const out = join(dir, 'site');
    const ok = await labdeck('build', ...COURSE_DECKS, '--out', out, '--verify-report', reportFile);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(out, 'labs-en.html'), 'utf8')).toContain('data-verified="fail"');

    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, readFileSync(reportFile, 'utf8').slice(0, 500));
    const refused = await labdeck('build', ...COURSE_DECKS, '--out', join(dir, 'refused'), '--verify-report', cut);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`${cut}:\\d+:\\d+: error: truncated: `));
    expect(refused.stderr).toContain('nothing was written');

    // The history: verify keeps its report in LABDECK_VERIFY_DIR (set for the tests); build reads it by default.
    const history = process.env.LABDECK_VERIFY_DIR!;
    rmSync(history, { recursive: true, force: true });
    const none = await labdeck('build', ...COURSE_DECKS, '--out', join(dir, 'plain'));
    expect(none.code).toBe(0);
    expect(readFileSync(join(dir, 'plain', 'labs-en.html'), 'utf8')).not.toContain('data-verified');
    expect((await labdeck('verify', COURSE_DECKS[2]!)).code).toBe(0);
    const kept = await labdeck('build', ...COURSE_DECKS, '--out', join(dir, 'kept'));
    expect(kept.code).toBe(0);
    expect(readFileSync(join(dir, 'kept', 'index.html'), 'utf8')).toMatch(/<li data-deck="more-en">[\s\S]*?data-verified="pass"/);
    const off = await labdeck('build', ...COURSE_DECKS, '--out', join(dir, 'off'), '--no-verify-report');
    expect(readFileSync(join(dir, 'off', 'index.html'), 'utf8')).not.toContain('data-verified');
    expect(off.code).toBe(0);
    rmSync(history, { recursive: true, force: true });
  });
});
