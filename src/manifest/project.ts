import { join } from 'node:path';
import { isMap, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import { readTextFile } from './chapter.ts';
import { noteVerbsOf } from './notes.ts';

/**
 * The note verbs of labdeck.yml in `dir` (where labdeck runs, as for `verify.contexts`); none when
 * there is no such file. Its other sections belong to other stages.
 */
export function projectNoteVerbs(dir: string, read: (abs: string) => string | undefined = readTextFile): { notes: string[]; diagnostics: Diagnostic[] } {
  const text = read(join(dir, 'labdeck.yml'));
  const diagnostics: Diagnostic[] = [];
  if (text === undefined) return { notes: [], diagnostics };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (node: YamlNode | null): Position => {
    const p = lines.linePos(node?.range?.[0] ?? 0);
    return { file: 'labdeck.yml', line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    diagnostics.push(error('project/yaml', at(null), `labdeck.yml: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, 'fix the YAML syntax'));
    return { notes: [], diagnostics };
  }
  const value = isMap(doc.contents) ? (doc.contents.get('directives', true) as YamlNode | undefined) : undefined;
  if (value === undefined) return { notes: [], diagnostics };
  return { notes: noteVerbsOf(value, at, diagnostics), diagnostics };
}
