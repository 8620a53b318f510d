/**
 * Reading a CLI agent's JSONL event stream from the process runner's lines: pieces of an over-long line
 * (`continues`) are joined back, blank lines skipped, and every line that is not a JSON object with a string
 * `type` is counted as malformed (with a short sample for the user) instead of aborting the run — a stray log
 * line from a plugin must not cost the user a finished agent run.
 */
import type { OutputLine } from '../../core/ports/process-runner';

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
