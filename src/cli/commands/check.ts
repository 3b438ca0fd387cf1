import type { RegisterCommand } from '../shared.ts';

export const registerCheck: RegisterCommand = (program, setExit) => {
  const check = program.command('check').description('Checks that need a browser');
  check
    .command('layout')
    .description('Visit every slide in headless Chromium; report content that overflows the 16:9 frame and titles that wrap')
    .argument('<deck>', 'deck id (content/decks/<id>.yml) or manifest path')
    .action(async (deckRef: string) => (await import('../actions/check.ts')).layout(deckRef, setExit));
};
