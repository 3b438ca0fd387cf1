import { VERIFY_DIR } from '../../verify/defaults.ts';
import { DECKS_DIR } from '../../shared/paths.ts';
import type { BuildFlags } from '../actions/build.ts';
import type { RegisterCommand } from '../shared.ts';

export const registerBuild: RegisterCommand = (program, setExit) => {
  program
    .command('build')
    .description(`Build decks into a static site (default: every manifest in ${DECKS_DIR}/)`)
    .argument('[manifest...]', 'deck manifests (.yml), or Markdown files with front matter (single-file decks)')
    .option('-o, --out <dir>', 'output folder, replaced as a whole when the build succeeds', 'dist')
    .option('--lenient', 'build even with errors, and show each problem on its slide')
    .option('--missing-translations <how>', 'where a translated deck lacks a slide: show the English one ("english") or leave it out ("omit")', 'english')
    .option('--verify-report <file>', `mark each lab slide with its verdict from this verification report (verify --json, or merged); repeatable; a folder reads its runs/ (default: ${VERIFY_DIR}, where verify keeps them)`, (v: string, all: string[] = []) => [...all, v])
    .option('--no-verify-report', 'no verification marks')
    .option('--no-cache', 'build everything: neither use nor update the build cache ($LABDECK_CACHE_DIR/build, default ~/.cache/labdeck/build)')
    .action(async (manifests: string[], opts: BuildFlags) => (await import('../actions/build.ts')).build(manifests, opts, setExit));
};
