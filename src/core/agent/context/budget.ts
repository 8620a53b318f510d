/**
 * Context-budget preflight: before a conversation starts, estimate what its fixed part costs in input tokens —
 * system prompt, tool definitions, CLAUDE.md, the PRP and its docfiles, the template, the project snapshot and
 * the slash command's text — and say which parts are biggest. Over the warning budget: a warning naming the
 * largest contributors. Over `--max-context-tokens`: the run is refused before any model call.
 *
 * The estimate is ~4 bytes of UTF-8 per token (Anthropic's rule of thumb for English and code); real counts vary
 * by tokenizer by ±20 %, which is why this is a budget check, not a bill.
 */

export interface ContextPart {
  /** What it is, e.g. `CLAUDE.md`, `PRP PRPs/auth.md`, `tool definitions`. */
  name: string;
  tokens: number;
}

export interface ContextEstimate {
  total: number;
  /** Largest first. */
  parts: ContextPart[];
}

export interface BudgetLimits {
  /** Warn above this many tokens (default 60,000). */
  warnTokens?: number;
  /** Refuse to start above this many tokens (`--max-context-tokens`). */
  maxTokens?: number;
}

export const DEFAULT_CONTEXT_WARN_TOKENS = 60_000;

export function estimateTokens(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return Math.ceil(bytes / 4);
}

export function estimateContext(parts: ReadonlyArray<{ name: string; text: string }>): ContextEstimate {
  const sized = parts
    .map((p) => ({ name: p.name, tokens: estimateTokens(p.text) }))
    .filter((p) => p.tokens > 0)
    .sort((a, b) => b.tokens - a.tokens);
  return { total: sized.reduce((n, p) => n + p.tokens, 0), parts: sized };
}

const fmt = (n: number) => n.toLocaleString('en-US');

function contributors(estimate: ContextEstimate, n = 3): string {
  return estimate.parts
    .slice(0, n)
    .map((p) => `${p.name} (~${fmt(p.tokens)})`)
    .join(', ');
}

export type BudgetVerdict = { ok: true; warning?: string } | { ok: false; message: string };

/** What the preflight says about `estimate` for `what` (e.g. `/prp-execute PRPs/auth.md`). */
export function checkBudget(estimate: ContextEstimate, what: string, limits: BudgetLimits): BudgetVerdict {
  if (limits.maxTokens !== undefined && estimate.total > limits.maxTokens) {
    return {
      ok: false,
      message:
        `The context for ${what} is about ${fmt(estimate.total)} tokens, over --max-context-tokens ${fmt(limits.maxTokens)}; ` +
        `not started. Biggest parts: ${contributors(estimate)}. Shorten them (move detail from CLAUDE.md to ai_docs, ` +
        'drop docfile references the task does not need) or raise the limit.',
    };
  }
  const warn = limits.warnTokens ?? DEFAULT_CONTEXT_WARN_TOKENS;
  if (estimate.total > warn) {
    return {
      ok: true,
      warning: `The context for ${what} is about ${fmt(estimate.total)} tokens (budget ${fmt(warn)}); biggest parts: ${contributors(estimate)}.`,
    };
  }
  return { ok: true };
}
