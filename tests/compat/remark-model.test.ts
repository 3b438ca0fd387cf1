import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parse/index.ts';
import { remarkSlidesOfText } from './remark-model.ts';

/** Lines of container.training Markdown that move slide boundaries, macros or properties. */
const LINES = [
  '---', '--', '???', '????', ' ---', '---  ', '-- ', '', '', '\n\n', '   ', '\t', 'text', '- item', '## Title', '# Chapter',
  'class: a', 'class: self-paced', 'name: n', 'key: value', '<!-- x: y -->', '<!--', '-->',
  '.lab[', '.exercise[', '.a.b[', '\\.lab[', '.red[x]', ']', 'x ]', '[', '[x]', '[ref]: http://x',
  '```bash', '```bash  ', '```', '  ```', '~~~', '`', '`x`', '    indented', '```key ^[```', '<!-- ```key ^[``` ] -->', '.lab[ ```bash',
];

/** Each slide as `line+steps:properties`, remark's `--` slides folded into the slide they continue. */
function remarkView(text: string): string[] {
  const out: { line: number | undefined; steps: number; properties: Record<string, string> }[] = [];
  for (const s of remarkSlidesOfText(text)) {
    const last = out[out.length - 1];
    if (s.continued && last) last.steps++;
    else out.push({ line: s.line, steps: 0, properties: s.properties });
  }
  return out.map((s) => `${s.line}+${s.steps}:${JSON.stringify(s.properties)}`);
}

describe('the remark.js 0.14 slide model', () => {
  it('cuts random compositions of corpus constructs exactly where labdeck does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 25 }), (lines) => {
        const text = `${lines.join('\n')}\n`;
        const ours = parseSource(text, { path: 'test.md' }).slides.map((s) => `${s.position.line}+${s.fragments.length - 1}:${JSON.stringify(s.properties)}`);
        expect(ours).toEqual(remarkView(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('knows the corpus tricks: the stray `]` after `^[`, `\\.x[` escapes, properties in comments', () => {
    // Without the stray `]`, `^[` leaves `.lab[` open: remark shows it as text and `---` still splits.
    expect(remarkView('.lab[\n<!-- ```key ^[``` -->\n]\n---\n## B\n')).toEqual(['1+0:{}', '5+0:{}']);
    expect(remarkView('.lab[\n<!-- ```key ^[``` ] -->\n]\n---\n## B\n')).toEqual(['1+0:{}', '5+0:{}']);
    // An open `.lab[` whose brackets balance later swallows the separator.
    expect(remarkView('.lab[\n[\n]\n---\n## B\n]\n')).toEqual(['1+0:{}']);
    expect(remarkView('\\.lab[\n---\n]\n')).toEqual(['1+0:{}', '3+0:{}']);
    expect(remarkView('## A\n\n<!-- FIXME: wrong schema -->\n')).toEqual(['1+0:{"FIXME":"wrong schema"}']);
  });
});
