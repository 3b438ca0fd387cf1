import type { Command } from 'commander';
import { DEFAULT_KEEP, VERIFY_DIR } from '../../verify/defaults.ts';
import type { MergeFlags, VerifyFlags } from '../actions/verify.ts';
import type { RegisterCommand } from '../shared.ts';

const HISTORY_HELP = `reports kept in the history (default: verify.history in labdeck.yml, else ${DEFAULT_KEEP}; 0 keeps none)`;
const HISTORY_DIR_HELP = 'where the history is kept (labdeck build reads it)';

/** Exit codes: 0 all steps passed, 1 a step failed or nothing to verify, 2 bad input or environment, 130 interrupted. */
export const registerVerify: RegisterCommand = (program, setExit) => {
  const verify = program
    .command('verify')
    .description('Replay the lab commands of decks or chapters in a private tmux server and report which slide broke (see docs/VERIFY.md)')
    .argument('<input...>', 'deck manifests (.yml) or chapter files (.md)')
    .option('--plan', 'list the steps with slide number and file:line, run nothing')
    .option('--from <slide>', 'start at this slide number (earlier slides are reported as skipped)')
    .option('--only <chapter>', 'only the slides whose file path or chapter title contains this text')
    .option('--step', 'interactive: ask before each step (run, skip, quit) and after a failure (retry, skip, quit)')
    .option('--continue-on-error', 'after a failed step, skip the rest of its slide and go on with the next slide')
    .option('--jobs <n>', 'decks or chapters run in parallel, each with its own tmux server and namespace', '1')
    .option('--timeout-scale <x>', 'multiply every timeout (slow clusters)', '1')
    .option('--context <name>', 'kubeconfig context to use: naming it is the permission to use it')
    .option('--kubeconfig <file>', 'kubeconfig to read the context from (default: $KUBECONFIG, ~/.kube/config)')
    .option('--keep', 'keep the namespace and the run directory afterwards')
    .option('--open', 'run `open` directives (xdg-open) instead of only recording them')
    .option('--junit <file>', 'write JUnit XML (suite per deck or chapter, case per slide)')
    .option('--json <file>', 'write the event stream as JSON lines (one event per step)')
    .option('--html <dir>', 'write an HTML report (failures with their screen, links to file:line)')
    .option('--cast <dir>', 'write asciicast recordings of every pane (default with --html: <dir>/casts)')
    .option('--follow <url>', 'autopilot: POST each slide the runner enters to this URL (labdeck dev follows)')
    .option('--size <WxH>', 'terminal size', '160x48')
    .option('--verbose', 'a line per step, skipped ones included')
    .option('--transcripts', 'also replay console transcripts (console, shell-session, sh with prompts) where the deck does not say `transcripts: true`')
    .option('--update', 'console transcripts: write what the commands print now in place of the expected output (shows the diff)')
    .option('--shard <i/n>', 'run part i of n: the decks are shared out between n shards, never split, balanced by step count or --durations')
    .option('--durations <report>', 'with --shard: balance by the deck durations of this earlier --json report')
    .option('--namespace-role <clusterrole>', "bind this ClusterRole in each namespace the run creates, to the kubeconfig's own identity (in-cluster shards, docs/VERIFY.md)")
    .option('--history <n>', HISTORY_HELP)
    .option('--history-dir <dir>', HISTORY_DIR_HELP, VERIFY_DIR)
    .action(async (inputs: string[], flags: VerifyFlags) => setExit(await (await import('../actions/verify.ts')).run(inputs, flags)));

  // Commander hands `verify`'s own options to `verify` wherever they are written, before a
  // subcommand sees them: `verify merge --json f` fills verify's --json. The subcommands declare
  // theirs for --help and read the values with optsWithGlobals().
  verify
    .command('merge')
    .description("Merge the --json reports of a run's shards into one report, as if one run had verified every deck")
    .argument('<report...>', 'shard reports (verify --shard i/n --json FILE)')
    .option('--json <file>', 'write the merged report (JSON lines, the same events as verify --json)')
    .option('--junit <file>', 'write JUnit XML of the merged report')
    .option('--html <dir>', 'write the HTML report of the merged report')
    .option('--history <n>', HISTORY_HELP)
    .option('--history-dir <dir>', `${HISTORY_DIR_HELP} (default: "${VERIFY_DIR}")`)
    .action(async (reports: string[], _flags: unknown, command: Command) => setExit((await import('../actions/verify.ts')).mergeCommand(reports, command.optsWithGlobals<MergeFlags>())));

  verify
    .command('history')
    .description('Per slide: since when it has failed, and the last run it passed (from the reports verify keeps)')
    .argument('[deck]', 'deck id or manifest (default: every deck in the history)')
    .option('--history-dir <dir>', `${HISTORY_DIR_HELP} (default: "${VERIFY_DIR}")`)
    .action(async (deck: string | undefined, _flags: unknown, command: Command) => setExit((await import('../actions/verify.ts')).history(deck, command.optsWithGlobals<{ historyDir: string }>().historyDir)));
};
