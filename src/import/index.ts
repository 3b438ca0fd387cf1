import { error, type Diagnostic } from '../model/diagnostic.ts';
import { importLabSheet } from './lab-sheet.ts';
import { importNotes } from './notes.ts';
import { importPdfText, isTitleLike } from './pdf-text.ts';
import { fenceMarker, SHAPES, type ImportContext, type ImportResult, type ImportShape } from './shared.ts';

export { lintImported } from './lint.ts';
export { SHAPES, type ImportContext, type ImportLang, type ImportResult, type ImportShape } from './shared.ts';

const CONVERTERS: Record<ImportShape, (text: string, ctx: ImportContext) => ImportResult> = {
  notes: importNotes,
  'pdf-text': importPdfText,
  'lab-sheet': importLabSheet,
};

const DESCRIBE: Record<ImportShape, string> = {
  notes: 'notes with Markdown headings or ***** banners, console transcripts, images',
  'pdf-text': 'text extracted from a slide PDF: a short title line per page, bullets, tables',
  'lab-sheet': 'a lab sheet: ## sections, `dev $` prompts in sh blocks, [AnswerN] questions',
};

/** Signs of each shape; undefined when the document shows none (then the author must say). */
export function detectShape(text: string): ImportShape | undefined {
  if (/\[Answer\d+\]/.test(text) || /^\s*dev \$ /m.test(text)) return 'lab-sheet';
  const lines = text.split('\n');
  const headings = lines.filter((l) => /^ {0,3}#{1,6} \S/.test(l) || /^\*{10,}\s*$/.test(l)).length;
  if (headings >= 2) return 'notes';
  const standalone = lines.filter((l, i) => isTitleLike(l, 60) && (lines[i - 1] ?? '').trim() === '' && (lines[i + 1] ?? '').trim() === '').length;
  if (standalone >= 3) return 'pdf-text';
  return undefined;
}

/**
 * Turns a document of a known shape into Markdown of the dialect. Without a shape, it guesses
 * from the text; a document in none of the shapes, or not in the one asked for, is an error
 * that names the `--as` to use.
 */
export function importDocument(text: string, shape: ImportShape | undefined, ctx: ImportContext): ImportResult {
  const at = { file: ctx.source, line: 1, column: 1 };
  const fail = (message: string, hint: string): ImportResult => ({ markdown: '', diagnostics: [error('import/shape', at, message, hint)] });
  const all = SHAPES.map((s) => `--as ${s} (${DESCRIBE[s]})`).join('; ');
  const detected = detectShape(text);
  if (shape === undefined) {
    if (detected === undefined) return fail(`cannot tell what kind of document ${ctx.source} is`, `say it with one of: ${all}`);
    return CONVERTERS[detected](text, ctx);
  }
  const result = CONVERTERS[shape](text, ctx);
  if (!hasTitle(result.markdown)) {
    return fail(`${ctx.source} does not look like ${shape === 'notes' ? 'notes' : `a ${shape}`}: no title found`, detected && detected !== shape ? `it looks like ${DESCRIBE[detected]}: use --as ${detected}` : `try one of: ${all}`);
  }
  return result;
}

/** A `# ` or `## ` line outside code: the converter found something to title a slide with. */
function hasTitle(markdown: string): boolean {
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const f = fenceMarker(line);
    if (fence === undefined && f) fence = f.marker;
    else if (fence !== undefined && f && f.info === '' && f.marker[0] === fence[0] && f.marker.length >= fence.length) fence = undefined;
    else if (fence === undefined && /^#{1,2} /.test(line)) return true;
  }
  return false;
}

export function parseShape(value: string): ImportShape | Diagnostic {
  if ((SHAPES as readonly string[]).includes(value)) return value as ImportShape;
  return error('import/shape', { file: '<command line>', line: 1, column: 1 }, `unknown --as ${value}`, `use one of: ${SHAPES.join(', ')}`);
}
