import { DECKS_DIR } from '../../shared/paths.ts';
import type { RegisterCommand } from '../shared.ts';
import type { DevFlags } from '../actions/dev.ts';

export const registerDev: RegisterCommand = (program, setExit) => {
  program
    .command('dev')
    .description(`Build, serve on 127.0.0.1 with live reload, and rebuild only what changes (default: every manifest in ${DECKS_DIR}/)`)
    .argument('[manifest...]', 'deck manifests (.yml), or Markdown files with front matter (single-file decks)')
    .option('-o, --out <dir>', 'output folder (served, and nothing else)', '.labdeck/dev')
    .option('-p, --port <port>', 'port on 127.0.0.1', '8000')
    .option('--lenient', 'build even with errors, and show each problem on its slide')
    .action(async (manifests: string[], opts: DevFlags) => (await import('../actions/dev.ts')).dev(manifests, opts, setExit));
};
