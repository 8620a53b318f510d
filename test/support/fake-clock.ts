import type { Clock } from '../../src/core/ports/clock';

/**
 * A `Clock` for tests: time only moves when the code under test sleeps (or `advance` is called), and
 * `random()` returns `randomValue` — so backoff delays and wake-up times are exact.
 */
export class FakeClock implements Clock {
  /** Every sleep requested, in ms, in order. */
  readonly sleeps: number[] = [];
  randomValue = 0.5;

  constructor(private current = Date.UTC(2026, 10, 27, 13, 0, 0)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  random(): number {
    return this.randomValue;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    this.sleeps.push(ms);
    this.current += ms;
    await Promise.resolve();
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
  }
}
