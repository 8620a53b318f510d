/**
 * The journal's events. A run is an append-only sequence of these, one JSON object per line in
 * `.context-forge/runs/<id>/events.jsonl`; every view of a run (status, panel, report, resume) is
 * folded from them (`fold.ts`). New fields may be added; existing ones keep their meaning.
 */

import type { PlanStep } from '../engine/plan';
import type { Diagnostic } from '../gates/diagnostic';

export type RunKind = 'workflow' | 'prp' | 'validate' | 'command';
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'cancelled';
export type RunStatus = 'passed' | 'failed' | 'cancelled';
/** What the engine returns: a run can also stop to wait (rate limit) and be resumed later. */
export type EngineOutcome = RunStatus | 'parked';
export type FailureClass = 'syntax' | 'type' | 'lint' | 'test' | 'timeout' | 'crash' | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** `undefined` when the model's price is unknown (never silently zero). */
  costUsd?: number;
  /** Some of these tokens have no known price: `costUsd` (if any) covers only the rest. */
  costIncomplete?: boolean;
}

/** Evidence of one command that ran: what the harness saw, not what anyone claimed. */
export interface CommandEvidence {
  command: string;
  exitCode: number | null;
  signal?: string | null;
  timedOut?: boolean;
  /** The process could not be started (program or working directory missing). */
  spawnError?: string;
  durationMs: number;
  /** Project-relative path of the full log. */
  logFile?: string;
  /** The last lines of output (ANSI stripped). */
  outputTail: string[];
  diagnostics: Diagnostic[];
  failureClass?: FailureClass;
  failingTests?: string[];
}

interface Base {
  /** Milliseconds since the epoch. */
  ts: number;
}

export interface RunStartedEvent extends Base {
  type: 'run-started';
  runId: string;
  kind: RunKind;
  /** Workflow name, PRP path, or slash-command line. */
  target: string;
  /** SHA-256 of each input file the plan was built from (project-relative path → hex). */
  inputHashes: Record<string, string>;
  variables: Record<string, string>;
  plan: PlanStep[];
  pid: number;
  host: string;
  /** Set when this run continues an earlier one. */
  resumedFrom?: string;
}

export interface RunResumedEvent extends Base {
  type: 'run-resumed';
  pid: number;
  host: string;
}

export interface StepStartedEvent extends Base {
  type: 'step-started';
  stepId: string;
  attempt: number;
  /** For steps created while running (fix commands), which the plan does not name. */
  name?: string;
  kind?: PlanStep['kind'];
}

export interface StepFinishedEvent extends Base {
  type: 'step-finished';
  stepId: string;
  attempt: number;
  status: StepStatus;
  durationMs: number;
  /** For `shell` and `level` steps: every command that ran in this attempt, in order. */
  evidence?: CommandEvidence[];
  /** For `agent` steps. */
  usage?: Usage;
  /** A short human reason (why skipped, why failed). */
  reason?: string;
  failureClass?: FailureClass;
}

export interface ConditionEvaluatedEvent extends Base {
  type: 'condition-evaluated';
  stepId: string;
  expression: string;
  value: boolean;
}

/** Steps that became known while running (an `implement` step's levels, read when it started). */
export interface PlanExtendedEvent extends Base {
  type: 'plan-extended';
  parentId: string;
  steps: PlanStep[];
}

export interface RetryScheduledEvent extends Base {
  type: 'retry-scheduled';
  stepId: string;
  /** The attempt that will run next. */
  nextAttempt: number;
  delayMs: number;
  failureClass: FailureClass;
  /** The slash command run before the next attempt (`retry.onRetry[failureClass]`). */
  fixCommand?: string;
}

export interface UsageEvent extends Base {
  type: 'usage';
  stepId: string;
  model?: string;
  usage: Usage;
}

export interface HookRanEvent extends Base {
  type: 'hook-ran';
  hook: string;
  command: string;
  exitCode: number | null;
  durationMs: number;
}

export interface RunParkedEvent extends Base {
  type: 'run-parked';
  /** When the run may continue (ms since the epoch). */
  until: number;
  reason: string;
}

export interface CancelRequestedEvent extends Base {
  type: 'cancel-requested';
  force: boolean;
}

export interface WorkTreeChangesEvent extends Base {
  type: 'work-tree-changes';
  created: string[];
  modified: string[];
  deleted: string[];
  testsAdded: number;
}

export interface RunFinishedEvent extends Base {
  type: 'run-finished';
  status: RunStatus;
  durationMs: number;
  reason?: string;
}

export type RunEvent =
  | RunStartedEvent
  | RunResumedEvent
  | StepStartedEvent
  | StepFinishedEvent
  | ConditionEvaluatedEvent
  | PlanExtendedEvent
  | RetryScheduledEvent
  | UsageEvent
  | HookRanEvent
  | RunParkedEvent
  | CancelRequestedEvent
  | WorkTreeChangesEvent
  | RunFinishedEvent;

export type RunEventType = RunEvent['type'];
