/**
 * Token usage arithmetic and cost from the price table shipped as data (`prices.json`, USD per MTok,
 * sources cited in the file). A model missing from the table has an *unknown* cost — never 0 — so
 * reports can say "cost unknown for claude-x" instead of under-reporting spend.
 */
import { z } from 'zod';
import type { ModelUsage } from '../ports/model-client';
import shippedPrices from './prices.json';

const rate = z.number().finite().nonnegative();

const ratesSchema = z.object({
  input: rate,
  output: rate,
  cacheWrite5m: rate,
  cacheWrite1h: rate,
  cacheRead: rate,
});

const modelPriceSchema = ratesSchema.extend({
  source: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  longPrompt: ratesSchema.extend({ thresholdTokens: z.number().int().positive() }).optional(),
});

const priceTableSchema = z.object({
  retrieved: z.string().optional(),
  models: z.record(z.string(), modelPriceSchema),
});

export type TokenRates = z.infer<typeof ratesSchema>;
export type ModelPrice = z.infer<typeof modelPriceSchema>;
export type PriceTable = z.infer<typeof priceTableSchema>;

/** Validates a price table (the shipped one, or a user's override); the error names the bad field. */
export function parsePriceTable(data: unknown): { ok: true; table: PriceTable } | { ok: false; error: string } {
  const parsed = priceTableSchema.safeParse(data);
  if (parsed.success) return { ok: true, table: parsed.data };
  const first = parsed.error.issues[0];
  return { ok: false, error: `${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid price table'}` };
}

function loadShipped(): PriceTable {
  const parsed = parsePriceTable(shippedPrices);
  if (!parsed.ok) throw new Error(`src/core/agent/prices.json is invalid: ${parsed.error}`);
  return parsed.table;
}

export const SHIPPED_PRICES: PriceTable = loadShipped();

/**
 * The table entry for `model`: exact id, else without a `[1m]` suffix, else without a `-YYYYMMDD`
 * snapshot date, else an alias. `undefined` when the model is unknown.
 */
export function findModelPrice(
  model: string,
  table: PriceTable = SHIPPED_PRICES,
): { id: string; price: ModelPrice } | undefined {
  const has = (id: string) => Object.hasOwn(table.models, id);
  const candidates = [model, model.replace(/\[1m\]$/i, '')];
  candidates.push(...candidates.map((c) => c.replace(/-\d{8}$/, '')));
  for (const c of candidates) if (has(c)) return { id: c, price: table.models[c]! };
  for (const [id, price] of Object.entries(table.models)) {
    if (price.aliases?.some((a) => candidates.includes(a))) return { id, price };
  }
  return undefined;
}

export function emptyUsage(): ModelUsage {
  return { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
}

export function addUsage(a: ModelUsage, b: ModelUsage): ModelUsage {
  const sum: ModelUsage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
  };
  if (a.cacheCreation || b.cacheCreation) {
    const split = (u: ModelUsage) =>
      u.cacheCreation ?? { ephemeral5mInputTokens: u.cacheCreationInputTokens, ephemeral1hInputTokens: 0 };
    sum.cacheCreation = {
      ephemeral5mInputTokens: split(a).ephemeral5mInputTokens + split(b).ephemeral5mInputTokens,
      ephemeral1hInputTokens: split(a).ephemeral1hInputTokens + split(b).ephemeral1hInputTokens,
    };
  }
  return sum;
}

/** All input tokens of a request: uncached + cache writes + cache reads. */
export function promptTokens(usage: ModelUsage): number {
  return usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
}

/** Share of the prompt read from the cache, in [0, 1] (0 for an empty prompt). */
export function cacheReadRatio(usage: ModelUsage): number {
  const total = promptTokens(usage);
  return total === 0 ? 0 : usage.cacheReadInputTokens / total;
}

export type CostEstimate =
  | {
      known: true;
      usd: number;
      /** The price-table entry used. */
      pricedAs: string;
      breakdown: { input: number; output: number; cacheWrite: number; cacheRead: number };
    }
  | { known: false; model: string; reason: string };

/**
 * Cost of one response's usage. Cache writes without a TTL split are priced at the 5-minute rate.
 * Sum per-response costs for a run; do not price summed usage (the long-prompt tier is per request).
 */
export function costOf(model: string, usage: ModelUsage, table: PriceTable = SHIPPED_PRICES): CostEstimate {
  const found = findModelPrice(model, table);
  if (!found) return { known: false, model, reason: `no price for model "${model}" in the price table` };
  const { price } = found;
  const rates: TokenRates =
    price.longPrompt && promptTokens(usage) > price.longPrompt.thresholdTokens ? price.longPrompt : price;
  const split = usage.cacheCreation ?? {
    ephemeral5mInputTokens: usage.cacheCreationInputTokens,
    ephemeral1hInputTokens: 0,
  };
  const perToken = (r: number) => r / 1_000_000;
  const breakdown = {
    input: usage.inputTokens * perToken(rates.input),
    output: usage.outputTokens * perToken(rates.output),
    cacheWrite:
      split.ephemeral5mInputTokens * perToken(rates.cacheWrite5m) +
      split.ephemeral1hInputTokens * perToken(rates.cacheWrite1h),
    cacheRead: usage.cacheReadInputTokens * perToken(rates.cacheRead),
  };
  const usd = breakdown.input + breakdown.output + breakdown.cacheWrite + breakdown.cacheRead;
  return { known: true, usd, pricedAs: found.id, breakdown };
}

/** `$0.0123` — enough digits for small per-step costs. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 100) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(2)}`;
}
