/** An in-memory RunJournal: events in an array (with the `sync` flags seen) and logs as line arrays. */
import type { OutputLine } from '../../src/core/ports/process-runner';
import type { RunJournal, StepLog } from '../../src/core/ports/run-journal';
import type { RunEvent } from '../../src/core/run/events';

export class MemoryJournal implements RunJournal {
  readonly events: RunEvent[] = [];
  readonly synced: boolean[] = [];
  readonly logs = new Map<string, string[]>();

  constructor(readonly runId = 'run-test') {}

  async append(event: RunEvent, options?: { sync?: boolean }): Promise<void> {
    this.events.push(structuredClone(event));
    this.synced.push(Boolean(options?.sync));
  }

  async openLog(stepId: string, attempt: number): Promise<StepLog> {
    const path = `.context-forge/runs/${this.runId}/logs/${stepId}.${attempt}.log`;
    const lines: string[] = [];
    this.logs.set(path, lines);
    return {
      path,
      write: (line: OutputLine) => {
        lines.push(line.text);
      },
      close: async () => {},
    };
  }

  ofType<T extends RunEvent['type']>(type: T): Extract<RunEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
  }
}
