import * as assert from 'node:assert/strict';
import { LIMIT_FALLBACK_MS, limitResetTime } from '../../../src/core/agent/limit-messages';

describe('limitResetTime: wake-up times from CLI agents’ limit messages', () => {
  const now = Date.UTC(2026, 10, 27, 13, 0, 0);

  it('reads Claude Code’s "usage limit reached|<epoch seconds>"', () => {
    const at = Math.floor(now / 1000) + 3600;
    assert.equal(limitResetTime(`Claude AI usage limit reached|${at}`, now), at * 1000);
  });

  it('falls back to a short wait for an epoch in the past or absurdly far away', () => {
    assert.equal(limitResetTime('Claude AI usage limit reached|1000000000', now), now + LIMIT_FALLBACK_MS);
    assert.equal(limitResetTime('Claude AI usage limit reached|99999999999', now), now + LIMIT_FALLBACK_MS);
  });

  it('reads "resets 3pm" / "resets at 3:30 PM" as the next such local time', () => {
    const at = limitResetTime('5-hour limit reached ∙ resets 3pm', now)!;
    const d = new Date(at);
    assert.equal(d.getHours(), 15);
    assert.equal(d.getMinutes(), 0);
    assert.ok(at > now && at - now <= 24 * 3600_000);
    const half = new Date(limitResetTime('Usage limit reached, resets at 3:30 PM', now)!);
    assert.equal(half.getMinutes(), 30);
  });

  it('reads Codex’s "try again in …" durations', () => {
    assert.equal(limitResetTime("You've hit your usage limit. Try again in 2 hours 5 minutes.", now), now + 7_500_000);
    assert.equal(limitResetTime('Rate limit reached for gpt-5. Please try again in 20s.', now), now + 20_000);
    assert.equal(limitResetTime('try again in 1.5 seconds', now), now + 1500);
  });

  it('other rate-limit words get the fallback; anything else is not a limit', () => {
    assert.equal(limitResetTime('API Error: 429 Too Many Requests', now), now + LIMIT_FALLBACK_MS);
    assert.equal(limitResetTime('Invalid API key · Please run /login', now), undefined);
    assert.equal(limitResetTime('resets 3pm', now), undefined, 'a time without a limit is not a limit');
  });
});
