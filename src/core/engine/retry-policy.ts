/**
 * Retry with capped exponential (or fixed) backoff and full jitter (AWS Builders' Library):
 * the delay before attempt n+1 is random in [0, min(maxDelay, initial * 2^(n-1))].
 */
export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  maxAttempts: number;
  backoff: 'exponential' | 'fixed';
  initialDelayMs: number;
  maxDelayMs: number;
}

export const NO_RETRY: RetryPolicy = { maxAttempts: 1, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0 };

/**
 * Delay before the attempt after `failedAttempt` (1-based), given a random number in [0, 1):
 * `fixed` waits exactly `initialDelayMs`; `exponential` uses full jitter under a capped ceiling.
 */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number, random: number): number {
  if (policy.backoff === 'fixed') return Math.max(0, policy.initialDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  return Math.floor(Math.min(Math.max(random, 0), 0.999999) * Math.max(0, ceiling));
}
