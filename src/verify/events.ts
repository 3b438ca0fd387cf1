import type { SlideRef, Step } from './step.ts';

/**
 * The runner's one output: every report (progress, JSON, JUnit, HTML) is built from these events,
 * so they always agree. `--json` writes them one per line.
 */
export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface StepInfo {
  /** Index of the step in its slide; -1 for setup/cleanup. */
  index: number;
  kind: Step['kind'] | 'setup' | 'cleanup';
  text: string;
  file: string;
  line: number;
  hidden?: boolean;
}

export type VerifyEvent =
  | { type: 'run-start'; run: string; time: string; units: { id: string; title: string; slides: number; steps: number }[] }
  | { type: 'unit-start'; run: string; unit: string; title: string; kind: 'deck' | 'chapter'; source: string; root: string; time: string; namespace?: string; context?: string; /** How the cluster's nodes are simulated, when they are. */ simulation?: string }
  | { type: 'slide'; unit: string; slide: SlideRef; /** n/N as the audience counts */ of: number; elapsedMs: number }
  | {
      type: 'step';
      unit: string;
      slide: SlideRef;
      step: StepInfo;
      status: StepStatus;
      durationMs: number;
      /** Attempt number when the step was retried with --step. */
      attempt?: number;
      exitCode?: number;
      message?: string;
      /** Why it was skipped. */
      reason?: string;
      /** Screen of the pane at the moment of failure (ANSI removed). */
      screen?: string;
      /** The command's output (ANSI removed), for failures and assertions. */
      output?: string;
      pane?: string;
      url?: string;
    }
  | { type: 'unit-end'; unit: string; status: 'passed' | 'failed' | 'interrupted'; durationMs: number; passed: number; failed: number; skipped: number; warnings?: string[]; /** pane id → asciicast file, relative to --cast */ casts?: Record<string, string> }
  | { type: 'run-end'; run: string; status: 'passed' | 'failed' | 'interrupted'; durationMs: number };

export type Emit = (event: VerifyEvent) => void;
