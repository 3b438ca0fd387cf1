import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findManifests, loadCourse } from '../../src/manifest/index.ts';
import type { Course } from '../../src/model/course.ts';
import type { Deck } from '../../src/model/deck.ts';
import { annotationsFor, checkParity, pairFiles } from '../../src/parity/index.ts';
import type { FileReport, ParityReport } from '../../src/parity/report.ts';
import { parseSource } from '../../src/parse/index.ts';
import { checkFilePair, side } from '../../src/parity/check.ts';

const CONTENT = join(import.meta.dirname, '../../content');
const EN_FILE = 'en/k8s/kubectl-run.md';
const FR_FILE = 'fr/k8s/kubectl-run.md';

/** The seed pair as committed in content/: English current, French translated from an older English. */
function seedReport(): FileReport {
  const read = (p: string) => parseSource(readFileSync(join(CONTENT, p), 'utf8'), { path: p });
  return checkFilePair(side(EN_FILE, read(EN_FILE)), side(FR_FILE, read(FR_FILE)));
}

const byEn = (r: FileReport, title: string) => r.pairs.find((p) => p.en?.title === title);
const byFr = (r: FileReport, title: string) => r.pairs.find((p) => p.fr?.title === title);

describe('the seed pair (kubectl-run.md, French from an older English)', () => {
  const report = seedReport();

  it('aligns the slides that say the same thing', () => {
    const aligned = report.pairs.filter((p) => p.en && p.fr).map((p) => `${p.en!.title} ↔ ${p.fr!.title}`);
    expect(aligned).toEqual(
      expect.arrayContaining([
        'Running our first containers on Kubernetes ↔ Gérer nos premiers conteneurs sur Kubernetes',
        'Starting a simple pod with kubectl run ↔ Démarrer un pod simple avec kubectl run',
        'Viewing container output ↔ Affichage de la sortie du conteneur',
        'Streaming logs in real time ↔ Flux de logs en temps réel',
        'Resilience ↔ Résilience',
      ]),
    );
  });

  it('pairs the old scaling slide with one of the English slides that scale', () => {
    // The old slide scaled the deployment; the English now has "Scaling our application" (scales a
    // Pod, fails on purpose) and "Can we scale now?" (scales the deployment): either is a fair match.
    const p = byFr(report, '"Scaling" de notre application')!;
    expect(['Scaling our application', 'Can we scale now?']).toContain(p.en?.title);
    expect(p.divergence?.[0]?.en).toMatch(/^kubectl scale /);
  });

  it('lists the English slides the French lacks', () => {
    for (const title of ["If you're running Kubernetes 1.17 (or older)...", 'NotFound', 'Scaling a Pod', 'Pod details', 'Deleting a standalone Pod']) {
      expect(byEn(report, title)?.statuses, title).toEqual(['missing']);
    }
  });

  it('lists the French slides with no English counterpart', () => {
    expect(byFr(report, 'Ne nous inondons pas 1.1.1.1?')?.statuses).toEqual(['orphan']);
    expect(byFr(report, 'Et si on voulait quelque chose de différent?')?.statuses).toEqual(['orphan']);
    // French-only commands: caught by the gate as well.
    expect(byFr(report, 'Tout couper')?.statuses).toEqual(['divergent-code', 'orphan']);
  });

  it('finds the French pinging 1.1.1.1 where English pings 127.0.0.1', () => {
    const p = byEn(report, 'Starting a simple pod with kubectl run')!;
    expect(p.statuses).toEqual(['divergent-code', 'untracked']);
    expect(p.divergence).toContainEqual(expect.objectContaining({ change: 'changed', kind: 'command', en: 'kubectl run pingpong --image alpine ping 127.0.0.1', fr: 'kubectl run pingpong --image alpine ping 1.1.1.1' }));
    expect(p.severity).toBe('error');
  });

  it('does not count .exercise[ against .lab[ as a divergence', () => {
    const p = byEn(report, 'Viewing container output')!;
    // The only difference is the command: the box name is not reported.
    expect(p.divergence).toEqual([expect.objectContaining({ en: 'kubectl logs pingpong', fr: 'kubectl logs deploy/pingpong' })]);
  });

  it('is never stamped: the aligned pairs are untracked, nothing is up to date', () => {
    expect(report.pairs.filter((p) => p.en && p.fr).every((p) => p.statuses.includes('untracked'))).toBe(true);
    expect(report.summary.upToDate).toBe(0);
    expect(report.summary.enSlides).toBe(23);
    expect(report.summary.frSlides).toBe(13);
    expect(report.summary.counts.missing).toBeGreaterThanOrEqual(10);
  });

  it('checks the chapter outline', () => {
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'parity/outline-differs', message: expect.stringContaining(':EN:- Running pods and deployments') }));
  });
});

