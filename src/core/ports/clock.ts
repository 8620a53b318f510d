/** Time as a port, so retry backoff and timeouts are tested with a fake clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A random number in [0, 1) — jitter comes from here so tests can make it deterministic. */
  random(): number;
}
