/**
 * Tokenizer with remark.js 0.14's lexing rules, so slide boundaries, macros and link definitions
 * fall exactly where remark.js puts them (container.training decks were written against it):
 * - separators (`---`, `--`) and `???` are only seen outside code, fences and macros;
 * - a `.a.b[` macro starts only outside code and inline code, and its closing `]` is found by
 *   counting every bracket that follows, code included (hence the corpus's stray `]` after `^[`);
 * - inside a macro, separators are not recognised.
 * Every token keeps its offsets in the file.
 */

export type Token = TextToken | CodeToken | DefToken | MacroToken | SeparatorToken | NotesToken;

interface Span {
  start: number;
  end: number;
}
export interface TextToken extends Span {
  type: 'text';
}
/** Indented code or a fenced block: opaque to every later stage of the lexer. */
export interface CodeToken extends Span {
  type: 'code';
}
export interface DefToken extends Span {
  type: 'def';
  label: string;
  url: string;
  title?: string;
}
export interface MacroToken extends Span {
  type: 'macro';
  classes: string[];
  /** Multi-line content: a block (`div`), else inline (`span`). */
  block: boolean;
  innerStart: number;
  innerEnd: number;
  children: Token[];
}
export interface SeparatorToken extends Span {
  type: 'separator';
  kind: '---' | '--';
}
export interface NotesToken extends Span {
  type: 'notes';
}

/** A `.x[` that never closes: remark.js shows it as text; labdeck reports it. */
export interface UnbalancedMacro {
  start: number;
  classes: string[];
}

const CODE = String.raw`(?:^|\n)(?<code>(?: {4}[^\n]+\n*)+)`;
const INLINE_CODE = String.raw`(?<icode>\x60[^\x60]+?\x60)`;
const CONTENT = String.raw`(?<content>\\?(?:\.[a-zA-Z_\-][a-zA-Z\-_0-9]*)+)\[`;
const FENCES = String.raw`(?:^|\n) *(?<fence>\x60{3,}|~{3,}) *(?:\S+)? *\n[\s\S]+?\s*\k<fence> *(?:\n+|$)`;
const DEF = String.raw`(?:^|\n) *\[(?<defLabel>[^\]]+)\]: *<?(?<defUrl>[^\s>]+)>?(?: +["(](?<defTitle>[^\n]+)[")])? *(?:\n+|$)`;
const SEPARATOR = String.raw`(?:^|\n)(?<sep>---?)(?:\n|$)`;
const NOTES = String.raw`(?:^|\n)(?<notes>\?{3})(?:\n|$)`;

const BLOCK = new RegExp([CODE, INLINE_CODE, CONTENT, FENCES, DEF, SEPARATOR, NOTES].join('|'));
const INLINE = new RegExp([CODE, INLINE_CODE, CONTENT, FENCES, DEF].join('|'));

/** Backticks that remark.js pairs in a way that hides structure from the author. */
export interface BacktickTrap {
  start: number;
  /** Where the pairing backtick is, or undefined when none follows in the file. */
  end?: number;
}

export interface LexResult {
  tokens: Token[];
  unbalanced: UnbalancedMacro[];
  traps: BacktickTrap[];
  /** Macros nested deeper than MAX_MACRO_DEPTH: kept as text, so no later stage recurses that deep. */
  tooDeep: UnbalancedMacro[];
}

/** How deep macros may nest (real decks: 3 or 4); deeper ones are text, reported once per outermost one. */
export const MAX_MACRO_DEPTH = 20;

export function lex(text: string): LexResult {
  const found: Found = { unbalanced: [], traps: [], tooDeep: [] };
  const tokens = lexRange(text, 0, text.length, BLOCK, found, 0);
  return { tokens, ...found };
}

interface Found {
  unbalanced: UnbalancedMacro[];
  traps: BacktickTrap[];
  tooDeep: UnbalancedMacro[];
}

const STRUCTURE_LINE = /\n(?:---?|\?{3})(?:\n|$)/;
const MACRO_OPENER = /\n\s*\.[a-zA-Z_-][\w-]*\[/;

function lexRange(text: string, from: number, to: number, regex: RegExp, found: Found, depth: number): Token[] {
  const { unbalanced, traps } = found;
  const tokens: Token[] = [];
  const pushText = (start: number, end: number) => {
    if (end <= start) return;
    const last = tokens[tokens.length - 1];
    if (last?.type === 'text' && last.end === start) last.end = end;
    else tokens.push({ type: 'text', start, end });
  };
  let pos = from;
  while (pos < to) {
    // Slicing keeps `^` meaning "just after the previous token", as in remark.js.
    const rest = text.slice(pos, to);
    const m = regex.exec(rest);
    if (!m) break;
    const start = pos + m.index;
    const end = start + m[0].length;
    const g = m.groups ?? {};
    pushText(pos, start);
    if (g.code !== undefined || g.fence !== undefined) {
      tokens.push({ type: 'code', start, end });
      pos = end;
    } else if (g.icode !== undefined) {
      // Inline code may run across lines (remark.js rule): when it hides a separator, say so.
      if (regex === BLOCK && g.icode.includes('\n') && (STRUCTURE_LINE.test(g.icode) || MACRO_OPENER.test(g.icode))) traps.push({ start, end: end - 1 });
      pushText(start, end);
      pos = end;
    } else if (g.content !== undefined) {
      const escaped = g.content.startsWith('\\');
      const classes = g.content.replace(/^\\/, '').slice(1).split('.');
      const close = escaped ? -1 : findClosingBracket(text, end, text.length);
      if (escaped) {
        // `\.x[`: the backslash goes, the rest is text.
        pushText(start + 1, end);
        pos = end;
      } else if (close === -1) {
        unbalanced.push({ start, classes });
        pushText(start, end);
        pos = end;
      } else if (depth >= MAX_MACRO_DEPTH) {
        found.tooDeep.push({ start, classes });
        pushText(start, close + 1);
        pos = close + 1;
        if (pos > to) return tokens;
      } else {
        const innerText = text.slice(end, close);
        tokens.push({
          type: 'macro',
          start,
          end: close + 1,
          classes,
          block: innerText.includes('\n'),
          innerStart: end,
          innerEnd: close,
          children: lexRange(text, end, close, INLINE, found, depth + 1),
        });
        pos = close + 1;
        // The macro may run past `to` only at top level (remark.js counts brackets across slides).
        if (pos > to) return tokens;
      }
    } else if (g.defLabel !== undefined) {
      const def: DefToken = { type: 'def', start, end, label: g.defLabel, url: g.defUrl ?? '' };
      if (g.defTitle !== undefined) def.title = g.defTitle;
      tokens.push(def);
      pos = end;
    } else if (g.sep !== undefined) {
      tokens.push({ type: 'separator', start, end, kind: g.sep as '---' | '--' });
      pos = end;
    } else if (g.notes !== undefined) {
      tokens.push({ type: 'notes', start, end });
      pos = end;
    } else {
      pushText(start, end);
      pos = end;
    }
  }
  if (regex === BLOCK) {
    const lone = text.indexOf('`', pos);
    if (lone !== -1 && lone < to) traps.push({ start: lone });
  }
  pushText(pos, to);
  return tokens;
}

/** Index of the `]` that balances the `[` just before `from`, or -1. Every bracket counts. */
function findClosingBracket(text: string, from: number, to: number): number {
  let depth = 1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 91) depth++;
    else if (c === 93 && --depth === 0) return i;
  }
  return -1;
}
