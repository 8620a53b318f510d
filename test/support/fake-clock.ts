/** A Clock whose time only moves when a test (or a sleep) moves it. Sleeps resolve immediately and are recorded. */
import type { Clock } from '../../src/core/ports/clock';

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private randoms: number[];

  constructor(
    private time = 1_700_000_000_000,
    randoms: number[] = [],
  ) {
    this.randoms = [...randoms];
  }

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    this.sleeps.push(ms);
    this.time += ms;
  }

  /** Returns queued values first, then 0.5. */
  random(): number {
    return this.randoms.length > 0 ? this.randoms.shift()! : 0.5;
  }
}