describe('annotations for the built decks', () => {
  let course: Course;
  let report: ParityReport;
  let fr: Deck;
  let en: Deck;
  beforeAll(async () => {
    course = await loadCourse(findManifests(join(CONTENT, 'decks')));
    fr = course.decks.find((d) => d.id === 'kubernetes-fr')!;
    en = course.decks.find((d) => d.lang === 'en' && d.meta.group === fr.meta.group)!;
    report = checkParity({ lang: 'fr', files: course.files, pairs: pairFiles(course.files.keys(), 'fr'), stamps: new Map(), decks: [{ deck: fr, source: en }] });
  });
  const enIndexOf = (title: string) => en.slides.findIndex((s) => s.kind === 'author' && s.title?.text === title);
  const frSlide = (title: string) => fr.slides.find((s) => s.kind === 'author' && s.title?.text === title)!;

  it('badges French slides to review with a link to the English slide, and shows a banner', () => {
    const a = annotationsFor(fr, en, report);
    const badge = a.badges.get(frSlide('Démarrer un pod simple avec kubectl run').id)?.[0];
    expect(badge).toMatchObject({ kind: 'stale', label: 'traduction à revoir', href: `kubernetes-en.html#/${enIndexOf('Starting a simple pod with kubectl run')}` });
    expect(a.badges.get(frSlide('Gérer nos premiers conteneurs sur Kubernetes').id)?.[0]).toMatchObject({ kind: 'untracked', label: 'traduction à revoir' });
    expect(a.banner?.kind).toBe('stale');
    expect(report.decks[0]).toMatchObject({ deck: 'kubernetes-fr', enDeck: 'kubernetes-en' });
  });

  it('inserts missing English slides in place, with a "non traduit" badge, or leaves them out', () => {
    const a = annotationsFor(fr, en, report);
    const old = a.insertions?.find((i) => i.slide.title?.text === "If you're running Kubernetes 1.17 (or older)...");
    expect(old).toMatchObject({ after: frSlide('Gérer nos premiers conteneurs sur Kubernetes').id, lang: 'en' });
    expect(a.badges.get(old!.slide.id)?.[0]).toMatchObject({ kind: 'untranslated', label: 'non traduit' });
    expect(a.insertions).toHaveLength(report.files.find((f) => f.fr === FR_FILE)!.summary.counts.missing);
    expect(annotationsFor(fr, en, report, { missing: 'omit' }).insertions).toBeUndefined();
  });

  it('maps each slide to the aligned slide of the other language, nearest when there is none', () => {
    const a = annotationsFor(fr, en, report);
    const map = a.languageSwitch!.map;
    expect(a.languageSwitch).toMatchObject({ targetDeck: 'kubernetes-en.html', targetLang: 'en' });
    expect(map[frSlide('Résilience').id]).toEqual({ index: enIndexOf('Resilience'), exact: true });
    const flood = map[frSlide('Ne nous inondons pas 1.1.1.1?').id]!;
    expect(flood.exact).toBe(false);
    expect(flood.index).toBeGreaterThanOrEqual(enIndexOf('Resilience'));
    // Generated slides pair too: the French table of contents goes to the English one.
    const toc = fr.slides.find((s) => s.kind === 'toc')!;
    expect(map[toc.id]).toEqual({ index: en.slides.findIndex((s) => s.kind === 'toc'), exact: true });

    // And back: the English deck lands on the French slide as presented, insertions included.
    const back = annotationsFor(en, fr, report).languageSwitch!;
    expect(back.targetDeck).toBe('kubernetes-fr.html');
    // The French deck as the renderer lays it out: each insertion after the slide it names.
    const after = (id: string | null) => (a.insertions ?? []).filter((i) => i.after === id).map((i) => i.slide.id);
    const frOrder = [...after(null), ...fr.slides.flatMap((s) => [s.id, ...after(s.id)])];
    const resilience = en.slides[enIndexOf('Resilience')]!.id;
    expect(frOrder[back.map[resilience]!.index]).toBe(frSlide('Résilience').id);
    const old = en.slides[enIndexOf('NotFound')]!.id;
    expect(frOrder[back.map[old]!.index]).toBe(`en:${old}`);
    expect(back.map[old]!.exact).toBe(false);
    expect(Object.keys(back.map)).toHaveLength(en.slides.length);
  });
});
