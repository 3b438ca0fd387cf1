import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importDocument, SHAPES } from '../../src/import/index.ts';
import { parseSource } from '../../src/parse/index.ts';
import { fileMarkdown, slideMarkdown } from '../../src/import/markdown.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/import');
// Lines of the real seeds, shuffled and cut: documents of the right flavour in shapes nobody wrote.
const LINES = ['002-notes.txt', '003-pdf-text.txt', '004-lab-sheet.txt'].flatMap((f) => readFileSync(join(FIXTURES, f), 'utf8').split('\n'));
const noisy = fc.oneof(fc.constantFrom(...LINES), fc.constantFrom('', '```', '``', '---', '--', '???', 'class: x', '.lab[', ']', '# T', '## T', '*'.repeat(20), '$ ls', 'dev $ ls'), fc.string({ maxLength: 30 }));
const documents = fc.array(noisy, { minLength: 1, maxLength: 60 }).map((lines) => lines.join('\n'));

describe('Markdown written for the dialect', () => {
  it('escapes every line of `???` or `--` in a paragraph, consecutive ones too (they would become notes or steps)', () => {
    const markdown = slideMarkdown({ type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: 'a\n???\n???\n--\n--' }] }] });
    expect(markdown).toBe('a\n\\???\n\\???\n\\--\n\\--');
    const slide = parseSource(`${markdown}\n`, { path: 'doc.md' }).slides[0]!;
    expect([slide.notes, slide.fragments.length]).toEqual([undefined, 1]);
  });
});

describe('import on arbitrary documents', () => {
  it('never throws, is deterministic, and what it writes parses without errors', () => {
    fc.assert(
      fc.property(documents, fc.constantFrom(undefined, ...SHAPES), (text, shape) => {
        const ctx = { source: 'doc.txt', lang: 'fr' as const, imageExists: () => false };
        const result = importDocument(text, shape, ctx);
        expect(importDocument(text, shape, ctx).markdown).toBe(result.markdown);
        if (result.markdown === '') {
          expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          return;
        }
        const file = parseSource(result.markdown, { path: 'doc.md' });
        expect(file.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        // Written by remark-stringify in the dialect's style: parsing it and writing it again changes nothing.
        expect(fileMarkdown(file)).toBe(result.markdown);
      }),
      { numRuns: 300 },
    );
  });
});
