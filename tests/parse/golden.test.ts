import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/model/chapter.ts';
import { parse } from './helpers.ts';

/** What a reviewer checks in the model of a chapter, one line per slide. */
function summary(file: SourceFile): string[] {
  return file.slides.map((s) => {
    const parts = [`${s.position.line}`, s.classes.join(',') || '-', s.title ? `${'#'.repeat(s.title.depth)} ${s.title.text}` : '(no title)', `frags=${s.fragments.length}`];
    if (s.labs.length) parts.push(`labs=${s.labs.map((l) => `${l.className}@${l.position.line}`).join(',')}`);
    if (s.code.length) parts.push(`code=${s.code.map((c) => `${c.lang || 'plain'}${c.lab !== undefined ? '[lab]' : ''}@${c.position.line}`).join(',')}`);
    if (s.directives.length) parts.push(`directives=${s.directives.map((d) => `${d.verb}(${d.argument})@${d.position.line}`).join(',')}`);
    if (s.notes) parts.push(`outline=${s.notes.outline.map((o) => `${o.lang}:${o.text}`).join('|')}`);
    if (s.versionMarkers.length) parts.push(`version@${s.versionMarkers.map((v) => v.line).join(',')}`);
    return parts.join(' ');
  });
}

const cases = [
  { lang: 'en', path: 'en/k8s/kubectl-run.md' },
  { lang: 'fr', path: 'fr/k8s/kubectl-run.md' },
];

describe('golden: the seed chapter pair', () => {
  for (const { lang, path } of cases) {
    it(`models content/${path} as reviewed`, () => {
      const file = parse(readFileSync(`content/${path}`, 'utf8'), { path });
      const golden = `tests/fixtures/golden/kubectl-run.${lang}.txt`;
      const actual = summary(file).join('\n') + '\n';
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, actual);
      expect(actual).toBe(readFileSync(golden, 'utf8'));
      expect(file.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });
  }
});
