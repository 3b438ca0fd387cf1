import pc from 'picocolors';
import type { VerifyEvent } from '../events.ts';
import { failureText } from './junit.ts';

/**
 * Live progress on stderr: a line per slide entered (slide n/N, elapsed), a line per failed or
 * skipped-by-author step, the failure with its screen, and a summary per unit. On a terminal the
 * current step is shown on a line that is rewritten; in CI every line is kept.
 */
export function progressPrinter(stream: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean }, options: { verbose?: boolean } = {}): (e: VerifyEvent) => void {
  const tty = Boolean(stream.isTTY);
  const steps = new Map<string, number>();
  let status = '';
  const clear = () => {
    if (tty && status) stream.write('\r\x1b[K');
    status = '';
  };
  const line = (s: string) => {
    clear();
    stream.write(s + '\n');
  };
  return (e) => {
    switch (e.type) {
      case 'run-start':
        for (const u of e.units) steps.set(u.id, u.steps);
        break;
      case 'unit-start':
        line(pc.bold(`▶ ${e.title}`) + pc.dim(` (${e.source}${e.namespace ? `, namespace ${e.namespace} on ${e.context}` : ''})`));
        if (e.nodeLabel) line(pc.dim(`  nodes: ${e.nodeLabel}`));
        if (e.simulation) line(pc.yellow(`  ⚠ ${e.simulation}`));
        break;
      case 'slide':
        line(pc.dim(`  [${e.unit}] slide ${e.slide.number}/${e.of} ${e.slide.title}  ${(e.elapsedMs / 1000).toFixed(1)} s`));
        break;
      case 'step': {
        const where = `${e.step.file}:${e.step.line}`;
        if (e.status === 'failed') {
          line(pc.red(`  ✗ slide ${e.slide.number} ${e.step.text}  ${where}`));
          line(
            failureText(e)
              .split('\n')
              .map((l) => `      ${l}`)
              .join('\n'),
          );
        } else if (e.status === 'skipped' && (options.verbose || !e.reason?.startsWith('not run'))) line(pc.yellow(`  - slide ${e.slide.number} ${e.step.text}: skipped (${e.reason})`));
        else if (options.verbose || !tty) line(`  ${e.status === 'passed' ? pc.green('✓') : pc.yellow('-')} slide ${e.slide.number} ${e.step.text.split('\n')[0]} ${pc.dim(`${e.durationMs} ms`)}`);
        else {
          clear();
          status = `  ✓ slide ${e.slide.number} ${e.step.text.split('\n')[0]!.slice(0, 80)} ${e.durationMs} ms`;
          stream.write(pc.green(status));
        }
        if (e.url) line(`    open ${e.url}${e.message ? ` (${e.message})` : ''}`);
        break;
      }
      case 'unit-end': {
        const colour = e.status === 'passed' ? pc.green : e.status === 'failed' ? pc.red : pc.yellow;
        line(colour(`■ ${e.unit}: ${e.status} — ${e.passed} passed, ${e.failed} failed, ${e.skipped} skipped in ${(e.durationMs / 1000).toFixed(1)} s`));
        for (const w of e.warnings ?? []) line(pc.yellow(`  warning: ${w}`));
        break;
      }
      case 'run-end':
        clear();
        break;
    }
  };
}
