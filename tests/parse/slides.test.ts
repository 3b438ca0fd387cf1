import { describe, expect, it } from 'vitest';
import { parse } from './helpers.ts';

describe('slide splitting', () => {
  it('splits on --- and groups -- continuations as fragments', () => {
    const f = parse('# A\n\n- one\n\n--\n\n- two\n\n---\n\n## B\n\ntext\n');
    expect(f.slides).toHaveLength(2);
    expect(f.slides[0]!.fragments).toHaveLength(2);
    expect(f.slides[0]!.title).toMatchObject({ depth: 1, text: 'A', position: { line: 1, column: 1 } });
    expect(f.slides[1]!.title).toMatchObject({ depth: 2, text: 'B', position: { line: 11 } });
    expect(f.slides[1]!.position.line).toBe(11);
  });

  it('never splits inside fenced code, indented code or inline code', () => {
    const f = parse('## A\n\n```yaml\na: 1\n---\nb: 2\n```\n\n    ---\n\n---\n\n## B\n');
    expect(f.slides).toHaveLength(2);
    expect(f.slides[0]!.code.map((c) => c.value)).toEqual(['a: 1\n---\nb: 2', '---']);
  });

  it('does not split inside a macro (remark.js lexes macro content without separators)', () => {
    const f = parse('.lab[\n\n- x\n\n---\n\n- y\n]\n\n---\n\nnext\n');
    expect(f.slides).toHaveLength(2);
  });

  it('reads speaker notes after ??? and keeps outline and quiz lines apart', () => {
    const f = parse('## T\n\nbody\n\n???\n\nSay hello.\n\n:EN:- Running pods\n:FR:- Lancer des pods\n:EN:Module\n:Q:Which one?\n:A:✔️ this one\n:A:that one\n');
    const notes = f.slides[0]!.notes!;
    expect(notes.outline.map((o) => [o.lang, o.kind, o.text, o.position.line])).toEqual([
      ['EN', 'item', 'Running pods', 9],
      ['FR', 'item', 'Lancer des pods', 10],
      ['EN', 'heading', 'Module', 11],
    ]);
    expect(notes.quiz.map((q) => [q.kind, q.text, q.correct])).toEqual([
      ['Q', 'Which one?', false],
      ['A', 'this one', true],
      ['A', 'that one', false],
    ]);
    expect(JSON.stringify(notes.tree)).toContain('Say hello.');
    expect(JSON.stringify(notes.tree)).not.toContain(':EN:');
    expect(JSON.stringify(f.slides[0]!.fragments[0]!.tree)).not.toContain('Say hello');
  });
});

describe('properties', () => {
  it('reads key: value lines at the top, splits classes, keeps name', () => {
    const f = parse('class: extra-details, in-person\nname: intro\n\n## T\n');
    const s = f.slides[0]!;
    expect(s.classes).toEqual(['extra-details', 'in-person']);
    expect(s.name).toBe('intro');
    expect(JSON.stringify(s.fragments[0]!.tree)).not.toContain('extra-details');
    expect(f.diagnostics).toEqual([]);
  });

  it('reports a class: line below the top of a slide with its position', () => {
    const f = parse('## T\n\nclass: pic\n');
    expect(f.diagnostics).toMatchObject([{ severity: 'error', code: 'slide/misplaced-property', position: { line: 3, column: 1 } }]);
  });

  it('warns when a first line of text is eaten as a property, as remark.js does', () => {
    const f = parse('Note: this is text\n\nmore\n');
    expect(f.slides[0]!.properties.Note).toBe('this is text');
    expect(f.diagnostics.map((d) => d.code)).toEqual(['slide/unknown-property']);
  });

  it('reads <!-- key: value --> comments as properties (remark.js quirk) and warns', () => {
    const f = parse('## T\n\n<!-- FIXME: wrong schema -->\n');
    expect(f.slides[0]!.properties.FIXME).toBe('wrong schema');
    expect(f.diagnostics.map((d) => d.code)).toContain('slide/comment-property');
  });
});
