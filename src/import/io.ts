import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import { parseSource } from '../parse/index.ts';
import { unwritableReason, writeFileAtomic } from '../shared/files.ts';
import { importDocument } from './index.ts';
import { lintImported } from './lint.ts';
import type { ImportLang, ImportShape } from './shared.ts';
import { toPosix } from '../shared/paths.ts';
import { decodeText, describeNotText } from '../shared/text.ts';

export interface ImportRequest {
  file: string;
  shape?: ImportShape;
  lang: ImportLang;
  /** Where to write; stdout when absent. */
  out?: string;
  force?: boolean;
  /** Content root, for the paths lint reports (content/fr/x.md → fr/x.md). */
  contentRoot?: string;
}

export interface ImportOutcome {
  markdown?: string;
  written?: string;
  /** Slides of the produced Markdown, as the parser splits them. */
  slides?: number;
  diagnostics: Diagnostic[];
}

/** Reads a document as UTF-8 text, or says why it cannot be imported. */
export function readDocument(file: string): { text: string } | { problem: Diagnostic } {
  const at = { file, line: 1, column: 1 };
  if (!existsSync(file) || !statSync(file).isFile()) return { problem: error('import/no-file', at, `${file}: no such file`, 'give the path of the document to import') };
  const decoded = decodeText(readFileSync(file));
  if ('notText' in decoded) {
    const n = decoded.notText;
    return { problem: error('import/not-text', { file, line: n.line, column: n.column }, `${file} is not UTF-8 text: ${describeNotText(n)}`, 'import the text of the document: for a PDF, extract it first (e.g. `pdftotext -layout deck.pdf deck.txt`)') };
  }
  const text = decoded.text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { problem: error('import/empty', at, `${file} is empty`, 'nothing to import') };
  return { text };
}

/** File I/O around the pure converters: read, convert, lint what was produced, write unless refused. */
export function runImport(req: ImportRequest): ImportOutcome {
  const read = readDocument(req.file);
  if ('problem' in read) return { diagnostics: [read.problem] };
  if (req.out !== undefined) {
    const at = { file: req.out, line: 1, column: 1 };
    if (existsSync(req.out) && !req.force) return { diagnostics: [error('import/exists', at, `${req.out} already exists: not overwritten`, 'review your edits first; pass --force to replace it with a fresh import')] };
    const reason = unwritableReason(req.out);
    if (reason) return { diagnostics: [error('import/unwritable', at, `cannot write ${req.out}: ${reason}`, 'choose another --out path')] };
  }
  const base = dirname(resolve(req.file));
  const result = importDocument(read.text, req.shape, {
    source: req.file,
    lang: req.lang,
    imageExists: (ref) => existsSync(resolve(base, ref)),
  });
  if (result.markdown === '') return { diagnostics: result.diagnostics };
  const path = outputPath(req);
  const parsed = parseSource(result.markdown, { path });
  const diagnostics = [...result.diagnostics, ...parsed.diagnostics, ...lintImported(parsed, result.markdown)];
  const slides = parsed.slides.length;
  if (req.out === undefined) return { markdown: result.markdown, slides, diagnostics };
  writeFileAtomic(req.out, result.markdown);
  return { markdown: result.markdown, written: req.out, slides, diagnostics };
}

/** Positions in the produced file: relative to the content root when it lands under it. */
function outputPath(req: ImportRequest): string {
  if (req.out === undefined) return '<stdout>';
  const root = resolve(req.contentRoot ?? 'content');
  const rel = relative(root, resolve(req.out));
  return rel.startsWith('..') ? req.out : toPosix(rel);
}
