import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import { KNOWN_VERBS } from '../model/directive.ts';
import type { Position } from '../model/position.ts';

/**
 * `directives: { notes: [look] }`: verbs written like automation (```` <!-- ```look at the files``` --> ````)
 * that are notes to the presenter. Read from a manifest's key or from labdeck.yml. `at` places a
 * YAML node in its file.
 */
export function noteVerbsOf(value: YamlNode | null, at: (node: YamlNode | null) => Position, diagnostics: Diagnostic[]): string[] {
  const shape = () => diagnostics.push(error('manifest/directives', at(value), '`directives:` must be a mapping with a `notes:` list of verbs', 'write `directives: { notes: [look] }`'));
  if (!isMap(value)) {
    shape();
    return [];
  }
  const notes: string[] = [];
  for (const pair of value.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const list = pair.value as YamlNode | null;
    if (key !== 'notes' || !isSeq(list)) {
      shape();
      continue;
    }
    for (const item of list.items as YamlNode[]) {
      const verb = isScalar(item) ? String(item.value) : '';
      if (!/^\S+$/.test(verb)) diagnostics.push(error('manifest/directives', at(item), '`directives.notes` lists verbs: single words', 'write `notes: [look]`'));
      else if (KNOWN_VERBS.has(verb)) diagnostics.push(error('manifest/directives', at(item), `\`${verb}\` is an automation verb; it cannot be a note`, 'list only verbs labdeck does not run'));
      else notes.push(verb);
    }
  }
  return notes;
}
