/**
 * The one retry layer for model requests. Clients are built with their SDK's own retries off
 * (`maxRetries: 0`), so a request is never retried by two layers at once.
 *
 * `decideModelRetry` turns a classified `ModelFailure` into one of three decisions:
 * - `retry` after a delay: 429 with a server wait up to `maxRetryAfterMs` (honoured as given), 529/500,
 *   mid-stream `error` events, connection errors, timeouts and side-effect-free stream cuts (capped
 *   exponential backoff with full jitter);
 * - `park` until a wake-up time: a 429 whose wait is over the cap, absurd (`retry-after: 999999999`),
 *   garbage, or that persists after the last attempt — the run stops durably ("waiting until 14:05") and
 *   resumes then or on `--resume`, instead of sleeping for 31 years;
 * - `fail` with a message the user can act on: spend limit, bad key, invalid request, a stream cut after a
 *   side effect, cancellation, or transient errors that outlived every attempt.
 *
 * `streamWithRetry` runs that loop against a `ModelClient` with the `Clock` port (fake in tests).
 */
import type { Clock } from '../ports/clock';
import type {
  ModelCallOptions,
  ModelClient,
  ModelFailure,
  ModelRequest,
  ModelTurnResult,
  ModelUsage,
} from '../ports/model-client';

export interface ModelRetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** First backoff step; attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs·2^(n-1))). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server-requested wait (retry-after) up to this is slept in-process; a longer one parks the run. */
  maxRetryAfterMs: number;
  /** A server-requested wait longer than this is implausible and handled like a garbage header. */
  maxParkMs: number;
}

export const DEFAULT_MODEL_RETRY_POLICY: Readonly<ModelRetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  maxParkMs: 24 * 60 * 60 * 1000,
});

export type RetryDecision =
  | { kind: 'retry'; delayMs: number; reason: string }
  /** Stop the run durably; wake it at `until` (epoch ms) or when the user resumes it. */
  | { kind: 'park'; until: number; reason: string; message: string }
  /** Stop with `message`. `resumable`: the same run can continue once the cause is fixed (key, limit…). */
  | { kind: 'fail'; message: string; resumable: boolean };

