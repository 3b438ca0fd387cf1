import type { PackFlags } from '../actions/pack.ts';
import type { RegisterCommand } from '../shared.ts';

export const registerPack: RegisterCommand = (program, setExit) => {
  program
    .command('pack')
    .description('Zip one deck so it presents from a laptop with no network')
    .argument('<deck>', 'deck id (content/decks/<id>.yml) or manifest path')
    .option('-o, --out <file>', 'zip to write (default: <deck>.zip)')
    .action(async (deckRef: string, opts: PackFlags) => (await import('../actions/pack.ts')).pack(deckRef, opts, setExit));
};
