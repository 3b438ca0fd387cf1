/** Deck values markmaker substitutes (`@@TITLE@@`…), plus `@@TOC@@` which the assembler expands. */
export const DECK_VARIABLES = ['TITLE', 'CHAT', 'GITREPO', 'SLIDES', 'ZIP', 'HTML', 'SLIDENUMBERPREFIX', 'TOC'] as const;

/** `@@NAME@@` (group 1) or `@@LINK[path]` (group 2). */
export const DECK_VARIABLE_PATTERN = new RegExp(`@@(${DECK_VARIABLES.join('|')})@@|@@LINK\\[([^\\]\\n]+)\\]`, 'g');

export const INCLUDE = /@@INCLUDE\[([^\]\n]+)\]/g;
