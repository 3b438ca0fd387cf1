import { join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import { readTextFile } from './chapter.ts';
import { readMarkdownKeys, type MarkdownKeys } from './manifest.ts';
import { noteVerbsOf } from './notes.ts';

/** What labdeck.yml says for every deck of the course. Its other sections belong to other stages. */
export interface ProjectSettings {
  /** `directives.notes`: verbs that are notes to the presenter. */
  notes: string[];
  /** `markdown:`, `plugins:`, `styles:`: for the decks whose manifest does not say. */
  markdown: MarkdownKeys;
  /** The folder of labdeck.yml: its plugins come from the course package above it. */
  dir: string;
  diagnostics: Diagnostic[];
}

/**
 * labdeck.yml in `dir` (where labdeck runs, as for `verify.contexts`); nothing set when there is
 * no such file.
 */
export function projectSettings(dir: string, read: (abs: string) => string | undefined = readTextFile): ProjectSettings {
  const settings: ProjectSettings = { notes: [], markdown: {}, dir, diagnostics: [] };
  const text = read(join(dir, 'labdeck.yml'));
  if (text === undefined) return settings;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const pos = (offset: number | undefined): Position => {
    const p = lines.linePos(offset ?? 0);
    return { file: 'labdeck.yml', line: p.line, column: p.col };
  };
  const at = (node: YamlNode | null): Position => pos(node?.range?.[0]);
  if (doc.errors.length > 0) {
    settings.diagnostics.push(error('project/yaml', at(null), `labdeck.yml: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, 'fix the YAML syntax'));
    return settings;
  }
  if (!isMap(doc.contents)) return settings;
  const values: Record<string, YamlNode | null> = {};
  const keyAt: Record<string, Position> = {};
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    values[key] = (pair.value as YamlNode | null) ?? null;
    keyAt[key] = pos(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
  }
  if (values.directives !== undefined) settings.notes = noteVerbsOf(values.directives, at, settings.diagnostics);
  readMarkdownKeys(values, keyAt, pos, settings.markdown, settings.diagnostics);
  return settings;
}

/** The note verbs of labdeck.yml in `dir` and their problems (for a chapter read alone: no deck, no plugins). */
export function projectNoteVerbs(dir: string, read: (abs: string) => string | undefined = readTextFile): { notes: string[]; diagnostics: Diagnostic[] } {
  const { notes, diagnostics } = projectSettings(dir, read);
  return { notes, diagnostics: diagnostics.filter((d) => !/^manifest\/(markdown|plugins|styles)$/.test(d.code)) };
}
