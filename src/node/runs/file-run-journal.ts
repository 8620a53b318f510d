/**
 * The Node `RunJournal`: events appended to `events.jsonl` (fsync'd when asked — at step boundaries) and one
 * plain-text log per step attempt under `logs/`, written as output arrives.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { OutputLine } from '../../core/ports/process-runner';
import type { RunJournal, StepLog } from '../../core/ports/run-journal';
import type { RunEvent } from '../../core/run/events';
import { toProjectPath } from '../../core/workspace';
import { JournalWriter } from '../journal-writer';
import { EVENTS_FILE, LOGS_DIR, logFileName } from './run-paths';

export class FileRunJournal implements RunJournal {
  private readonly openLogs = new Set<WriteStream>();

  private constructor(
    readonly runId: string,
    readonly runDir: string,
    private readonly root: string,
    private readonly writer: JournalWriter<RunEvent>,
  ) {}

  static async open(root: string, runDir: string, runId: string): Promise<FileRunJournal> {
    await mkdir(path.join(runDir, LOGS_DIR), { recursive: true });
    const writer = await JournalWriter.open<RunEvent>(path.join(runDir, EVENTS_FILE));
    return new FileRunJournal(runId, runDir, root, writer);
  }

  append(event: RunEvent, options?: { sync?: boolean }): Promise<void> {
    return this.writer.append(event, { sync: options?.sync ?? false });
  }

  async openLog(stepId: string, attempt: number, label: string): Promise<StepLog> {
    const file = path.join(this.runDir, LOGS_DIR, logFileName(stepId, attempt));
    const stream = createWriteStream(file, { flags: 'a' });
    this.openLogs.add(stream);
    stream.on('error', () => undefined);
    stream.write(`# ${label}\n`);
    let closed: Promise<void> | undefined;
    return {
      path: toProjectPath(this.root, file),
      write: (line: OutputLine) => {
        if (!closed) stream.write(line.continues ? line.text : `${line.text}\n`);
      },
      close: () => {
        closed ??= new Promise<void>((resolve) => {
          this.openLogs.delete(stream);
          stream.end(() => resolve());
        });
        return closed;
      },
    };
  }

  async close(): Promise<void> {
    for (const s of this.openLogs) s.end();
    this.openLogs.clear();
    await this.writer.close();
  }
}
