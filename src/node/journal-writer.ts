/**
 * Append-only JSONL writer for a run's journal (`events.jsonl`). Generic: the event schema is the engine's.
 *
 * - The file is opened once (O_APPEND) and the descriptor kept; `close()` releases it.
 * - Appends are queued and written in order by one writer loop, so concurrent appends (parallel steps) never
 *   interleave. Appends that queue up while a write is in flight go out together in one `write` (group commit).
 * - `append(value, { sync: true })` resolves only after the data is on disk (`fdatasync`); the engine asks for
 *   it at step boundaries. Plain appends resolve once written to the OS.
 * - Opening repairs a **torn tail** left by a crash mid-append (a last line without `\n`, never acknowledged):
 *   it is truncated away so the next append does not glue a new event onto a fragment. `repairedBytes` says
 *   how much was removed.
 * - After a write error the writer is broken: that batch and every later append reject with the error (a
 *   partial write may have left a torn line; reopening repairs it).
 *
 * One writer per file: the run lock guarantees that no two processes append to the same journal.
 */
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import * as path from 'node:path';
import { toJsonlLine } from '../core/journal/jsonl';

interface Pending {
  data: string;
  sync: boolean;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** The largest batch written in one call; a longer queue is written in several. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

export class JournalWriter<T = unknown> {
  private readonly queue: Pending[] = [];
  private flushing = false;
  private failure: unknown;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    /** Bytes of an unterminated last line removed when the file was opened (0 when the file was intact). */
    readonly repairedBytes: number,
  ) {}

  /** Opens (creating the folder and file if needed) and repairs a torn tail. */
  static async open<T = unknown>(file: string): Promise<JournalWriter<T>> {
    await mkdir(path.dirname(file), { recursive: true });
    const handle = await open(file, 'a+', 0o644);
    try {
      const size = (await handle.stat()).size;
      const repaired = size === 0 ? 0 : await repairTornTail(handle, size);
      if (size === 0) await syncDirectory(path.dirname(file));
      return new JournalWriter<T>(file, handle, repaired);
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
  }

  /** Appends one value as one line. With `sync`, resolves after it is durable. */
  append(value: T, options: { sync?: boolean } = {}): Promise<void> {
    let data: string;
    try {
      data = toJsonlLine(value);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.enqueue(data, options.sync ?? false);
  }

  /** Resolves once everything appended so far is durable. */
  sync(): Promise<void> {
    return this.enqueue('', true);
  }

  /** Writes what is queued, fsyncs, and closes the file. Idempotent. */
  close(): Promise<void> {
    if (!this.closing) {
      const last = this.closed || this.failure !== undefined ? Promise.resolve() : this.enqueue('', true);
      this.closed = true;
      this.closing = last.catch(() => {}).then(() => this.handle.close());
    }
    return this.closing;
  }

  private enqueue(data: string, sync: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.path} is closed`));
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ data, sync, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        void this.flush();
      }
    });
  }

  /**
   * The single writer loop. `flushing` is cleared in the same synchronous step that sees the queue empty, so an
   * append made by a continuation of a just-resolved append always finds either a running loop or none.
   */
  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch: Pending[] = [];
        let bytes = 0;
        while (this.queue.length > 0 && (batch.length === 0 || bytes < MAX_BATCH_BYTES)) {
          const next = this.queue.shift()!;
          batch.push(next);
          bytes += next.data.length;
        }
        try {
          const buffer = Buffer.from(batch.map((p) => p.data).join(''), 'utf8');
          await writeAll(this.handle, buffer);
          if (batch.some((p) => p.sync)) await this.handle.datasync();
        } catch (err) {
          this.failure = err;
          for (const p of [...batch, ...this.queue.splice(0)]) p.reject(err);
          return;
        }
        for (const p of batch) p.resolve();
      }
    } finally {
      this.flushing = false;
    }
  }
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    // O_APPEND: the position argument is ignored; every write goes to the current end of the file.
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}

/** Truncates an unterminated last line away; returns how many bytes were removed. */
async function repairTornTail(handle: FileHandle, size: number): Promise<number> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  if (last[0] === 0x0a) return 0;
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  let keep = 0;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl !== -1) {
      keep = start + nl + 1;
      break;
    }
    end = start;
  }
  await handle.truncate(keep);
  await handle.sync();
  return size - keep;
}

/** Makes a newly created file's directory entry durable. Best effort: not every platform can fsync a folder. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EISDIR/EPERM/EINVAL on platforms without directory fsync
  }
}
