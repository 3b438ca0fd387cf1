import { existsSync, readFileSync, statSync } from 'node:fs';
import pc from 'picocolors';
import { answersTemplate, gradeAnswers, parseAnswers, type Grade } from '../../answers/grade.ts';
import { loadQuestions } from '../../answers/load.ts';
import { clusterProblem, shellRunner } from '../../answers/run.ts';
import { hasErrors } from '../../model/diagnostic.ts';
import { unwritableReason, writeFileAtomic } from '../../shared/files.ts';
import { failer, printDiagnostics, type SetExit } from '../shared.ts';

export interface TemplateFlags { out?: string; force?: boolean }

export async function template(deck: string, opts: TemplateFlags, setExit: SetExit): Promise<void> {
  const fail = failer(setExit, 2);
  if (opts.out !== undefined) {
    if (existsSync(opts.out) && !opts.force) return fail(`${opts.out} already exists: not overwritten`, 'a learner may have answered in it; pass --force to replace it');
    const reason = unwritableReason(opts.out);
    if (reason) return fail(`cannot write ${opts.out}: ${reason}`, 'choose another --out path');
  }
  const { questions, diagnostics } = await loadQuestions(deck);
  printDiagnostics(diagnostics);
  if (hasErrors(diagnostics)) return setExit(2);
  const json = answersTemplate(questions);
  if (opts.out === undefined) process.stdout.write(json);
  else {
    writeFileAtomic(opts.out, json);
    process.stderr.write(`${opts.out}: ${questions.length} answers to fill in (${questions.filter((q) => q.check).length} checked automatically)\n`);
  }
  setExit(0);
}

export interface CheckFlags { kubeconfig?: string; timeout: string; json?: boolean }

export async function check(deck: string, file: string, opts: CheckFlags, setExit: SetExit): Promise<void> {
  const fail = failer(setExit, 2);
  const timeout = Number(opts.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) return fail(`--timeout must be a number of seconds, not ${opts.timeout}`, '--timeout 30');
  if (!existsSync(file) || !statSync(file).isFile()) return fail(`${file}: no such answers file`, `create it with \`labdeck answers template ${deck} -o ${file}\``);
  if (opts.kubeconfig !== undefined && !existsSync(opts.kubeconfig)) return fail(`--kubeconfig ${opts.kubeconfig}: no such file`, 'give the kubeconfig of the cluster the learner worked on');
  const { questions, diagnostics } = await loadQuestions(deck);
  if (hasErrors(diagnostics)) {
    printDiagnostics(diagnostics);
    return setExit(2);
  }
  const parsed = parseAnswers(readFileSync(file, 'utf8'), file, questions);
  printDiagnostics([...diagnostics, ...parsed.diagnostics]);
  if (parsed.diagnostics.some((d) => d.code === 'answers/not-json' || d.code === 'answers/not-object')) return setExit(2);
  const run = shellRunner({ kubeconfig: opts.kubeconfig, timeoutMs: timeout * 1000 });
  const grades = await gradeAnswers(questions, parsed.answers, run, { clusterProblem: clusterProblem(run) });
  if (opts.json) process.stdout.write(`${JSON.stringify(grades, null, 2)}\n`);
  else process.stdout.write(formatGrades(grades));
  const ok = grades.every((g) => g.status === 'right' || g.status === 'unchecked') && !hasErrors(parsed.diagnostics);
  setExit(ok ? 0 : 1);
}

function formatGrades(grades: readonly Grade[]): string {
  const width = Math.max(...grades.map((g) => g.key.length), 0);
  const lines = grades.map((g) => {
    const key = g.key.padEnd(width);
    switch (g.status) {
      case 'right':
        return `${pc.green('✔ right     ')} ${key}  ${g.given}`;
      case 'wrong':
        return `${pc.red('✘ wrong     ')} ${key}  you wrote ${JSON.stringify(g.given)}; on your cluster: ${JSON.stringify(g.expected)}`;
      case 'unanswered':
        return `${pc.yellow('? unanswered')} ${key}`;
      case 'unchecked':
        return `${pc.dim('· unchecked ')} ${key}  ${g.given}  (no hidden check: your trainer reads it)`;
      case 'check-failed':
        return `${pc.red('! no verdict')} ${key}  the check could not run: ${g.reason}`;
    }
  });
  const count = (s: Grade['status']) => grades.filter((g) => g.status === s).length;
  lines.push(`${grades.length} questions: ${count('right')} right, ${count('wrong')} wrong, ${count('unanswered')} unanswered, ${count('unchecked')} not checked, ${count('check-failed')} checks failed`);
  return `${lines.join('\n')}\n`;
}
