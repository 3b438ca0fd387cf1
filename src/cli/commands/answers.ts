import type { TemplateFlags, CheckFlags } from '../actions/answers.ts';
import type { RegisterCommand } from '../shared.ts';

export const registerAnswers: RegisterCommand = (program, setExit) => {
  const answers = program.command('answers').description('Answers files of lab sheets: [AnswerN] questions, graded by hidden checks (see docs/IMPORT.md)');

  answers
    .command('template')
    .description('Write the answers file learners fill in: {"Answer1": "<fix me>", …}')
    .argument('<deck>', 'deck id, manifest, or Markdown chapter of the lab')
    .option('-o, --out <file>', 'write there instead of stdout')
    .option('--force', 'overwrite --out if it exists')
    .action(async (deck: string, opts: TemplateFlags) => (await import('../actions/answers.ts')).template(deck, opts, setExit));

  answers
    .command('check')
    .description("Grade a learner's answers file against their own cluster: right, wrong, unanswered")
    .argument('<deck>', 'deck id, manifest, or Markdown chapter of the lab')
    .argument('<answers>', 'the answers file (JSON)')
    .option('--kubeconfig <file>', "the learner's kubeconfig (default: $KUBECONFIG, else ~/.kube/config)")
    .option('--timeout <seconds>', 'time limit of each hidden check', '20')
    .option('--json', 'print the grades as JSON')
    .action(async (deck: string, file: string, opts: CheckFlags) => (await import('../actions/answers.ts')).check(deck, file, opts, setExit));
};
