/**
 * A ProcessRunner for unit tests: each script is answered by a handler the test registers, which can
 * print lines, wait (honouring abort), and choose an exit code. Records every call and peak concurrency.
 */
import type {
  OutputLine,
  ProcessResult,
  ProcessRunner,
  ProcessSpec,
  RunOptions,
} from '../../src/core/ports/process-runner';

export interface FakeProcess {
  spec: ProcessSpec;
  print(text: string, stream?: 'stdout' | 'stderr'): void;
  /** Resolves when the run is aborted (never otherwise). */
  aborted: Promise<void>;
  signal: AbortSignal | undefined;
}

export type FakeHandler = (
  proc: FakeProcess,
) => Promise<number | Partial<ProcessResult>> | number | Partial<ProcessResult>;

export class FakeRunner implements ProcessRunner {
  readonly calls: ProcessSpec[] = [];
  private readonly handlers: Array<{ match: (script: string) => boolean; handler: FakeHandler }> = [];
  private inFlight = 0;
  peak = 0;

  on(match: string | RegExp | ((script: string) => boolean), handler: FakeHandler): this {
    const test =
      typeof match === 'string'
        ? (s: string) => s === match
        : match instanceof RegExp
          ? (s: string) => match.test(s)
          : match;
    this.handlers.push({ match: test, handler });
    return this;
  }

  async run(spec: ProcessSpec, options: RunOptions = {}): Promise<ProcessResult> {
    this.calls.push(spec);
    const script = spec.script ?? spec.argv?.join(' ') ?? '';
    const entry = [...this.handlers].reverse().find((h) => h.match(script));
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    const signal = options.signal;
    const aborted = new Promise<void>((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    const proc: FakeProcess = {
      spec,
      signal,
      aborted,
      print: (text, stream = 'stdout') => {
        for (const t of text.split('\n')) {
          const line: OutputLine = { stream, text: t, ts: Date.now() };
          options.onLine?.(line);
        }
      },
    };
    try {
      options.onSpawn?.(4242);
      const out = entry ? await entry.handler(proc) : 0;
      const partial = typeof out === 'number' ? { exitCode: out } : out;
      return {
        exitCode: partial.exitCode === undefined ? 0 : partial.exitCode,
        signal: partial.signal ?? null,
        timedOut: partial.timedOut ?? false,
        cancelled: partial.cancelled ?? Boolean(signal?.aborted),
        durationMs: partial.durationMs ?? 5,
        ...(partial.spawnError ? { spawnError: partial.spawnError } : {}),
      };
    } finally {
      this.inFlight--;
    }
  }
}

/** A handler that runs until aborted, then reports death by SIGINT. */
export const untilAborted: FakeHandler = async (proc) => {
  await proc.aborted;
  return { exitCode: null, signal: 'SIGINT', cancelled: true };
};
