import { describe, expect, it } from 'vitest';
import { parse, shape } from './helpers.ts';

const tree = (text: string) => parse(text).slides[0]!.fragments[0]!.tree;

describe('.name[…] macros', () => {
  it('makes a block when the content spans lines', () => {
    expect(shape(tree('.lab[\n\n- run it\n\n]\n'))).toEqual({ root: [{ 'macroBlock.lab': [{ list: [{ listItem: [{ paragraph: ['text:run it'] }] }] }] }] });
  });

  it('makes an inline span inside running text, with Markdown inside', () => {
    expect(shape(tree('This is .red[**very**] useful.small[¹]\n'))).toEqual({
      root: [{ paragraph: ['text:This is ', { 'macroInline.red': [{ strong: ['text:very'] }] }, 'text: useful', { 'macroInline.small': ['text:¹'] }] }],
    });
  });

  it('applies several classes and nests', () => {
    expect(shape(tree('.a.b[\n.c[x]\n]\n'))).toEqual({ root: [{ 'macroBlock.a.b': [{ paragraph: [{ 'macroInline.c': ['text:x'] }] }] }] });
  });

  it('is escaped by a backslash', () => {
    expect(shape(tree('\\.lab[x]\n'))).toEqual({ root: [{ paragraph: ['text:.lab[x]'] }] });
  });

  it('is never recognised inside code', () => {
    const t = tree('`jq .items[0]`\n\n```\n.lab[\n```\n');
    expect(shape(t)).toEqual({ root: [{ paragraph: ['inlineCode:jq .items[0]'] }, 'code:.lab['] });
  });

  it('balances brackets, counting those inside code as remark.js does', () => {
    const f = parse('.lab[\n- a [link](http://x) and `a[0]`\n<!-- ```key ^[``` ] -->\n- after\n]\n\nout\n');
    const s = f.slides[0]!;
    expect(s.labs).toHaveLength(1);
    const t = shape(s.fragments[0]!.tree) as { root: unknown[] };
    expect(t.root).toHaveLength(2);
    expect(JSON.stringify(t.root[0])).toContain('after');
    expect(s.directives.map((d) => d.verb)).toEqual(['key']);
    expect(f.diagnostics.map((d) => d.code)).toEqual(['directive/brackets']);
  });

  it('reports an unclosed macro with its position and leaves it as text', () => {
    const f = parse('## T\n\n.lab[\n- a\n');
    expect(f.diagnostics).toMatchObject([{ code: 'macro/unbalanced', severity: 'error', position: { line: 3, column: 1 } }]);
    expect(JSON.stringify(f.slides[0]!.fragments[0]!.tree)).toContain('.lab[');
  });

  it('keeps positions of macro content in file coordinates', () => {
    const f = parse('## T\n\n.lab[\n\n- Run:\n  ```bash\n  echo hi\n  ```\n\n]\n');
    expect(f.slides[0]!.code[0]).toMatchObject({ lang: 'bash', value: 'echo hi', lab: 0, position: { line: 6, column: 3 } });
    expect(f.slides[0]!.labs[0]).toMatchObject({ className: 'lab', position: { line: 3, column: 1 } });
  });

  it('treats .exercise[ as a lab box', () => {
    const f = parse('.exercise[\n```bash\nls\n```\n]\n');
    expect(f.slides[0]!.labs[0]!.className).toBe('exercise');
    expect(f.slides[0]!.code[0]!.lab).toBe(0);
  });
});
