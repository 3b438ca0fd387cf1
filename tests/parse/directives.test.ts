import { describe, expect, it } from 'vitest';
import { parse } from './helpers.ts';
import { parseSource } from '../../src/parse/index.ts';

describe('hidden automation directives', () => {
  it('parses single-line snippets, several per comment, keeping trailing spaces', () => {
    const f = parse('.lab[\n\n<!--\n```tmux select-pane -t 0```\n```keys kubectl delete pod ```\n```paste```\n-->\n\n]\n');
    expect(f.slides[0]!.directives.map((d) => [d.verb, d.argument, d.position.line, d.lab])).toEqual([
      ['tmux', 'select-pane -t 0', 4, 0],
      ['keys', 'kubectl delete pod ', 5, 0],
      ['paste', '', 6, 0],
    ]);
  });

  it('parses multi-line snippets and dedents their body', () => {
    const f = parse('<!--\n```bash\n  kubectl get pods\n  kubectl get svc\n```\n-->\n');
    expect(f.slides[0]!.directives).toMatchObject([{ verb: 'bash', multiline: true, argument: 'kubectl get pods\nkubectl get svc', position: { line: 2 } }]);
  });

  it('warns about unknown verbs (only verify runs directives) and keeps them for verify to refuse', () => {
    const f = parse('.lab[\n<!-- ```copypaste x``` -->\n]\n');
    expect(f.diagnostics).toMatchObject([{ severity: 'warning', code: 'directive/unknown-verb', position: { line: 2, column: 6 } }]);
    expect(f.diagnostics[0]!.message).toBe('unknown automation directive `copypaste`: `labdeck verify` will refuse this slide');
    expect(f.diagnostics[0]!.hint).toContain('directives: { notes: [copypaste] }');
    expect(f.diagnostics[0]!.hint).toContain('longwait');
    expect(f.slides[0]!.directives).toEqual([]);
    expect(f.slides[0]!.unknownDirectives).toMatchObject([{ verb: 'copypaste', argument: 'x', lab: 0, fragment: 0, position: { line: 2, column: 6 } }]);
  });

  it('skips verbs the course declares as notes to the presenter, as any comment', () => {
    const f = parseSource('.lab[\n<!-- ```look at the files``` -->\n<!-- ```wait ready``` -->\n]\n', { path: 'x.md', noteVerbs: new Set(['look']) });
    expect(f.diagnostics).toEqual([]);
    expect(f.slides[0]!.unknownDirectives).toEqual([]);
    expect(f.slides[0]!.directives.map((d) => d.verb)).toEqual(['wait']);
  });

  it('warns when a directive comment outside a lab box leaves a backtick that remark.js pairs further on', () => {
    const f = parse('## A\n\n<!-- ```wait x``` -->\n\n.lab[\n```bash\nls\n```\n]\n');
    expect(f.diagnostics.map((d) => `${d.code}@${d.position.line}`)).toEqual(['text/backtick-swallows-separator@3', 'text/lone-backtick@8']);
    expect(f.slides[0]!.labs).toEqual([]);
  });

  it('ignores comments without snippets, and finds ##VERSION## markers', () => {
    const f = parse('text <!-- ##VERSION## -->\n\n<!-- just a note -->\n');
    expect(f.slides[0]!.directives).toEqual([]);
    expect(f.slides[0]!.versionMarkers).toMatchObject([{ line: 1 }]);
    expect(f.diagnostics).toEqual([]);
  });

  it('does not read directives from code blocks', () => {
    const f = parse('```\n<!-- ```wait x``` -->\n```\n');
    expect(f.slides[0]!.directives).toEqual([]);
  });

  it('warns about a fence info string with trailing spaces', () => {
    const f = parse('.lab[\n```bash  \nls\n```\n]\n');
    expect(f.slides[0]!.code[0]).toMatchObject({ lang: 'bash', lab: 0 });
    expect(f.diagnostics).toMatchObject([{ severity: 'warning', code: 'code/fence-trailing-space', position: { line: 2 } }]);
  });
});
