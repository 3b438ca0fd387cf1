import { describe, expect, it } from 'vitest';
import { keyName, parseDuration, parseExit, parseMatcher, splitCommands } from '../../src/verify/grammar.ts';
import { compareOutput, contains, lastMatch, normalizeOutput } from '../../src/verify/match.ts';
import { renderStream, endsInAlternateScreen } from '../../src/verify/terminal/ansi.ts';
import { PaneStream } from '../../src/verify/terminal/terminal.ts';

describe('splitCommands', () => {
  it('splits lines, keeps continuations, quotes and heredocs together', () => {
    const block = ['echo one', '', '# a comment', 'kubectl get pods \\', '  -o wide', "echo 'multi", "line'", 'cat <<EOF | wc -l', 'a', 'b', 'EOF', 'ls |', '  wc -l', 'echo # not a heredoc <<X'].join('\n');
    expect(splitCommands(block)).toEqual([
      { command: 'echo one', line: 0 },
      { command: 'kubectl get pods \\\n  -o wide', line: 3 },
      { command: "echo 'multi\nline'", line: 5 },
      { command: 'cat <<EOF | wc -l\na\nb\nEOF', line: 7 },
      { command: 'ls |\n  wc -l', line: 11 },
      { command: 'echo # not a heredoc <<X', line: 13 },
    ]);
  });
  it('understands <<- and quoted delimiters', () => {
    expect(splitCommands("kubectl apply -f- <<-'YAML'\n\tkind: Pod\n\tYAML\necho next").map((c) => c.command)).toEqual(["kubectl apply -f- <<-'YAML'\n\tkind: Pod\n\tYAML", 'echo next']);
  });
});

describe('directive arguments', () => {
  it('parses durations, exits, matchers and key names', () => {
    expect([parseDuration('90'), parseDuration('2m'), parseDuration('500ms'), parseDuration('1.5s'), parseDuration('soon')]).toEqual([90_000, 120_000, 500, 1500, undefined]);
    expect([parseExit(''), parseExit('2'), parseExit('nonzero'), parseExit('any'), parseExit('300'), parseExit('x')]).toEqual([{ kind: 'zero' }, { kind: 'code', code: 2 }, { kind: 'nonzero' }, { kind: 'any' }, undefined, undefined]);
    expect(parseMatcher('/seq=\\d+/')).toEqual({ kind: 'regex', source: 'seq=\\d+', flags: '' });
    expect(parseMatcher(' Every 2.0s ')).toEqual({ kind: 'text', text: 'Every 2.0s' });
    expect('error' in parseMatcher('/(/')).toBe(true);
    expect(['^C', '^D', '^J', '^[', 'C-c', 'Escape', 'Space', '$', 'M-x', 'hello', 'C-hello'].map(keyName)).toEqual(['C-c', 'C-d', 'C-j', 'Escape', 'C-c', 'Escape', 'Space', '$', 'M-x', undefined, undefined]);
  });
});

describe('tolerant matching', () => {
  const real = [
    'NAME                            READY   STATUS    RESTARTS   AGE',
    'pod/pingpong                    1/1     Running   0          4m17s',
    'pod/pingpong-6ccbc77f68-kmgfn   1/1     Running   0          11s',
    'service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   3h45',
  ].join('\n');
  it('masks ages, pod hashes and IPs, collapses columns', () => {
    expect(normalizeOutput(real).split('\n')[2]).toBe('pod/pingpong-<hash>-<id> 1/1 Running 0 <age>');
    expect(normalizeOutput(real).split('\n')[3]).toBe('service/kubernetes ClusterIP <ip> <none> 443/TCP <age>');
    expect(normalizeOutput('uid: 0f8fad5b-d9cb-469f-a165-70867728950e at 2024-01-02T03:04:05Z')).toBe('uid: <uid> at <time>');
    // Words that merely look hashed keep their text.
    expect(normalizeOutput('deployment.apps/pingpong created')).toBe('deployment.apps/pingpong created');
  });
  it('compares whole outputs with placeholders and ... lines, and shows a diff otherwise', () => {
    const expected = 'NAME READY STATUS RESTARTS AGE\n...\npod/pingpong-xxxxxxxxxx-yyyyy 1/1 Running 0 1s\n...';
    expect(compareOutput(expected, real)).toBeUndefined();
    const diff = compareOutput('NAME READY\npod/other 1/1', real);
    expect(diff).toContain('- NAME READY');
    expect(diff).toContain('+ NAME READY STATUS RESTARTS AGE');
  });
  it('finds text tolerantly, regexes exactly, and copies the last match', () => {
    expect(contains('a    b', { kind: 'text', text: 'a b' })).toBe(true);
    expect(contains('seq=12', { kind: 'regex', source: 'seq=\\d{3}', flags: '' })).toBe(false);
    expect(lastMatch('pingpong-abc-12345\npingpong-def-\n67890', 'pingpong-[^-]*-.....')).toBe('pingpong-def-6789');
  });
});

describe('pane stream', () => {
  it('lifts markers out of the stream, even when a read cuts one in two', () => {
    const p = new PaneStream('%0');
    const shown = p.push('$ echo hi\r\n\x1b]69', 1) + p.push('73;S\x07hi\r\n\x1b]6973;D;0\x07$ ', 2);
    expect(shown).toBe('$ echo hi\r\nhi\r\n$ ');
    expect(p.markers.map((m) => [m.kind, m.status])).toEqual([['S', undefined], ['D', 0]]);
    expect(p.text(p.markers[0]!.offset, p.markers[1]!.offset)).toBe('hi\n');
  });
  it('renders cursor-addressed output readably and tracks the alternate screen', () => {
    expect(renderStream('\x1b[?1049h\x1b[HEvery 2.0s:\x1b[2Cwatch\x1b[3;1H1\x1b[4d\x082')).toBe('\nEvery 2.0s:  watch\n1\n2');
    expect(endsInAlternateScreen('\x1b[?1049h...')).toBe(true);
    expect(endsInAlternateScreen('\x1b[?1049h...\x1b[?1049l')).toBe(false);
  });
});
