/**
 * Reading a CLI agent's JSONL event stream from the process runner's lines: pieces of an over-long line
 * (`continues`) are joined back, blank lines skipped, and every line that is not a JSON object with a string
 * `type` is counted as malformed (with a short sample for the user) instead of aborting the run — a stray log
 * line from a plugin must not cost the user a finished agent run.
 */
import type { OutputLine, ProcessResult, ProcessRunner } from '../../core/ports/process-runner';

export type AgentEvent = Record<string, unknown> & { type: string };

export class EventLineReader {
  private pending = '';
  malformed = 0;
  readonly samples: string[] = [];

  /** Feeds one stdout line; returns the event it completes, if any. */
  push(line: Pick<OutputLine, 'text' | 'continues'>): AgentEvent | undefined {
    if (line.continues) {
      this.pending += line.text;
      return undefined;
    }
    const text = (this.pending + line.text).trim();
    this.pending = '';
    if (text === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.bad(text);
      return undefined;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as AgentEvent).type !== 'string') {
      this.bad(text);
      return undefined;
    }
    return value as AgentEvent;
  }

  private bad(text: string): void {
    this.malformed++;
    if (this.samples.length < 3) this.samples.push(text.length > 120 ? `${text.slice(0, 120)}…` : text);
  }

  /** A warning for the user when lines were skipped. */
  warning(program: string): string | undefined {
    if (this.malformed === 0) return undefined;
    return `${program} printed ${this.malformed} line(s) that are not JSON events; they were skipped (e.g. ${this.samples
      .map((s) => JSON.stringify(s))
      .join(', ')})`;
  }
}

/** Keeps the last `max` lines of a stream (stderr), for error messages. */
export class TailLines {
  private readonly lines: string[] = [];
  constructor(private readonly max = 20) {}
  push(text: string): void {
    this.lines.push(text);
    if (this.lines.length > this.max) this.lines.shift();
  }
  text(): string {
    return this.lines.join('\n').trim();
  }
}

export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * Runs a CLI agent that prints one JSON event per stdout line (Claude Code's stream-json, Codex's `--json`):
 * the prompt on stdin, events handed to `onEvent` as they arrive, stderr kept as a tail for error messages.
 */
export async function runEventStream(
  runner: ProcessRunner,
  run: {
    argv: string[];
    cwd: string;
    prompt: string;
    timeoutMs: number;
    env?: Record<string, string>;
    signal: AbortSignal;
  },
  onEvent: (event: AgentEvent) => void,
): Promise<{ result: ProcessResult; reader: EventLineReader; stderr: TailLines }> {
  const reader = new EventLineReader();
  const stderr = new TailLines();
  const result = await runner.run(
    { argv: run.argv, cwd: run.cwd, stdin: run.prompt, timeoutMs: run.timeoutMs, ...(run.env ? { env: run.env } : {}) },
    {
      signal: run.signal,
      onLine: (line) => {
        if (line.stream === 'stderr') {
          stderr.push(line.text);
          return;
        }
        const event = reader.push(line);
        if (event) onEvent(event);
      },
    },
  );
  return { result, reader, stderr };
}

export function oneLine(text: string, max = 400): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
