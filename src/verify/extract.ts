import type { SourceFile } from '../model/chapter.ts';
import type { Deck } from '../model/deck.ts';
import { error, warning, type Diagnostic } from '../model/diagnostic.ts';
import type { Directive, DirectiveVerb } from '../model/directive.ts';
import { comparePositions, type Position } from '../model/position.ts';
import type { CodeBlock, Slide } from '../model/slide.ts';
import { TMUX_COMMANDS, keyName, parseDuration, parseExit, parseMatcher, splitCommands } from './grammar.ts';
import { planHash, type CommandStep, type FilePlan, type HiddenCommand, type SlidePlan, type Step, type Unit } from './step.ts';
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
type CheckStep = Extract<Step, { kind: 'check' }>;

/** What the handlers of one slide's items share: the steps planned so far and the unit around them. */
interface PlanContext {
  readonly steps: Step[];
  /** Setup and cleanup commands of the slide's file. */
  readonly file: FilePlan;
  /** The step the next expect/output/nowait applies to. */
  target: CommandStep | CheckStep | undefined;
  /** A `timeout` waiting for the step it applies to. */
  pendingTimeout: { ms: number; position: Position } | undefined;
  /** `skip reason`: the slide's steps are listed, not run. */
  skip: string | undefined;
  /** Unit-wide: problems found, and whether a `copy` came before (a `paste` needs one). */
  readonly unit: { diagnostics: Diagnostic[]; copied: boolean };
}

/** One handler per directive verb, as unified's handler tables: `handlers[verb](directive, ctx)`. */
type DirectiveHandler = (d: Directive, ctx: PlanContext) => void;

/** Turns slides into steps. Pure; every problem is a Diagnostic at the directive's position. */
export function planUnit(input: UnitInput): Unit {
  const unit = { diagnostics: [] as Diagnostic[], copied: false };
  const files: FilePlan[] = [];
  const fileIndex = new Map<string, number>();
  const slides: SlidePlan[] = [];

  input.slides.forEach((ps, index) => {
    let f = fileIndex.get(ps.file);
    if (f === undefined) {
      f = files.push({ file: ps.file, setup: [], cleanup: [] }) - 1;
      fileIndex.set(ps.file, f);
    }
    const ctx: PlanContext = { steps: [], file: files[f]!, target: undefined, pendingTimeout: undefined, skip: undefined, unit };
    for (const item of slideItems(ps.slide, input.transcripts)) {
      if (item.type === 'code') planCode(item.code, ctx);
      else handlers[item.directive.verb](item.directive, ctx);
    }
    // The build only warns: a slide whose automation labdeck cannot read is not run, it fails.
    for (const d of ps.slide.unknownDirectives) {
      unit.diagnostics.push(
        error('directive/unknown-verb', d.position, `unknown automation directive \`${d.verb}\`: verify cannot replay this slide`, `a note to the presenter? declare it: \`directives: { notes: [${d.verb}] }\` in the manifest or labdeck.yml; otherwise use a verb of docs/VERIFY.md`),
      );
    }
    if (ctx.pendingTimeout) unit.diagnostics.push(error('verify/directive', ctx.pendingTimeout.position, '`timeout` with no step after it on this slide', 'put `timeout` just before the step it applies to'));
    if (ctx.steps.length === 0 && ctx.skip === undefined) return;
    const title = ps.slide.title?.text ?? ps.slide.chapterTitles[0]?.text ?? '';
    slides.push({ slide: { index, number: ps.number, id: ps.id, file: ps.file, line: ps.slide.position.line, title, hash: planHash(ctx.steps, ctx.skip) }, steps: ctx.steps, file: f, ...(ps.chapter ? { chapter: ps.chapter } : {}), ...(ctx.skip !== undefined ? { skip: ctx.skip } : {}) });
  });

  for (const s of slides)
    for (const step of s.steps)
      if (step.kind === 'command' && step.wait && step.exit.kind === 'nonzero')
        unit.diagnostics.push(warning('verify/wait-fail', step.position, 'a command expected to fail is followed by `wait`: the wait ends the step as soon as the text appears', 'use `expect` for text a failing command prints'));

  return { id: input.id, kind: input.kind, title: input.title, source: input.source, root: input.root, slides, files, slideCount: input.slideCount, transcripts: input.transcripts, diagnostics: unit.diagnostics };
}

/** The slide's runnable fences and its directives, in source order. */
function slideItems(slide: Slide, transcripts: boolean): Item[] {
  const runs = (c: CodeBlock) => (c.lab !== undefined && SHELL_LANGS.has(c.lang.trim())) || (transcripts && isTranscriptBlock(c.lang, c.value));
  return [
    ...slide.code.filter(runs).map((code) => ({ type: 'code' as const, code })),
    ...slide.directives.map((directive) => ({ type: 'directive' as const, directive })),
  ].sort((a, b) => comparePositions(itemPosition(a), itemPosition(b)));
}

