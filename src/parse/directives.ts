import type { Diagnostic } from '../model/diagnostic.ts';
import { warning } from '../model/diagnostic.ts';
import { KNOWN_VERBS, type Directive, type DirectiveVerb, type UnknownDirective } from '../model/directive.ts';
import type { LineIndex } from './line-index.ts';

const SNIPPET = /```([\s\S]*?)```/g;

export interface FoundDirectives {
  directives: Omit<Directive, 'fragment' | 'lab'>[];
  /** Snippets whose verb is neither known nor declared a note. */
  unknown: Omit<UnknownDirective, 'fragment' | 'lab'>[];
  diagnostics: Diagnostic[];
}

/**
 * Reads the automation snippets of one HTML comment: ```` ```verb argument``` ```` on one line,
 * or ```` ```verb ```` / body lines / ```` ``` ```` over several. `offset` is where the comment
 * starts in the file. Verbs in `notes` are notes to the presenter written the same way
 * (container.training's ```` ```look at the files``` ````): skipped, like any comment.
 */
export function directivesInComment(comment: string, offset: number, file: string, lines: LineIndex, notes: ReadonlySet<string> = new Set()): FoundDirectives {
  const found: FoundDirectives = { directives: [], unknown: [], diagnostics: [] };
  if (!comment.includes('```')) return found;
  for (const m of comment.matchAll(SNIPPET)) {
    const body = m[1]!;
    const at = lines.position(file, offset + m.index);
    const multiline = body.includes('\n');
    let verb: string;
    let argument: string;
    if (multiline) {
      const nl = body.indexOf('\n');
      verb = body.slice(0, nl).trim();
      argument = dedent(body.slice(nl + 1));
      // A commented-out fence with no info string is parked display code, not automation.
      if (verb === '') continue;
    } else {
      const space = body.indexOf(' ');
      verb = space === -1 ? body : body.slice(0, space);
      argument = space === -1 ? '' : body.slice(space + 1);
    }
    if (!KNOWN_VERBS.has(verb)) {
      if (notes.has(verb)) continue;
      // Only `verify` runs directives: the build warns, and `verify` refuses the slide.
      found.diagnostics.push(
        warning(
          'directive/unknown-verb',
          at,
          `unknown automation directive \`${verb}\`: \`labdeck verify\` will refuse this slide`,
          `a note to the presenter? declare it: \`directives: { notes: [${verb}] }\` in the manifest or labdeck.yml; otherwise use one of: ${[...KNOWN_VERBS].join(', ')} (see docs/VERIFY.md)`,
        ),
      );
      found.unknown.push({ verb, argument, multiline, position: at });
      continue;
    }
    if (!balanced(argument)) {
      found.diagnostics.push(
        warning(
          'directive/brackets',
          at,
          `\`${verb} ${argument.trim()}\` has unbalanced brackets, which shift remark.js's macro boundaries`,
          'inside a `.lab[` box, balance it with a stray `]` after the snippet, as container.training does',
        ),
      );
    }
    found.directives.push({ verb: verb as DirectiveVerb, argument, multiline, position: at });
  }
  return found;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '[') depth++;
    else if (c === ']') depth--;
  }
  return depth === 0;
}

/** Drop blank edge lines and the indentation all lines share (Markdown list indentation). */
export function dedent(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}