/** `HH:MM` in the host's local time — what "waiting until HH:MM" shows. */
export function formatClockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${Math.round(s * 10) / 10} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round((s / 3600) * 10) / 10} h`;
  if (s < 730 * 86400) return `${Math.round(s / 86400)} days`;
  return `${Math.round(s / (365.25 * 86400))} years`;
}

/** Full jitter: a uniformly random wait below the capped exponential step. */
export function backoffDelayMs(attempt: number, policy: ModelRetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * step);
}

function withRequestId(message: string, failure: ModelFailure): string {
  return failure.requestId ? `${message} (request id ${failure.requestId})` : message;
}

function rateLimitDecision(
  failure: Extract<ModelFailure, { kind: 'rate_limited' }>,
  attempt: number,
  policy: ModelRetryPolicy,
  clock: Clock,
): RetryDecision {
  const now = clock.now();
  const attemptsLeft = attempt < policy.maxAttempts;
  const resetsAt =
    failure.resetsAt !== undefined && failure.resetsAt > now && failure.resetsAt - now <= policy.maxParkMs
      ? failure.resetsAt
      : undefined;
  const park = (until: number, why: string): RetryDecision => ({
    kind: 'park',
    until,
    reason: 'rate_limited',
    message: withRequestId(`Rate limited by the API: ${why}; waiting until ${formatClockTime(until)}.`, failure),
  });
  const fallbackWake = resetsAt ?? now + policy.maxRetryAfterMs;

  if (failure.retryAfterMs !== undefined) {
    const wait = failure.retryAfterMs;
    if (wait <= policy.maxRetryAfterMs) {
      if (attemptsLeft)
        return { kind: 'retry', delayMs: wait, reason: `rate limited; retry-after ${formatDuration(wait)}` };
      return park(Math.max(now + wait, resetsAt ?? 0), `still limited after ${attempt} attempts`);
    }
    if (wait <= policy.maxParkMs) return park(now + wait, `the API asked to wait ${formatDuration(wait)}`);
    return park(
      fallbackWake,
      `the API asked to wait ${formatDuration(wait)}, which is implausible, so the wait is ${
        resetsAt ? 'taken from the rate-limit reset time' : `capped at ${formatDuration(policy.maxRetryAfterMs)}`
      }`,
    );
  }
  if (failure.retryAfterRaw !== undefined) {
    return park(
      fallbackWake,
      `unreadable retry-after header ${JSON.stringify(failure.retryAfterRaw.slice(0, 40))}, so the wait is ${
        resetsAt ? 'taken from the rate-limit reset time' : `capped at ${formatDuration(policy.maxRetryAfterMs)}`
      }`,
    );
  }
  if (attemptsLeft) {
    return { kind: 'retry', delayMs: backoffDelayMs(attempt, policy, () => clock.random()), reason: 'rate limited' };
  }
  return park(fallbackWake, `still limited after ${attempt} attempts`);
}

/**
 * What to do after attempt number `attempt` (1-based) failed with `failure`.
 * Pure apart from reading `clock.now()` and `clock.random()`.
 */
export function decideModelRetry(
  failure: ModelFailure,
  attempt: number,
  policy: ModelRetryPolicy,
  clock: Clock,
): RetryDecision {
  const attemptsLeft = attempt < policy.maxAttempts;
  const jittered = (): number => backoffDelayMs(attempt, policy, () => clock.random());
  const exhausted = (what: string): RetryDecision => ({
    kind: 'fail',
    resumable: true,
    message: withRequestId(`${what} after ${attempt} attempts: ${failure.message}`, failure),
  });

  switch (failure.kind) {
    case 'rate_limited':
      return rateLimitDecision(failure, attempt, policy, clock);
    case 'spend_limit': {
      const resumes =
        failure.resumesAt !== undefined ? ` Access returns on ${new Date(failure.resumesAt).toISOString()}.` : '';
      return {
        kind: 'fail',
        resumable: true,
        message: withRequestId(
          `${failure.message}${resumes} Not retried: raise the limit in the Claude Console (or wait), then resume the run.`,
          failure,
        ),
      };
    }
    case 'overloaded':
    case 'server': {
      if (!attemptsLeft)
        return exhausted(failure.kind === 'overloaded' ? 'The API stayed overloaded' : 'The API kept failing');
      const serverWait =
        failure.retryAfterMs !== undefined && failure.retryAfterMs <= policy.maxRetryAfterMs
          ? failure.retryAfterMs
          : undefined;
      return {
        kind: 'retry',
        delayMs: serverWait ?? jittered(),
        reason: `${failure.kind === 'overloaded' ? 'overloaded' : `server error ${failure.status ?? ''}`.trim()}${
          failure.midStream ? ' (mid-stream)' : ''
        }`,
      };
    }
    case 'connection':
      if (!attemptsLeft) return exhausted('Could not reach the API');
      return { kind: 'retry', delayMs: jittered(), reason: 'connection failed' };
    case 'timeout':
      if (!attemptsLeft) return exhausted('The API kept timing out');
      return { kind: 'retry', delayMs: jittered(), reason: `timed out (${failure.phase})` };
    case 'stream_interrupted':
      if (!failure.sideEffectFree) {
        return {
          kind: 'fail',
          resumable: true,
          message: withRequestId(
            `${failure.message} Not retried automatically because part of the turn may already have had an effect; check the workspace, then resume the run.`,
            failure,
          ),
        };
      }
      if (!attemptsLeft) return exhausted('The response stream kept breaking');
      return { kind: 'retry', delayMs: jittered(), reason: 'stream cut before the end of the message' };
    case 'auth':
      return { kind: 'fail', resumable: true, message: withRequestId(failure.message, failure) };
    case 'invalid_request':
      return { kind: 'fail', resumable: false, message: withRequestId(failure.message, failure) };
    case 'aborted':
      return { kind: 'fail', resumable: true, message: 'Cancelled.' };
  }
}

export interface AttemptRecord {
  attempt: number;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number;
  requestId?: string;
  /** Tokens billed for this attempt (also for failed ones, when known). */
  usage?: ModelUsage;
  failure?: ModelFailure;
  decision?: RetryDecision;
}

export type RetriedOutcome =
  | { ok: true; result: ModelTurnResult; attempts: AttemptRecord[] }
  | {
      ok: false;
      failure: ModelFailure;
      decision: Extract<RetryDecision, { kind: 'park' | 'fail' }>;
      attempts: AttemptRecord[];
    };

export interface StreamWithRetryOptions extends Omit<ModelCallOptions, 'signal'> {
  clock: Clock;
  policy?: Partial<ModelRetryPolicy>;
  signal?: AbortSignal;
  /** Before each wait: the attempt that failed and what happens next (discard any partial text shown). */
  onRetry?: (record: AttemptRecord, decision: Extract<RetryDecision, { kind: 'retry' }>) => void;
}

/** Sends `request` through `client`, retrying as `decideModelRetry` says, sleeping on `options.clock`. */
export async function streamWithRetry(
  client: ModelClient,
  request: ModelRequest,
  options: StreamWithRetryOptions,
): Promise<RetriedOutcome> {
  const policy: ModelRetryPolicy = { ...DEFAULT_MODEL_RETRY_POLICY, ...options.policy };
  const { clock, signal, onRetry, policy: _policy, ...callOptions } = options;
  const attempts: AttemptRecord[] = [];
  for (let attempt = 1; ; attempt++) {
    const startedAt = clock.now();
    const outcome = await client.stream(request, { ...callOptions, signal });
    const record: AttemptRecord = { attempt, startedAt, endedAt: clock.now() };
    attempts.push(record);
    if (outcome.ok) {
      record.requestId = outcome.result.requestId;
      record.usage = outcome.result.usage;
      return { ok: true, result: outcome.result, attempts };
    }
    const failure = outcome.failure;
    record.failure = failure;
    record.requestId = failure.requestId;
    record.usage = failure.usage;
    const decision = decideModelRetry(failure, attempt, policy, clock);
    record.decision = decision;
    if (decision.kind !== 'retry') return { ok: false, failure, decision, attempts };
    onRetry?.(record, decision);
    try {
      await clock.sleep(decision.delayMs, signal);
    } catch {
      const aborted: ModelFailure = { kind: 'aborted', message: 'Cancelled while waiting to retry.' };
      return {
        ok: false,
        failure: aborted,
        decision: { kind: 'fail', resumable: true, message: 'Cancelled.' },
        attempts,
      };
    }
    if (signal?.aborted) {
      const aborted: ModelFailure = { kind: 'aborted', message: 'Cancelled while waiting to retry.' };
      return {
        ok: false,
        failure: aborted,
        decision: { kind: 'fail', resumable: true, message: 'Cancelled.' },
        attempts,
      };
    }
  }
}
