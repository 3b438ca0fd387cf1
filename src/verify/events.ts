import type { NodeKind } from '../model/annotation.ts';
import { countSteps } from './extract.ts';
import { unitHash, type SlideRef, type Step, type Unit } from './step.ts';

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

/** A unit as a run announces it: `hash` is `unitHash` of its plan, so reports of another version of the deck are told apart. */
export interface UnitRef {
  id: string;
  title: string;
  slides: number;
  steps: number;
  hash: string;
}

export function unitRef(u: Unit): UnitRef {
  return { id: u.id, title: u.title, slides: u.slides.length, steps: countSteps(u), hash: unitHash(u) };
}

/** `--shard i/n`: this run is part `index` (1-based) of `total`; `of` is every unit the shards share out. */
export interface ShardInfo {
  index: number;
  total: number;
  of: UnitRef[];
}

/** What a merged report was made of (`labdeck verify merge`). */
export interface MergedFrom {
  file: string;
  run: string;
  shard?: { index: number; total: number };
}

export type { NodeKind };

export type VerifyEvent =
  | { type: 'run-start'; run: string; time: string; units: UnitRef[]; /** labdeck's version */ labdeck: string; shard?: ShardInfo; merged?: MergedFrom[] }
  | {
      type: 'unit-start';
      run: string;
      unit: string;
      title: string;
      kind: 'deck' | 'chapter';
      source: string;
      root: string;
      time: string;
      namespace?: string;
      context?: string;
      /** How the cluster's nodes are simulated, when they are. */
      simulation?: string;
      /** The API server's version (`v1.33.13`), when the unit used a cluster. */
      kubernetes?: string;
      nodes?: NodeKind;
      /** What ran the pods, in one line: `real node: kubelet v1.33.13, containerd 1.6.20, runc 1.1.5`. */
      nodeLabel?: string;
      /** Console transcripts were replayed (`transcripts: true` or `--transcripts`): the plan the hashes come from. */
      transcripts?: boolean;
    }
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
