import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parse/index.ts';
import { unitFromFile } from '../../src/verify/extract.ts';
import { loadUnits } from '../../src/verify/load.ts';
import { describeStep } from '../../src/verify/step.ts';
import { FIXTURES } from './helpers.ts';

const plan = (md: string) => unitFromFile(parseSource(md, { path: 'x.md' }), '/');

describe('steps from the course model', () => {
  it('reads the English chapter: fences in lab boxes, hidden directives, modifiers attached to their command', async () => {
    const { units, diagnostics } = await loadUnits(['content/decks/kubernetes-en.yml']);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const deck = units[0]!;
    const bySlide = Object.fromEntries(deck.slides.map((s) => [s.slide.number, s.steps.map(describeStep)]));
    expect(bySlide[6]).toEqual(['$ kubectl run pingpong --image alpine ping 127.0.0.1', '(hidden) $ kubectl wait pod --selector=run=pingpong --for condition=ready']);
    const streaming = deck.slides.find((s) => s.slide.title === 'Streaming logs in real time')!;
    expect(streaming.steps[0]).toMatchObject({ kind: 'command', wait: { matcher: { kind: 'text', text: 'seq=3' } } });
    expect(streaming.steps[1]).toMatchObject({ kind: 'key', keys: ['C-c'] });
    const scale = deck.slides.find((s) => s.slide.title === 'Scaling our application')!;
    expect(scale.steps[0]).toMatchObject({ command: 'kubectl scale pod pingpong --replicas=3', exit: { kind: 'nonzero' }, expects: [{ kind: 'text', text: 'NotFound' }] });
    expect(scale.slide).toMatchObject({ file: 'en/k8s/kubectl-run.md' });
    expect(scale.steps[0]!.position.line).toBe(readFileSync('content/en/k8s/kubectl-run.md', 'utf8').split('\n').indexOf('  kubectl scale pod pingpong --replicas=3') + 1);
    // Display-only fences (no language, or outside a lab box) are not steps.
    expect(deck.slides.flatMap((s) => s.steps).some((s) => s.kind === 'command' && s.command.includes('xxxxxxxxxx'))).toBe(false);
  });

  it('reports misuse of the grammar as errors at the directive', () => {
    const u = plan(['## S', '', '.lab[', '', '<!-- ```expect-exit 1``` -->', '<!-- ```key hello``` -->', '<!-- ```tmux kill-server``` -->', '<!-- ```timeout soon``` -->', '<!-- ```paste``` -->', '<!-- ```timeout 5s``` -->', '', ']'].join('\n'));
    expect(u.diagnostics.map((d) => [d.position.line, d.message.split(':')[0]])).toEqual([
      [5, '`expect-exit` must follow a command (or a `check`) on the same slide'],
      [6, '`hello` is not a key name'],
      [7, '`tmux kill-server` is not a pane command the runner can replay'],
      [8, '`timeout soon`'],
      [9, '`paste` with no `copy` before it'],
      [10, '`timeout` with no step after it on this slide'],
    ]);
  });

  it('refuses an unknown verb the parser only warns about, once, at its place; a declared note is a comment', async () => {
    const file = parseSource(readFileSync(join(FIXTURES, 'unknown.md'), 'utf8'), { path: 'unknown.md' });
    expect(file.diagnostics).toMatchObject([{ severity: 'warning', code: 'directive/unknown-verb', position: { line: 11, column: 6 } }]);
    expect(unitFromFile(file, '/').diagnostics).toMatchObject([{ severity: 'error', code: 'directive/unknown-verb', position: { line: 11, column: 6 } }]);
    const { diagnostics } = await loadUnits([join(FIXTURES, 'unknown.md')]);
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.position.line}:${d.position.column}`)).toEqual(['error directive/unknown-verb 11:6']);
    const noted = parseSource(readFileSync(join(FIXTURES, 'unknown.md'), 'utf8'), { path: 'unknown.md', noteVerbs: new Set(['wiat']) });
    expect(unitFromFile(noted, '/').diagnostics).toEqual([]);
  });

  it('applies timeout to the next step and standalone waits to the pane', () => {
    const u = plan(['## S', '', '.lab[', '', '  ```bash', '  cat', '  ```', '', '<!--', '```nowait```', '```timeout 2s```', '```wait hello```', '```wait until test -f /tmp/x```', '-->', '', ']'].join('\n'));
    expect(u.diagnostics).toEqual([]);
    expect(u.slides[0]!.steps.map((s) => [s.kind, s.timeoutMs])).toEqual([
      ['command', undefined],
      ['wait', 2000],
      ['until', undefined],
    ]);
  });
});
