/**
 * Where a run's evidence goes: the append-only event journal and one log file per step attempt.
 * The Node implementation writes `.context-forge/runs/<id>/`; tests use an in-memory one.
 */
import type { RunEvent } from '../run/events';
import type { OutputLine } from './process-runner';

export interface StepLog {
  /** Project-relative path of the log file. */
  readonly path: string;
  write(line: OutputLine): void;
  close(): Promise<void>;
}

export interface RunJournal {
  readonly runId: string;
  /** Appends one event; `sync` forces it to disk before resolving (used at step boundaries). */
  append(event: RunEvent, options?: { sync?: boolean }): Promise<void>;
  openLog(stepId: string, attempt: number, label: string): Promise<StepLog>;
}
