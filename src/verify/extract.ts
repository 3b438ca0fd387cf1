import type { SourceFile } from '../model/chapter.ts';
import type { Deck } from '../model/deck.ts';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { Directive } from '../model/directive.ts';
import { comparePositions, type Position } from '../model/position.ts';
import type { CodeBlock, Slide } from '../model/slide.ts';
import { TMUX_COMMANDS, keyName, parseDuration, parseExit, parseMatcher, splitCommands } from './grammar.ts';
import type { CommandStep, FilePlan, HiddenCommand, Matcher, SlidePlan, Step, Unit } from './step.ts';
import { expectedOutput, isTranscriptBlock, parseTranscript } from './transcript.ts';

/** Fences whose lines are commands when they sit in a lab box. */
const SHELL_LANGS = new Set(['bash']);

export interface PlannableSlide {
  slide: Slide;
  number: number;
  id: string;
  file: string;
  chapter?: string;
}

/**
 * The unit of a deck: its author slides in presentation order, numbered as the audience sees them.
 * Console transcripts run when the deck says `transcripts: true`, or when `transcripts` forces them.
 */
export function unitFromDeck(deck: Deck, root: string, transcripts = false): Unit {
  const slides = deck.slides.filter((s) => s.kind === 'author').map((s) => {
    const chapter = s.chapter !== undefined ? deck.chapters[s.chapter]?.title : undefined;
    return { slide: s, number: s.number, id: s.id, file: s.file, ...(chapter ? { chapter } : {}) };
  });
  const title = deck.values.title.replace(/\s+/g, ' ').trim() || deck.id;
  return planUnit({ id: deck.id, kind: 'deck', title, source: deck.manifestPath, root, slides, slideCount: deck.slides.length, transcripts: transcripts || deck.meta.transcripts === true });
}

/** The unit of one chapter file on its own: slides numbered from 1 in the file; transcripts run only when asked (`--transcripts`). */
export function unitFromFile(file: SourceFile, root: string, transcripts = false): Unit {
  const title = file.slides.flatMap((s) => s.chapterTitles)[0]?.text ?? file.path;
  const slides = file.slides.map((s, i) => ({ slide: s, number: i + 1, id: `${file.path}#${i + 1}`, file: file.path, chapter: title }));
  return planUnit({ id: file.path.replace(/\.md$/, '').replace(/[^A-Za-z0-9_.-]+/g, '-'), kind: 'chapter', title, source: file.path, root, slides, slideCount: file.slides.length, transcripts });
}

interface UnitInput {
  id: string;
  kind: Unit['kind'];
  title: string;
  source: string;
  root: string;
  slides: PlannableSlide[];
  slideCount: number;
  /** The deck's `transcripts: true` (or `--transcripts`): console transcripts are replayed. */
  transcripts: boolean;
}

type Item = { type: 'code'; code: CodeBlock } | { type: 'directive'; directive: Directive };

