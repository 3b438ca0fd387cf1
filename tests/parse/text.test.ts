import { describe, expect, it } from 'vitest';
import { findMojibake, repairMojibake } from '../../src/parse/index.ts';
import { parse, shape } from './helpers.ts';

describe('mojibake', () => {
  it('finds UTF-8 read as Mac Roman and repairs it', () => {
    const damaged = '(√† la `tail -f`) \uF8FFü§î Cr√©er';
    expect(findMojibake(damaged).map((m) => m.repaired)).toEqual(['à', '🤔', 'é']);
    expect(repairMojibake(damaged)).toBe('(à la `tail -f`) 🤔 Créer');
  });

  it('leaves correct French alone, including ’ before an accent', () => {
    const ok = 'l’équipe s’occupe de l’état — « déjà » ; où ça ?';
    expect(findMojibake(ok)).toEqual([]);
  });

  it('reports each damaged spot with its position', () => {
    const f = parse('## T\n\nen √† la\n');
    expect(f.diagnostics).toMatchObject([{ code: 'text/mojibake', position: { line: 3, column: 4 } }]);
  });
});

describe('deck macros and references', () => {
  it('turns @@NAME@@ and @@LINK[path] into nodes substituted per deck', () => {
    expect(shape(parse('@@TITLE@@ and @@LINK[k8s/a.yaml]\n').slides[0]!.fragments[0]!.tree)).toEqual({
      root: [{ paragraph: ['deckVariable', 'text: and ', 'deckLink'] }],
    });
  });

  it('inlines @@INCLUDE[…] into code blocks and records the dependency', () => {
    const f = parse('```yaml\n@@INCLUDE[k8s/pod.yaml]\n```\n', { readInclude: (p) => (p === 'k8s/pod.yaml' ? 'kind: Pod\n' : undefined) });
    expect(f.slides[0]!.code[0]!.value).toBe('kind: Pod');
    expect(f.includes).toEqual(['k8s/pod.yaml']);
  });

  it('reports a missing include', () => {
    const f = parse('```\n@@INCLUDE[nope.yaml]\n```\n', { readInclude: () => undefined });
    expect(f.diagnostics).toMatchObject([{ code: 'include/missing', severity: 'error' }]);
  });

  it('resolves references to definitions in another slide or file', () => {
    const f = parse('## A\n\nsee [EOL][nonactive]\n\n---\n\n[nonactive]: https://example.org/eol\n');
    expect(f.definitions).toMatchObject([{ label: 'nonactive', url: 'https://example.org/eol', position: { line: 7, column: 1 } }]);
    expect(JSON.stringify(f.slides[0]!.fragments[0]!.tree)).toContain('"linkReference"');
    const other = parse('[x][elsewhere]\n', { knownLabels: new Set(['elsewhere']) });
    expect(JSON.stringify(other.slides[0]!.fragments[0]!.tree)).toContain('"identifier":"elsewhere"');
  });
});

describe('@@INCLUDE outside code', () => {
  it('inlines the text in a paragraph and reports a missing one at its line', () => {
    const f = parse('## T\n\n@@INCLUDE[x.yaml]\n\nand @@INCLUDE[missing.yaml] here\n', { readInclude: (p) => (p === 'x.yaml' ? 'kind: Pod\n' : undefined) });
    expect(JSON.stringify(f.slides[0]!.fragments[0]!.tree)).toContain('kind: Pod');
    expect(f.diagnostics.map((d) => `${d.code}@${d.position.line}`)).toEqual(['include/missing@5']);
  });
});