/** Adds a step; a pending `timeout` applies to it, and it becomes the target of modifiers when it can be one. */
function push(ctx: PlanContext, step: Step): void {
  if (ctx.pendingTimeout) {
    step.timeoutMs = ctx.pendingTimeout.ms;
    ctx.pendingTimeout = undefined;
  }
  ctx.steps.push(step);
  ctx.target = step.kind === 'command' || step.kind === 'check' ? step : undefined;
}

/** One command step per command of `text` (continuation lines joined). */
function commands(ctx: PlanContext, text: string, position: Position, hidden: boolean): void {
  for (const { command, line } of splitCommands(text)) {
    push(ctx, { kind: 'command', command, hidden, position: { ...position, line: position.line + line, column: 1 }, exit: { kind: 'zero' }, exitExplicit: false, expects: [], nowait: false });
  }
}

function fail(ctx: PlanContext, d: Directive, message: string, hint?: string): void {
  ctx.unit.diagnostics.push(error('verify/directive', d.position, message, hint));
}

/** A runnable fence: a console transcript (commands with their output), or lines of a ```bash fence. */
function planCode(code: CodeBlock, ctx: PlanContext): void {
  if (isTranscriptBlock(code.lang, code.value)) return planTranscript(code, ctx);
  // The fence's first line is the ```bash line; remark highlight spans (backticks) are not typed.
  commands(ctx, code.value.replace(/`/g, ''), { ...code.position, line: code.position.line + 1 }, false);
}

function planTranscript(code: CodeBlock, ctx: PlanContext): void {
  const t = parseTranscript(code.value);
  const at = (i: number) => code.position.line + 1 + i;
  if (t.preamble) ctx.unit.diagnostics.push(warning('verify/transcript', { ...code.position, line: at(0), column: 1 }, 'text before the first prompt of this transcript is not checked', 'start the block with a prompt line (`$ command`)'));
  const lines = code.value.split('\n');
  for (const c of t.commands) {
    push(ctx, {
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
}

/** `bash`/`hide`: hidden commands typed in the terminal. */
const hiddenCommands: DirectiveHandler = (d, ctx) => {
  if (!d.argument.trim()) fail(ctx, d, `\`${d.verb}\` needs a command`);
  else commands(ctx, d.argument, d.multiline ? { ...d.position, line: d.position.line + 1 } : d.position, true);
};

/** `wait`/`longwait`: text to wait for (attached to the command just typed), or `until <command>`. */
const wait: DirectiveHandler = (d, ctx) => {
  const long = d.verb === 'longwait';
  const until = /^\s*until\s+([\s\S]+)$/.exec(d.argument);
  if (until) return push(ctx, { kind: 'until', command: until[1]!.trim(), position: d.position, ...(long ? { timeoutMs: 600_000 } : {}) });
  const m = parseMatcher(d.argument);
  if ('error' in m) return fail(ctx, d, `\`${d.verb}\`: ${m.error}`, 'write the text to wait for, a /regex/, or `until <command>`');
  const last = ctx.steps[ctx.steps.length - 1];
  if (last?.kind === 'command' && ctx.target === last && !last.wait && !last.nowait) last.wait = { matcher: m, long, position: d.position };
  else push(ctx, { kind: 'wait', matcher: m, long, position: d.position });
};

const key: DirectiveHandler = (d, ctx) => {
  const words = d.argument.trim().split(/\s+/).filter(Boolean);
  const keys = words.map(keyName);
  const bad = words.find((_w, i) => keys[i] === undefined);
  if (words.length === 0 || bad !== undefined) fail(ctx, d, words.length === 0 ? '`key` needs a key name' : `\`${bad}\` is not a key name`, 'use tmux key names: ^C, C-c, M-x, Enter, Escape, Space, Tab, Up…; use `keys` to type text');
  else push(ctx, { kind: 'key', keys: keys as string[], position: d.position });
};

const keys: DirectiveHandler = (d, ctx) => {
  const arg = d.argument;
  const k = keyName(arg.trim());
  if (!arg) fail(ctx, d, '`keys` needs text to type');
  // The old runner passed `keys` to send-keys, so `keys ^C` is a key: keep that meaning.
  else if (k && arg.trim().length > 1) push(ctx, { kind: 'key', keys: [k], position: d.position });
  else push(ctx, { kind: 'type', text: arg, position: d.position });
};

const tmux: DirectiveHandler = (d, ctx) => {
  const args = d.argument.trim().split(/\s+/).filter(Boolean);
  if (!TMUX_COMMANDS.has(args[0] ?? '')) fail(ctx, d, `\`tmux ${args[0] ?? ''}\` is not a pane command the runner can replay`, `use one of: ${[...TMUX_COMMANDS.keys()].join(', ')}`);
  else push(ctx, { kind: 'tmux', args, position: d.position });
};

const copy: DirectiveHandler = (d, ctx) => {
  const source = d.argument.trim();
  try {
    if (!source) throw new Error('empty pattern');
    new RegExp(source, 's');
    push(ctx, { kind: 'copy', regex: source, position: d.position });
    ctx.unit.copied = true;
  } catch (e) {
    fail(ctx, d, `\`copy\`: invalid regular expression (${(e as Error).message})`);
  }
};

const paste: DirectiveHandler = (d, ctx) => {
  if (!ctx.unit.copied) fail(ctx, d, '`paste` with no `copy` before it', 'add a `copy REGEX` directive before it');
  push(ctx, { kind: 'paste', position: d.position });
};

const check: DirectiveHandler = (d, ctx) => push(ctx, { kind: 'check', exit: { kind: 'zero' }, expects: [], position: d.position });

const open: DirectiveHandler = (d, ctx) => {
  if (!d.argument.trim()) fail(ctx, d, '`open` needs a URL');
  else push(ctx, { kind: 'open', url: d.argument.trim(), position: d.position });
};

/** A modifier of the step before it (expect…, output, nowait): refused when there is none. */
const modifier =
  (apply: (d: Directive, target: CommandStep | CheckStep, ctx: PlanContext) => void): DirectiveHandler =>
  (d, ctx) => {
    if (!ctx.target) fail(ctx, d, `\`${d.verb}\` must follow a command (or a \`check\`) on the same slide`);
    else apply(d, ctx.target, ctx);
  };

const expectExit = modifier((d, target, ctx) => {
  const e = parseExit(d.argument);
  if (!e) fail(ctx, d, `\`expect-exit ${d.argument.trim()}\`: expected a status 0-255, \`nonzero\` or \`any\``);
  else setExit(target, e);
});

const expectFail = modifier((d, target, ctx) => {
  setExit(target, { kind: 'nonzero' });
  if (!d.argument.trim()) return;
  const m = parseMatcher(d.argument);
  if ('error' in m) fail(ctx, d, `\`expect-fail\`: ${m.error}`, 'write the text the failing command prints, or a valid /regex/');
  else target.expects.push(m);
});

const expect = modifier((d, target, ctx) => {
  const m = parseMatcher(d.argument);
  if ('error' in m) fail(ctx, d, `\`expect\`: ${m.error}`);
  else target.expects.push(m);
});

const output = modifier((d, target, ctx) => {
  if (target.kind === 'command' && target.transcript) fail(ctx, d, '`output` after a console transcript: its expected output is the block itself', 'edit the lines under the command in the block (or run `labdeck verify --update`)');
  else target.output = { text: d.argument, position: d.position };
});

const nowait = modifier((d, target, ctx) => {
  if (target.kind !== 'command') fail(ctx, d, '`nowait` must follow a command');
  else if (target.wait) fail(ctx, d, '`nowait` and `wait` on the same command: the `wait` already lets it run on');
  else target.nowait = true;
});

/** `setup`/`cleanup`: hidden commands of the file, run outside the terminal. */
const fileCommand =
  (when: 'setup' | 'cleanup'): DirectiveHandler =>
  (d, ctx) => {
    if (!d.argument.trim()) return fail(ctx, d, `\`${d.verb}\` needs a command`);
    const h: HiddenCommand = { command: d.argument, position: d.position };
    if (ctx.pendingTimeout) {
      h.timeoutMs = ctx.pendingTimeout.ms;
      ctx.pendingTimeout = undefined;
    }
    ctx.file[when].push(h);
  };

const timeout: DirectiveHandler = (d, ctx) => {
  const ms = parseDuration(d.argument);
  if (ms === undefined || ms <= 0) fail(ctx, d, `\`timeout ${d.argument.trim()}\`: expected a duration such as 90, 90s, 2m or 500ms`);
  else ctx.pendingTimeout = { ms, position: d.position };
};

const skip: DirectiveHandler = (d, ctx) => {
  ctx.skip = d.argument.trim() || 'skipped by the author';
};

/** Every verb of the automation language (a verb without a handler does not compile). */
const handlers: Record<DirectiveVerb, DirectiveHandler> = {
  bash: hiddenCommands,
  hide: hiddenCommands,
  wait,
  longwait: wait,
  key,
  keys,
  tmux,
  copy,
  paste,
  check,
  open,
  'expect-exit': expectExit,
  'expect-fail': expectFail,
  expect,
  output,
  nowait,
  setup: fileCommand('setup'),
  cleanup: fileCommand('cleanup'),
  timeout,
  skip,
};

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
