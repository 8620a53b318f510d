import * as assert from 'node:assert/strict';
import {
  addUsage,
  cacheReadRatio,
  costOf,
  findModelPrice,
  formatUsd,
  parsePriceTable,
  SHIPPED_PRICES,
} from '../../../src/core/agent/cost';
import shipped from '../../../src/core/agent/prices.json';
import type { ModelUsage } from '../../../src/core/ports/model-client';

const usage = (u: Partial<ModelUsage>): ModelUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationInputTokens: 0,
  cacheReadInputTokens: 0,
  ...u,
});

describe('cost from the shipped price table', () => {
  it('is a valid table whose every model cites a listed source', () => {
    assert.equal(parsePriceTable(shipped).ok, true);
    const sources = Object.keys(shipped.sources);
    for (const [id, price] of Object.entries(SHIPPED_PRICES.models)) {
      assert.ok(price.source && sources.includes(price.source), `${id} cites "${price.source}"`);
      assert.ok(price.cacheRead < price.input && price.cacheWrite5m > price.input, `${id} cache rates are plausible`);
    }
  });

  it('prices every token class per MTok', () => {
    const cost = costOf(
      'claude-sonnet-4-5',
      usage({
        inputTokens: 1_000_000,
        outputTokens: 1_000_000,
        cacheCreationInputTokens: 1_000_000,
        cacheReadInputTokens: 1_000_000,
      }),
    );
    assert.ok(cost.known);
    if (!cost.known) return;
    assert.deepEqual(cost.breakdown, { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 });
    assert.ok(Math.abs(cost.usd - 22.05) < 1e-9);
  });

  it('prices 1-hour cache writes at the 1-hour rate when the split is known', () => {
    const cost = costOf(
      'claude-opus-4-6',
      usage({
        cacheCreationInputTokens: 3_000_000,
        cacheCreation: { ephemeral5mInputTokens: 1_000_000, ephemeral1hInputTokens: 2_000_000 },
      }),
    );
    assert.ok(cost.known && Math.abs(cost.breakdown.cacheWrite - (6.25 + 20)) < 1e-9);
  });

  it('matches snapshot dates, [1m] suffixes and aliases; an unknown model has an unknown cost, not 0', () => {
    assert.equal(findModelPrice('claude-haiku-4-5-20251001')?.id, 'claude-haiku-4-5');
    assert.equal(findModelPrice('claude-sonnet-5-5[1m]')?.id, 'claude-sonnet-5-5');
    assert.equal(findModelPrice('claude-opus-4-20250514')?.id, 'claude-opus-4-0');
    const unknown = costOf('claude-fable-5-2', usage({ inputTokens: 10 }));
    assert.deepEqual(unknown, {
      known: false,
      model: 'claude-fable-5-2',
      reason: 'no price for model "claude-fable-5-2" in the price table',
    });
    assert.equal(costOf('__proto__', usage({})).known, false);
  });

  it('applies a long-prompt tier to every token of a request over the threshold', () => {
    const short = costOf('claude-haiku-5-5', usage({ inputTokens: 100_000, outputTokens: 1_000_000 }));
    const long = costOf('claude-haiku-5-5', usage({ inputTokens: 100_001, outputTokens: 1_000_000 }));
    assert.ok(short.known && long.known);
    if (short.known && long.known) {
      assert.equal(short.breakdown.output, 0.5);
      assert.equal(long.breakdown.output, 2.5);
    }
  });

  it('rejects an invalid table with the bad field named', () => {
    assert.deepEqual(
      parsePriceTable({ models: { m: { input: -1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 } } }),
      {
        ok: false,
        error: 'models.m.input: Too small: expected number to be >=0',
      },
    );
  });

  it('adds usage (keeping the TTL split) and computes the cache-read share', () => {
    const a = usage({ inputTokens: 10, cacheReadInputTokens: 90, outputTokens: 5 });
    const b = usage({
      inputTokens: 5,
      cacheCreationInputTokens: 20,
      cacheCreation: { ephemeral5mInputTokens: 0, ephemeral1hInputTokens: 20 },
    });
    assert.deepEqual(addUsage(a, b), {
      inputTokens: 15,
      outputTokens: 5,
      cacheCreationInputTokens: 20,
      cacheReadInputTokens: 90,
      cacheCreation: { ephemeral5mInputTokens: 0, ephemeral1hInputTokens: 20 },
    });
    assert.equal(cacheReadRatio(a), 0.9);
    assert.equal(cacheReadRatio(usage({})), 0);
    assert.equal(formatUsd(0.00123), '$0.0012');
    assert.equal(formatUsd(1.5), '$1.500');
  });
});
