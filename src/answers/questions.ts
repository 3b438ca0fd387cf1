import type { Html, Node, Parent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import type { Slide } from '../model/slide.ts';

/** A question of a lab sheet whose answer goes in the answers file under `key`. */
export interface Question {
  /** `Answer1`: the tag written `[Answer1]` after the question. */
  key: string;
  /** The question as the learner reads it, tag removed. */
  text: string;
  position: Position;
  /** Hidden check: a shell command whose output, on the learner's cluster, is the right answer. */
  check?: { command: string; position: Position };
}

const TAG = /\\?\[(Answer\d+)\\?\]/g;
/**
 * `<!-- answer Answer1: kubectl config get-contexts -o name | wc -l -->`. No triple backticks, so
 * the parser does not read it as an automation directive, and no `word:` right after `<!--`, so
 * remark.js does not read it as a slide property.
 */
const CHECK = /<!--\s*answer\s+(Answer\d+)\s*:\s*([\s\S]*?)\s*-->/g;

/** Questions of a lab in document order, each with its hidden check when the author wrote one. */
export function findQuestions(slides: readonly Slide[]): { questions: Question[]; diagnostics: Diagnostic[] } {
  const questions: Question[] = [];
  const checks: { key: string; command: string; position: Position }[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const slide of slides) {
    const file = slide.position.file;
    const pos = (node: Node, extraLines = 0): Position => ({ file, line: (node.position?.start.line ?? slide.position.line) + extraLines, column: extraLines === 0 ? (node.position?.start.column ?? 1) : 1 });
    for (const fragment of slide.fragments) {
      walk(fragment.tree, (node) => {
        if (node.type === 'html') {
          const value = (node as Html).value;
          for (const m of value.matchAll(CHECK)) {
            const lines = value.slice(0, m.index).split('\n').length - 1;
            checks.push({ key: m[1]!, command: m[2]!.trim(), position: pos(node, lines) });
          }
          return false;
        }
        if (node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'tableCell') return true;
        const text = toString(node);
        for (const m of text.matchAll(TAG)) {
          questions.push({ key: m[1]!, text: text.replace(TAG, '').replace(/\s+/g, ' ').trim(), position: pos(node) });
        }
        return false;
      });
    }
  }
  const byKey = new Map<string, Question>();
  for (const q of questions) {
    const first = byKey.get(q.key);
    if (first) diagnostics.push(error('answers/duplicate-question', q.position, `[${q.key}] is already the tag of the question at line ${first.position.line}`, 'number the questions so each tag appears once'));
    else byKey.set(q.key, q);
  }
  for (const c of checks) {
    const q = byKey.get(c.key);
    if (!q) diagnostics.push(error('answers/orphan-check', c.position, `hidden check for ${c.key}, but no question is tagged [${c.key}]`, `tag the question with [${c.key}], or fix the key of the check`));
    else if (q.check) diagnostics.push(error('answers/duplicate-check', c.position, `${c.key} already has a hidden check (line ${q.check.position.line})`, 'keep one check per question'));
    else if (c.command === '') diagnostics.push(error('answers/empty-check', c.position, `the hidden check of ${c.key} has no command`, `write it as <!-- answer ${c.key}: command -->`));
    // The dialect reads `.name[…]` as a macro even inside comments, so the command would be mangled.
    else if (/[\uE000-\uF8FF]/.test(c.command)) diagnostics.push(error('answers/check-macro', c.position, `the hidden check of ${c.key} contains \`.word[\`, which the dialect reads as a macro`, 'rewrite that part (a jsonpath like {.items[0].x} can be {.items[*].x} or {..x})'));
    else q.check = { command: c.command, position: c.position };
  }
  return { questions: [...byKey.values()], diagnostics };
}

function walk(node: Node, fn: (node: Node) => boolean): void {
  if (!fn(node)) return;
  if ('children' in node) for (const child of (node as Parent).children as Node[]) walk(child, fn);
}
