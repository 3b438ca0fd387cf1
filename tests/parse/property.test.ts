import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from './helpers.ts';

/** Lines of the dialect, well-formed or not, to be shuffled into random decks. */
const LINES = [
  '---', '--', '???', '', '', 'class: extra-details', 'class: title, in-person', 'name: intro', 'Note: eaten',
  '# Chapter', '## Slide title', '### Sub', '- bullet', '  - nested', 'text with [brackets] and `code[0]`',
  '.lab[', '.exercise[', ']', '.red[x]', '.a.b[', '\\.lab[', '```bash', '```', '```bash  ', '~~~', '    indented code',
  '<!-- ```wait seq=3``` -->', '<!--', '```keys ^C```', '-->', '<!-- ```key ^[``` ] -->', '<!-- ```bogus x``` -->',
  '<!-- ##VERSION## -->', '<!-- FIXME: later -->', ':EN:- item', ':FR:- puce', ':Q:question', ':A:✔️ yes',
  '[label]: https://example.org', 'see [x][label]', '@@TITLE@@', '@@LINK[a/b]', '@@INCLUDE[missing.yaml]',
  'Cr√©er √† la', '| a | b |', '|---|---|', '| 1 | 2 |', '![img](images/a.png)', '<br/>', '`', '[', '[[', ']]',
];

describe('parser robustness (property-based)', () => {
  it('never throws, and every diagnostic and slide has a real position', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { maxLength: 60 }), fc.boolean(), (lines, crlf) => {
        const text = lines.join(crlf ? '\r\n' : '\n');
        const lineCount = text.split(/\r?\n/).length;
        const file = parse(text, { readInclude: () => undefined });
        expect(file.slides.length).toBeGreaterThan(0);
        for (const d of file.diagnostics) {
          expect(d.position.file).toBe('test.md');
          expect(d.position.line).toBeGreaterThanOrEqual(1);
          expect(d.position.line).toBeLessThanOrEqual(lineCount);
          expect(d.position.column).toBeGreaterThanOrEqual(1);
          expect(d.message.length).toBeGreaterThan(0);
        }
        for (const s of file.slides) {
          expect(s.position.line).toBeGreaterThanOrEqual(1);
          expect(s.position.line).toBeLessThanOrEqual(lineCount);
          for (const c of s.code) expect(c.position.line).toBeLessThanOrEqual(lineCount);
          for (const d of s.directives) expect(d.position.line).toBeLessThanOrEqual(lineCount);
        }
      }),
      { numRuns: 400 },
    );
  });
});