/** Turns slides into steps. Pure; every problem is a Diagnostic at the directive's position. */
export function planUnit(input: UnitInput): Unit {
  const diagnostics: Diagnostic[] = [];
  const files: FilePlan[] = [];
  const fileIndex = new Map<string, number>();
  const slides: SlidePlan[] = [];
  let copied = false;

  input.slides.forEach((ps, index) => {
    let f = fileIndex.get(ps.file);
    if (f === undefined) {
      f = files.push({ file: ps.file, setup: [], cleanup: [] }) - 1;
      fileIndex.set(ps.file, f);
    }
    const filePlan = files[f]!;
    const runs = (c: CodeBlock) => (c.lab !== undefined && SHELL_LANGS.has(c.lang.trim())) || (input.transcripts && isTranscriptBlock(c.lang, c.value));
    const items: Item[] = [
      ...ps.slide.code.filter(runs).map((code) => ({ type: 'code' as const, code })),
      ...ps.slide.directives.map((directive) => ({ type: 'directive' as const, directive })),
    ].sort((a, b) => comparePositions(itemPosition(a), itemPosition(b)));

    const steps: Step[] = [];
    let skip: string | undefined;
    // The step the next expect/output/nowait applies to, and the timeout waiting for its step.
    let target: (CommandStep | Extract<Step, { kind: 'check' }>) | undefined;
    let pendingTimeout: { ms: number; position: Position } | undefined;
    const push = (step: Step) => {
      if (pendingTimeout) {
        step.timeoutMs = pendingTimeout.ms;
        pendingTimeout = undefined;
      }
      steps.push(step);
      target = step.kind === 'command' || step.kind === 'check' ? step : undefined;
    };
    const commands = (text: string, position: Position, hidden: boolean) => {
      for (const { command, line } of splitCommands(text)) {
        push({ kind: 'command', command, hidden, position: { ...position, line: position.line + line, column: 1 }, exit: { kind: 'zero' }, exitExplicit: false, expects: [], nowait: false });
      }
    };
    const fail = (d: Directive, message: string, hint?: string) => diagnostics.push(error('verify/directive', d.position, message, hint));

    const transcript = (code: CodeBlock) => {
      const t = parseTranscript(code.value);
      const at = (i: number) => code.position.line + 1 + i;
      if (t.preamble) diagnostics.push(warning('verify/transcript', { ...code.position, line: at(0), column: 1 }, 'text before the first prompt of this transcript is not checked', 'start the block with a prompt line (`$ command`)'));
      const lines = code.value.split('\n');
      for (const c of t.commands) {
        push({
          kind: 'command',
          command: c.command,
          hidden: false,
          position: { ...code.position, line: at(c.line), column: 1 },
          // The transcript shows what was printed, errors included: the output is the assertion, not the status.
          exit: { kind: 'any' },
          exitExplicit: false,
          expects: [],
          nowait: false,
          output: { text: expectedOutput(c.output.text), position: { ...code.position, line: at(c.output.start), column: 1 } },
          transcript: { fence: code.position.line, start: at(c.output.start), end: at(c.output.end), lines: lines.slice(c.output.start, c.output.end) },
        });
      }
    };

    for (const item of items) {
      if (item.type === 'code') {
        if (isTranscriptBlock(item.code.lang, item.code.value)) {
          transcript(item.code);
          continue;
        }
        // The fence's first line is the ```bash line; remark highlight spans (backticks) are not typed.
        const at = { ...item.code.position, line: item.code.position.line + 1 };
        commands(item.code.value.replace(/`/g, ''), at, false);
        continue;
      }
      const d = item.directive;
      const arg = d.argument;
      switch (d.verb) {
        case 'bash':
        case 'hide':
          if (!arg.trim()) fail(d, `\`${d.verb}\` needs a command`);
          else commands(arg, d.multiline ? { ...d.position, line: d.position.line + 1 } : d.position, true);
          break;
        case 'wait':
        case 'longwait': {
          const long = d.verb === 'longwait';
          const until = /^\s*until\s+([\s\S]+)$/.exec(arg);
          if (until) {
            push({ kind: 'until', command: until[1]!.trim(), position: d.position, ...(long ? { timeoutMs: 600_000 } : {}) });
            break;
          }
          const m = parseMatcher(arg);
          if ('error' in m) {
            fail(d, `\`${d.verb}\`: ${m.error}`, 'write the text to wait for, a /regex/, or `until <command>`');
            break;
          }
          const last = steps[steps.length - 1];
          if (last?.kind === 'command' && target === last && !last.wait && !last.nowait) last.wait = { matcher: m, long, position: d.position };
          else push({ kind: 'wait', matcher: m, long, position: d.position });
          break;
        }
        case 'key': {
          const words = arg.trim().split(/\s+/).filter(Boolean);
          const keys = words.map(keyName);
          const bad = words.find((_w, i) => keys[i] === undefined);
          if (words.length === 0 || bad !== undefined) fail(d, words.length === 0 ? '`key` needs a key name' : `\`${bad}\` is not a key name`, 'use tmux key names: ^C, C-c, M-x, Enter, Escape, Space, Tab, Up…; use `keys` to type text');
          else push({ kind: 'key', keys: keys as string[], position: d.position });
          break;
        }
        case 'keys': {
          const k = keyName(arg.trim());
          if (!arg) fail(d, '`keys` needs text to type');
          // The old runner passed `keys` to send-keys, so `keys ^C` is a key: keep that meaning.
          else if (k && arg.trim().length > 1) push({ kind: 'key', keys: [k], position: d.position });
          else push({ kind: 'type', text: arg, position: d.position });
          break;
        }
        case 'tmux': {
          const args = arg.trim().split(/\s+/).filter(Boolean);
          if (!TMUX_COMMANDS.has(args[0] ?? '')) fail(d, `\`tmux ${args[0] ?? ''}\` is not a pane command the runner can replay`, `use one of: ${[...TMUX_COMMANDS.keys()].join(', ')}`);
          else push({ kind: 'tmux', args, position: d.position });
          break;
        }
        case 'copy': {
          const source = arg.trim();
          try {
            if (!source) throw new Error('empty pattern');
            new RegExp(source, 's');
            push({ kind: 'copy', regex: source, position: d.position });
            copied = true;
          } catch (e) {
            fail(d, `\`copy\`: invalid regular expression (${(e as Error).message})`);
          }
          break;
        }
        case 'paste':
          if (!copied) fail(d, '`paste` with no `copy` before it', 'add a `copy REGEX` directive before it');
          push({ kind: 'paste', position: d.position });
          break;
        case 'check':
          push({ kind: 'check', exit: { kind: 'zero' }, expects: [], position: d.position });
          break;
        case 'open':
          if (!arg.trim()) fail(d, '`open` needs a URL');
          else push({ kind: 'open', url: arg.trim(), position: d.position });
          break;
        case 'expect-exit':
        case 'expect-fail':
        case 'expect':
        case 'output':
        case 'nowait': {
          if (!target) {
            fail(d, `\`${d.verb}\` must follow a command (or a \`check\`) on the same slide`);
            break;
          }
          if (d.verb === 'expect-exit') {
            const e = parseExit(arg);
            if (!e) fail(d, `\`expect-exit ${arg.trim()}\`: expected a status 0-255, \`nonzero\` or \`any\``);
            else setExit(target, e);
          } else if (d.verb === 'expect-fail') {
            setExit(target, { kind: 'nonzero' });
            if (arg.trim()) target.expects.push(parseMatcher(arg) as Matcher);
          } else if (d.verb === 'expect') {
            const m = parseMatcher(arg);
            if ('error' in m) fail(d, `\`expect\`: ${m.error}`);
            else target.expects.push(m);
          } else if (d.verb === 'output') {
            if (target.kind === 'command' && target.transcript) fail(d, '`output` after a console transcript: its expected output is the block itself', 'edit the lines under the command in the block (or run `labdeck verify --update`)');
            else target.output = { text: arg, position: d.position };
          } else if (target.kind !== 'command') fail(d, '`nowait` must follow a command');
          else if (target.wait) fail(d, '`nowait` and `wait` on the same command: the `wait` already lets it run on');
          else target.nowait = true;
          break;
        }
        case 'setup':
        case 'cleanup': {
          if (!arg.trim()) {
            fail(d, `\`${d.verb}\` needs a command`);
            break;
          }
          const h: HiddenCommand = { command: arg, position: d.position };
          if (pendingTimeout) {
            h.timeoutMs = pendingTimeout.ms;
            pendingTimeout = undefined;
          }
          filePlan[d.verb].push(h);
          break;
        }
        case 'timeout': {
          const ms = parseDuration(arg);
          if (ms === undefined || ms <= 0) fail(d, `\`timeout ${arg.trim()}\`: expected a duration such as 90, 90s, 2m or 500ms`);
          else pendingTimeout = { ms, position: d.position };
          break;
        }
        case 'skip':
          skip = arg.trim() || 'skipped by the author';
          break;
      }
    }
    if (pendingTimeout) diagnostics.push(error('verify/directive', pendingTimeout.position, '`timeout` with no step after it on this slide', 'put `timeout` just before the step it applies to'));
    if (steps.length === 0 && skip === undefined) return;
    const title = ps.slide.title?.text ?? ps.slide.chapterTitles[0]?.text ?? '';
    slides.push({ slide: { index, number: ps.number, id: ps.id, file: ps.file, line: ps.slide.position.line, title }, steps, file: f, ...(ps.chapter ? { chapter: ps.chapter } : {}), ...(skip !== undefined ? { skip } : {}) });
  });

  for (const s of slides)
    for (const step of s.steps)
      if (step.kind === 'command' && step.wait && step.exit.kind === 'nonzero')
        diagnostics.push(warning('verify/wait-fail', step.position, 'a command expected to fail is followed by `wait`: the wait ends the step as soon as the text appears', 'use `expect` for text a failing command prints'));

  return { id: input.id, kind: input.kind, title: input.title, source: input.source, root: input.root, slides, files, slideCount: input.slideCount, diagnostics };
}

function setExit(target: { exit: CommandStep['exit']; exitExplicit?: boolean }, e: CommandStep['exit']): void {
  target.exit = e;
  if ('exitExplicit' in target) target.exitExplicit = true;
}

function itemPosition(i: Item): Position {
  return i.type === 'code' ? i.code.position : i.directive.position;
}

/** Number of steps that will run (skipped slides excluded). */
export function countSteps(unit: Unit): number {
  return unit.slides.reduce((n, s) => n + (s.skip === undefined ? s.steps.length : 0), 0);
}
