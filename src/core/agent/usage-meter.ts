/**
 * Usage and cost of an agent round, summed over every model response — failed attempts included when the
 * provider billed them (a stream cut after `message_start`). Cost is priced per response (`costOf`) and summed;
 * one response from a model missing from the price table makes the round's cost unknown (never a silent 0).
 */
import type { ModelUsage } from '../ports/model-client';
import type { Usage } from '../run/events';
import { addUsage, costOf, emptyUsage, type PriceTable, SHIPPED_PRICES } from './cost';

export class UsageMeter {
  private usage: ModelUsage = emptyUsage();
  private usd = 0;
  private unknownModels = new Set<string>();
  private responses = 0;
  /** The model that answered last (as the provider reported it). */
  model: string | undefined;

  constructor(private readonly prices: PriceTable = SHIPPED_PRICES) {}

  /** Adds one response's usage, priced as `model`. */
  add(model: string, usage: ModelUsage): void {
    this.usage = addUsage(this.usage, usage);
    this.responses++;
    this.model = model;
    const cost = costOf(model, usage, this.prices);
    if (cost.known) this.usd += cost.usd;
    else this.unknownModels.add(model);
  }

  /** Adds usage whose cost the provider reported itself (e.g. the claude CLI's `total_cost_usd`). */
  addReported(model: string | undefined, usage: ModelUsage, usd: number | undefined): void {
    this.usage = addUsage(this.usage, usage);
    this.responses++;
    if (model) this.model = model;
    if (usd !== undefined && Number.isFinite(usd) && usd >= 0) this.usd += usd;
    else if (model) {
      const cost = costOf(model, usage, this.prices);
      if (cost.known) this.usd += cost.usd;
      else this.unknownModels.add(model);
    } else this.unknownModels.add('(unknown model)');
  }

  get count(): number {
    return this.responses;
  }

  get totals(): ModelUsage {
    return this.usage;
  }

  /** Models whose price is unknown (the cost is then unknown). */
  get unpriced(): string[] {
    return [...this.unknownModels];
  }

  /** The journal's `Usage`: tokens, and `costUsd` only when every response could be priced. */
  toUsage(): Usage {
    const u: Usage = {
      inputTokens: this.usage.inputTokens,
      outputTokens: this.usage.outputTokens,
      cacheCreationInputTokens: this.usage.cacheCreationInputTokens,
      cacheReadInputTokens: this.usage.cacheReadInputTokens,
    };
    if (this.unknownModels.size === 0) u.costUsd = this.usd;
    return u;
  }
}
