import * as assert from 'node:assert/strict';
import {
  classifyApiError,
  type ErrorContext,
  parseRetryAfter,
  rateLimitResetsAt,
  startOfNextMonthUtc,
} from '../../../src/node/anthropic-errors';

const NOW = Date.UTC(2026, 10, 27, 13, 0, 0);
const ctx: ErrorContext = { apiKeySource: 'ANTHROPIC_API_KEY', model: 'claude-sonnet-5-5', now: () => NOW };
const headers = (h: Record<string, string>) => new Headers(h);
const body = (type: string, message: string, details?: Record<string, unknown>) => ({
  type: 'error',
  error: { type, message, ...(details ? { details } : {}) },
});

describe('Anthropic error classification', () => {
  it('reads retry-after-ms over retry-after, seconds, HTTP dates, and keeps garbage verbatim', () => {
    assert.deepEqual(parseRetryAfter(headers({ 'retry-after-ms': '1500', 'retry-after': '30' }), NOW), {
      retryAfterMs: 1500,
    });
    assert.deepEqual(parseRetryAfter(headers({ 'retry-after': '30' }), NOW), { retryAfterMs: 30_000 });
    assert.deepEqual(parseRetryAfter(headers({ 'retry-after': '0.5' }), NOW), { retryAfterMs: 500 });
    assert.deepEqual(parseRetryAfter(headers({ 'retry-after': new Date(NOW + 90_000).toUTCString() }), NOW), {
      retryAfterMs: 90_000,
    });
    assert.deepEqual(parseRetryAfter(headers({ 'retry-after': '999999999' }), NOW), { retryAfterMs: 999_999_999_000 });
    assert.deepEqual(parseRetryAfter(headers({ 'retry-after': 'soon' }), NOW), { retryAfterRaw: 'soon' });
    assert.deepEqual(parseRetryAfter(headers({ 'retry-after': '-5' }), NOW), { retryAfterRaw: '-5' });
    assert.deepEqual(parseRetryAfter(headers({ 'retry-after-ms': 'NaN' }), NOW), { retryAfterRaw: 'NaN' });
    assert.deepEqual(parseRetryAfter(headers({}), NOW), {});
  });

  it('takes the latest reset of the exhausted rate-limit windows', () => {
    const h = headers({
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': new Date(NOW + 10_000).toISOString(),
      'anthropic-ratelimit-input-tokens-remaining': '0',
      'anthropic-ratelimit-input-tokens-reset': new Date(NOW + 40_000).toISOString(),
      'anthropic-ratelimit-output-tokens-remaining': '5000',
      'anthropic-ratelimit-output-tokens-reset': new Date(NOW + 90_000).toISOString(),
    });
    assert.equal(rateLimitResetsAt(h), NOW + 40_000);
    assert.equal(rateLimitResetsAt(headers({})), undefined);
  });

  it('knows when a tier spend cap lifts (start of next month, UTC)', () => {
    assert.equal(startOfNextMonthUtc(NOW), Date.UTC(2026, 11, 1));
    assert.equal(startOfNextMonthUtc(Date.UTC(2026, 11, 31, 23, 59)), Date.UTC(2027, 0, 1));
  });

  it('maps statuses, types and error codes to failure kinds', () => {
    const kind = (status: number | undefined, b: unknown, h: Record<string, string> = {}) =>
      classifyApiError({ status, body: b, headers: headers(h) }, ctx, status === undefined);
    const cases: Array<[ReturnType<typeof kind>, string, RegExp]> = [
      [kind(429, body('rate_limit_error', 'slow down')), 'rate_limited', /Rate limited .*429 rate_limit_error/],
      [
        kind(429, body('rate_limit_error', 'cap', { error_code: 'enforced_spend_limit_reached' })),
        'spend_limit',
        /spend limit reached \(429 enforced_spend_limit_reached: cap\)/,
      ],
      [
        kind(429, body('rate_limit_error', 'c', { error_code: 'contract_spend_limit_reached' })),
        'spend_limit',
        /contract/,
      ],
      [kind(402, body('billing_error', 'Your credit balance is too low')), 'spend_limit', /billing problem/],
      [
        kind(
          400,
          body(
            'invalid_request_error',
            'You have reached your specified API usage limits. You will regain access on 2026-12-01.',
          ),
        ),
        'spend_limit',
        /usage limit reached/,
      ],
      [
        kind(529, body('overloaded_error', 'Overloaded')),
        'overloaded',
        /overloaded \(529 overloaded_error: Overloaded\)/,
      ],
      [kind(undefined, body('overloaded_error', 'Overloaded')), 'overloaded', /mid-stream/],
      [kind(500, body('api_error', 'Internal server error')), 'server', /failed \(500 api_error/],
      [kind(503, 'not json'), 'server', /503/],
      [
        kind(401, body('authentication_error', 'invalid x-api-key')),
        'auth',
        /key from ANTHROPIC_API_KEY .*set ANTHROPIC_API_KEY again/,
      ],
      [kind(403, body('permission_error', 'no')), 'auth', /not allowed/],
      [kind(404, body('not_found_error', 'model: x')), 'invalid_request', /Check the model name "claude-sonnet-5-5"/],
      [kind(413, body('request_too_large', 'too big')), 'invalid_request', /too large/],
      [
        kind(400, body('invalid_request_error', 'prompt is too long: 1000001 tokens > 1000000 maximum')),
        'invalid_request',
        /context window/,
      ],
      [
        kind(400, body('invalid_request_error', 'messages: bad')),
        'invalid_request',
        /rejected the request \(400 invalid_request_error: messages: bad\)/,
      ],
      [kind(408, body('timeout_error', 't')), 'timeout', /timed out/],
    ];
    for (const [failure, expected, message] of cases) {
      assert.equal(failure.kind, expected, failure.message);
      assert.match(failure.message, message);
    }
    const spend = kind(429, body('rate_limit_error', 'cap', { error_code: 'enforced_spend_limit_reached' }));
    assert.equal(spend.kind === 'spend_limit' && spend.resumesAt, Date.UTC(2026, 11, 1));
    const prompt = kind(400, body('invalid_request_error', 'prompt is too long'));
    assert.equal(prompt.kind === 'invalid_request' && prompt.reason, 'prompt_too_long');
  });
});
