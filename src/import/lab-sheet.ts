import {
  commandOf,
  fence,
  info,
  isCommandsOnly,
  isConsole,
  textLine,
  scanBlocks,
  type Diagnostic,
  type DraftSlide,
  type ImportContext,
  type ImportResult,
} from './shared.ts';
import { renderSlides } from './markdown.ts';
import { warning } from '../model/diagnostic.ts';

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const SHELL = /^(sh|shell|bash|console|)$/;

/**
 * A lab sheet (004): `# ` is the chapter, each `## ` a slide. Shell blocks with `dev $` prompts are
 * what learners run, so they go in `.lab[` boxes: commands alone become a `bash` block with the
 * prompts removed (the runner types them), commands with their output a `console` transcript with
 * the prompts kept. A `sh` block without any prompt is output shown for reference: plain code.
 * `[AnswerN]` tags stay in the text; `labdeck answers` reads them.
 */
export function importLabSheet(text: string, ctx: ImportContext): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const slides: DraftSlide[] = [{ body: [] }];
  const current = () => slides[slides.length - 1]!;
  for (const b of scanBlocks(text, ctx.source, diagnostics)) {
    if (b.kind === 'code') {
      current().body.push('', ...shellBlock(b.info, b.lines, b.line, ctx, diagnostics), '');
      continue;
    }
    const h = HEADING.exec(b.text);
    if (h && h[1]!.length <= 2) {
      const title = h[2]!.trim();
      if (h[1]!.length === 1 && slides.length === 1 && current().chapter === undefined && current().title === undefined) current().chapter = title;
      else if (current().title === undefined && current().chapter !== undefined && current().body.every((l) => l.trim() === '') && h[1]!.length === 2) current().title = title;
      else slides.push(h[1]!.length === 1 ? { chapter: title, body: [] } : { title, body: [] });
      continue;
    }
    current().body.push(textLine(b.text, b.line, ctx, diagnostics));
  }
  return { markdown: renderSlides(slides), diagnostics };
}

function shellBlock(infoString: string, lines: readonly string[], line: number, ctx: ImportContext, diagnostics: Diagnostic[]): string[] {
  if (!SHELL.test(infoString)) return fence(infoString, lines);
  if (!isConsole(lines)) {
    if (infoString === '') return fence('', lines);
    diagnostics.push(info('import/output-block', { file: ctx.source, line, column: 1 }, `a \`${infoString}\` block with no prompt: output to look at, not commands to run (shown as plain code)`));
    return fence('', lines);
  }
  const body = isCommandsOnly(lines)
    ? fence(
        'bash',
        lines.map((l) => commandOf(l)).filter((c): c is string => c !== undefined && c !== ''),
      )
    : fence('console', lines);
  // remark.js counts brackets inside code too: an unbalanced one would break the lab box.
  const depth = lines.join('\n').split('').reduce((d, c) => (d < 0 ? d : c === '[' ? d + 1 : c === ']' ? d - 1 : d), 0);
  if (depth !== 0) {
    diagnostics.push(warning('import/lab-brackets', { file: ctx.source, line, column: 1 }, 'unbalanced brackets in these commands: kept out of a .lab[ box, which they would break', 'balance them, or add the box by hand with a stray `]` in a hidden comment as container.training does'));
    return body;
  }
  return ['.lab[', '', ...body, '', ']'];
}
