import * as assert from 'node:assert/strict';
import {
  backoffDelayMs,
  DEFAULT_MODEL_RETRY_POLICY,
  decideModelRetry,
  formatClockTime,
  type RetryDecision,
  streamWithRetry,
} from '../../../src/core/agent/model-retry';
import type { ModelClient, ModelFailure, ModelOutcome } from '../../../src/core/ports/model-client';
import { FakeClock } from '../../support/fake-clock';

const policy = DEFAULT_MODEL_RETRY_POLICY;
const MIN = 60_000;

function decide(failure: ModelFailure, attempt = 1, clock = new FakeClock()): RetryDecision {
  return decideModelRetry(failure, attempt, policy, clock);
}

const rate = (extra: Partial<Extract<ModelFailure, { kind: 'rate_limited' }>> = {}): ModelFailure => ({
  kind: 'rate_limited',
  message: 'Rate limited (429 rate_limit_error).',
  status: 429,
  ...extra,
});

describe('model retry decisions', () => {
  it('honours a 429 retry-after up to the cap, exactly', () => {
    assert.deepEqual(decide(rate({ retryAfterMs: 30_000 })), {
      kind: 'retry',
      delayMs: 30_000,
      reason: 'rate limited; retry-after 30 s',
    });
    assert.equal((decide(rate({ retryAfterMs: policy.maxRetryAfterMs })) as { delayMs: number }).delayMs, MIN);
  });

  it('parks a 429 whose retry-after is over the cap until now + retry-after', () => {
    const clock = new FakeClock();
    const d = decide(rate({ retryAfterMs: 20 * MIN, requestId: 'req_1' }), 1, clock);
    assert.equal(d.kind, 'park');
    assert.equal((d as { until: number }).until, clock.now() + 20 * MIN);
    assert.match(
      (d as { message: string }).message,
      /asked to wait 20 min; waiting until \d\d:\d\d\. \(request id req_1\)/,
    );
    assert.ok((d as { message: string }).message.includes(formatClockTime(clock.now() + 20 * MIN)));
  });

  it('treats retry-after 999999999 as implausible: parks until the rate-limit reset, or now + cap', () => {
    const clock = new FakeClock();
    const absurd = 999_999_999 * 1000;
    const withReset = decide(rate({ retryAfterMs: absurd, resetsAt: clock.now() + 90_000 }), 1, clock);
    assert.equal(withReset.kind, 'park');
    assert.equal((withReset as { until: number }).until, clock.now() + 90_000);
    assert.match((withReset as { message: string }).message, /32 years, which is implausible/);
    const withoutReset = decide(rate({ retryAfterMs: absurd }), 1, clock);
    assert.equal((withoutReset as { until: number }).until, clock.now() + policy.maxRetryAfterMs);
  });

  it('parks on a garbage retry-after (never sleeps on it), preferring the rate-limit reset time', () => {
    const clock = new FakeClock();
    const d = decide(rate({ retryAfterRaw: 'soon-ish', resetsAt: clock.now() + 45_000 }), 1, clock);
    assert.equal(d.kind, 'park');
    assert.equal((d as { until: number }).until, clock.now() + 45_000);
    assert.match((d as { message: string }).message, /unreadable retry-after header "soon-ish"/);
    // a reset time in the past or absurdly far away is not trusted
    const stale = decide(rate({ retryAfterRaw: 'x', resetsAt: clock.now() - 1 }), 1, clock);
    assert.equal((stale as { until: number }).until, clock.now() + policy.maxRetryAfterMs);
  });

  it('backs off a 429 without any header, and parks once the attempts are used up', () => {
    const clock = new FakeClock(); // random() is 0.5
    assert.deepEqual(decide(rate(), 2, clock), { kind: 'retry', delayMs: 1000, reason: 'rate limited' });
    const last = decide(rate({ retryAfterMs: 5_000 }), policy.maxAttempts, clock);
    assert.equal(last.kind, 'park');
    assert.equal((last as { until: number }).until, clock.now() + 5_000);
  });

  it('never retries a spend limit and says when access returns', () => {
    const resumesAt = Date.UTC(2026, 11, 1);
    const d = decide({
      kind: 'spend_limit',
      code: 'enforced_spend_limit_reached',
      message: 'Anthropic API spend limit reached (429 enforced_spend_limit_reached: …).',
      resumesAt,
    });
    assert.equal(d.kind, 'fail');
    assert.equal((d as { resumable: boolean }).resumable, true);
    assert.match((d as { message: string }).message, /2026-12-01T00:00:00.000Z.*Not retried/);
  });

  it('retries 529, 500, mid-stream errors, connection errors and timeouts with capped full-jitter backoff', () => {
    const clock = new FakeClock(undefined, Array<number>(100).fill(0.999));
    const cases: ModelFailure[] = [
      { kind: 'overloaded', midStream: false, message: 'o', status: 529 },
      { kind: 'overloaded', midStream: true, message: 'o' },
      { kind: 'server', midStream: false, message: 's', status: 500 },
      { kind: 'connection', message: 'c' },
      { kind: 'timeout', phase: 'idle', message: 't' },
      { kind: 'stream_interrupted', sideEffectFree: true, partialText: 'he', message: 'cut' },
    ];
    for (const failure of cases) {
      for (const attempt of [1, 2, 3, 4]) {
        const d = decide(failure, attempt, clock);
        assert.equal(d.kind, 'retry', `${failure.kind} attempt ${attempt}`);
        const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        const delay = (d as { delayMs: number }).delayMs;
        assert.ok(delay < cap && delay >= Math.floor(cap * 0.99), `${delay} within [0, ${cap})`);
      }
      const exhausted = decide(failure, policy.maxAttempts, clock);
      assert.equal(exhausted.kind, 'fail', `${failure.kind} after the last attempt`);
      assert.match((exhausted as { message: string }).message, /after 5 attempts/);
    }
  });

  it('full jitter spans [0, step) and the step is capped', () => {
    assert.equal(
      backoffDelayMs(1, policy, () => 0),
      0,
    );
    assert.equal(
      backoffDelayMs(3, policy, () => 0.5),
      2000,
    );
    assert.equal(
      backoffDelayMs(20, policy, () => 0.5),
      policy.maxDelayMs / 2,
    );
  });

  it('uses a server retry-after on a 529 when it is within the cap', () => {
    assert.equal(
      (decide({ kind: 'overloaded', midStream: false, message: 'o', retryAfterMs: 7_000 }) as { delayMs: number })
        .delayMs,
      7_000,
    );
  });

  it('fails without retrying: a stream cut after a side effect, a bad key, an invalid request, a cancel', () => {
    const cut = decide({ kind: 'stream_interrupted', sideEffectFree: false, partialText: '', message: 'cut.' });
    assert.equal(cut.kind, 'fail');
    assert.match((cut as { message: string }).message, /may already have had an effect/);
    const auth = decide({ kind: 'auth', message: 'The Anthropic API rejected the API key from ANTHROPIC_API_KEY.' });
    assert.deepEqual(auth, {
      kind: 'fail',
      resumable: true,
      message: 'The Anthropic API rejected the API key from ANTHROPIC_API_KEY.',
    });
    assert.equal((decide({ kind: 'invalid_request', message: 'bad' }) as { resumable: boolean }).resumable, false);
    assert.deepEqual(decide({ kind: 'aborted', message: 'x' }), {
      kind: 'fail',
      resumable: true,
      message: 'Cancelled.',
    });
  });
});

