import type { Node, Parent, PhrasingContent, Root, Text } from 'mdast';
import type { DeckVariable, DeckLink } from '../model/slide.ts';

/** Deck values markmaker substitutes (`@@TITLE@@`…), plus `@@TOC@@` which the assembler expands. */
export const DECK_VARIABLES = ['TITLE', 'CHAT', 'GITREPO', 'SLIDES', 'ZIP', 'HTML', 'SLIDENUMBERPREFIX', 'TOC'] as const;

const MACRO = new RegExp(`@@(${DECK_VARIABLES.join('|')})@@|@@LINK\\[([^\\]\\n]+)\\]`, 'g');

/**
 * Splits text nodes around `@@NAME@@` and `@@LINK[path]` into typed nodes, so a file is parsed
 * once for every deck that includes it and each deck fills in its own values when rendering.
 */
export function markDeckMacros(tree: Root): void {
  visitParents(tree);
}

function visitParents(parent: Parent): void {
  let changed = false;
  const out: unknown[] = [];
  for (const child of parent.children) {
    if (child.type === 'text' && child.value.includes('@@')) {
      const pieces = split(child);
      if (pieces.length !== 1 || pieces[0] !== child) changed = true;
      out.push(...pieces);
    } else {
      if ('children' in child) visitParents(child as Parent);
      out.push(child);
    }
  }
  if (changed) parent.children = out as Parent['children'];
}

function split(node: Text): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let last = 0;
  for (const m of node.value.matchAll(MACRO)) {
    if (m.index > last) out.push({ type: 'text', value: node.value.slice(last, m.index) });
    const macro: DeckVariable | DeckLink = m[1] ? { type: 'deckVariable', name: m[1] } : { type: 'deckLink', path: m[2]! };
    out.push(macro);
    last = m.index + m[0].length;
  }
  if (last === 0) return [node];
  if (last < node.value.length) out.push({ type: 'text', value: node.value.slice(last) });
  return out;
}

export const INCLUDE = /@@INCLUDE\[([^\]\n]+)\]/g;