describe('streamWithRetry', () => {
  function scripted(outcomes: ModelOutcome[]): ModelClient & { calls: number } {
    const client = {
      provider: 'test',
      calls: 0,
      async stream(): Promise<ModelOutcome> {
        const next = outcomes[client.calls];
        client.calls += 1;
        if (!next) throw new Error('no more outcomes');
        return next;
      },
    };
    return client;
  }
  const ok: ModelOutcome = {
    ok: true,
    result: {
      model: 'm',
      stopReason: 'end_turn',
      rawStopReason: 'end_turn',
      content: [{ type: 'text', text: 'hi' }],
      toolCalls: [],
      rejectedToolCalls: [],
      usage: { inputTokens: 1, outputTokens: 1, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
    },
  };
  const overloaded: ModelOutcome = { ok: false, failure: { kind: 'overloaded', midStream: false, message: 'o' } };
  const request = { model: 'm', maxTokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };

  it('sleeps on the clock between attempts and records each attempt', async () => {
    const clock = new FakeClock();
    const client = scripted([overloaded, overloaded, ok]);
    const retries: number[] = [];
    const out = await streamWithRetry(client, request, { clock, onRetry: (r) => retries.push(r.attempt) });
    assert.equal(out.ok, true);
    assert.equal(client.calls, 3);
    assert.deepEqual(clock.sleeps, [500, 1000]);
    assert.deepEqual(retries, [1, 2]);
    assert.deepEqual(
      out.attempts.map((a) => [a.attempt, a.failure?.kind ?? 'ok', a.decision?.kind ?? '-']),
      [
        [1, 'overloaded', 'retry'],
        [2, 'overloaded', 'retry'],
        [3, 'ok', '-'],
      ],
    );
  });

  it('stops with the failure and the decision when attempts run out (policy override)', async () => {
    const clock = new FakeClock();
    const client = scripted([overloaded, overloaded]);
    const out = await streamWithRetry(client, request, { clock, policy: { maxAttempts: 2 } });
    assert.equal(out.ok, false);
    assert.equal(client.calls, 2);
    if (!out.ok) assert.equal(out.decision.kind, 'fail');
  });

  it('is cancelled while waiting to retry', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const client = scripted([overloaded, ok]);
    const out = await streamWithRetry(client, request, {
      clock,
      signal: controller.signal,
      onRetry: () => controller.abort(),
    });
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(out.failure.kind, 'aborted');
    assert.equal(client.calls, 1);
  });
});
