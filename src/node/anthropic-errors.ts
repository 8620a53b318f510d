/**
 * Classifies what the Anthropic API (through `@anthropic-ai/sdk`) answered into the port's `ModelFailure`,
 * with a message that says what happened and what to do.
 *
 * Sources for the classes: the API errors page (platform.claude.com/docs/en/api/errors: 400
 * invalid_request_error, 401 authentication_error, 402 billing_error, 403 permission_error, 404
 * not_found_error, 413 request_too_large, 429 rate_limit_error, 500 api_error, 529 overloaded_error, and
 * errors sent as an SSE `error` event after a 200), the SDK's typed error codes (`error.details.error_code`:
 * `enforced_spend_limit_reached`, `contract_spend_limit_reached`, `linked_organization_spend_limit_reached`
 * are RateLimitError subclasses that no wait will clear), and the rate-limit headers
 * (`retry-after`, `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{remaining,reset}`).
 */
import type { ModelFailure, ModelUsage } from '../core/ports/model-client';

type Json = Record<string, unknown>;

export interface ErrorContext {
  /** Where the key came from, e.g. `ANTHROPIC_API_KEY` (named in auth messages). */
  apiKeySource: string;
  model: string;
  now: () => number;
}

/** A header lookup (a `Headers` object, or anything with `get`). */
export interface HeaderSource {
  get(name: string): string | null;
}

const NUMBER = /^\s*\d+(\.\d+)?\s*$/;

/**
 * The server's requested wait. `retry-after-ms` (milliseconds) wins over `retry-after` (seconds, or an
 * HTTP date). A header that does not parse comes back as `retryAfterRaw`.
 */
export function parseRetryAfter(
  headers: HeaderSource | undefined,
  now: number,
): { retryAfterMs?: number; retryAfterRaw?: string } {
  const ms = headers?.get('retry-after-ms') ?? null;
  const s = headers?.get('retry-after') ?? null;
  if (ms !== null && NUMBER.test(ms)) return { retryAfterMs: Number(ms) };
  if (s !== null) {
    if (NUMBER.test(s)) return { retryAfterMs: Number(s) * 1000 };
    const date = /[a-z]/i.test(s) ? Date.parse(s) : Number.NaN;
    if (Number.isFinite(date)) return { retryAfterMs: Math.max(0, date - now) };
    return { retryAfterRaw: s };
  }
  if (ms !== null) return { retryAfterRaw: ms };
  return {};
}

/** When the exhausted rate-limit window(s) reset: the latest `*-reset` whose `*-remaining` is 0. */
export function rateLimitResetsAt(headers: HeaderSource | undefined): number | undefined {
  let latest: number | undefined;
  for (const name of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    if (headers?.get(`anthropic-ratelimit-${name}-remaining`) !== '0') continue;
    const reset = Date.parse(headers.get(`anthropic-ratelimit-${name}-reset`) ?? '');
    if (Number.isFinite(reset)) latest = Math.max(latest ?? reset, reset);
  }
  return latest;
}

/** 00:00 UTC on the first day of the month after `now` (when a tier's monthly spend cap lifts). */
export function startOfNextMonthUtc(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const SPEND_LIMIT_CODES = new Set([
  'enforced_spend_limit_reached',
  'contract_spend_limit_reached',
  'linked_organization_spend_limit_reached',
]);

export interface ApiErrorShape {
  status: number | undefined;
  /** The JSON error body: `{ type: 'error', error: { type, message, details? } }`. */
  body: unknown;
  headers: HeaderSource | undefined;
  requestId?: string;
}

function describe(status: number | undefined, type: string | undefined, apiMessage: string): string {
  const head = [status, type].filter((x) => x !== undefined && x !== '').join(' ');
  return head ? `${head}: ${apiMessage}` : apiMessage;
}

/**
 * Classifies an HTTP error response (`midStream` false) or an SSE `error` event (`midStream` true, no status).
 * `usage` is what the failed attempt already consumed, when known.
 */
export function classifyApiError(
  e: ApiErrorShape,
  ctx: ErrorContext,
  midStream: boolean,
  usage?: ModelUsage,
): ModelFailure {
  const body = (e.body && typeof e.body === 'object' ? e.body : {}) as Json;
  const error = (body.error && typeof body.error === 'object' ? body.error : {}) as Json;
  const type = typeof error.type === 'string' ? error.type : undefined;
  const apiMessage = typeof error.message === 'string' ? error.message : 'no message';
  const details = (error.details && typeof error.details === 'object' ? error.details : {}) as Json;
  const code = typeof details.error_code === 'string' ? details.error_code : undefined;
  const status = e.status;
  const what = describe(status, code ?? type, apiMessage);
  const base = {
    ...(e.requestId ? { requestId: e.requestId } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(usage ? { usage } : {}),
  };

  // Spend and billing limits: waiting a minute does not help.
  if (
    (code && (SPEND_LIMIT_CODES.has(code) || code.endsWith('_spend_limit_reached'))) ||
    (status === 429 && code?.includes('spend'))
  ) {
    const resumesAt = code === 'enforced_spend_limit_reached' ? startOfNextMonthUtc(ctx.now()) : undefined;
    return {
      kind: 'spend_limit',
      code: code ?? 'spend_limit',
      message: `Anthropic API spend limit reached (${what}).`,
      ...(resumesAt !== undefined ? { resumesAt } : {}),
      ...base,
    };
  }
  if (status === 402 || type === 'billing_error') {
    return {
      kind: 'spend_limit',
      code: 'billing_error',
      message: `Anthropic API billing problem (${what}). Check the credit balance and billing in the Claude Console.`,
      ...base,
    };
  }
  // A spend limit the user set on the organization or workspace: a 400 whose message says so (no code).
  if (status === 400 && /^You have reached your specified (workspace )?API usage limits/i.test(apiMessage)) {
    return {
      kind: 'spend_limit',
      code: 'usage_limit_reached',
      message: `Anthropic API usage limit reached (${what}).`,
      ...base,
    };
  }
  if (status === 429 || type === 'rate_limit_error') {
    const { retryAfterMs, retryAfterRaw } = parseRetryAfter(e.headers, ctx.now());
    const resetsAt = rateLimitResetsAt(e.headers);
    return {
      kind: 'rate_limited',
      message: `Rate limited by the Anthropic API (${what}).`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(retryAfterRaw !== undefined ? { retryAfterRaw } : {}),
      ...(resetsAt !== undefined ? { resetsAt } : {}),
      ...base,
    };
  }
  if (status === 529 || type === 'overloaded_error') {
    const { retryAfterMs } = parseRetryAfter(e.headers, ctx.now());
    return {
      kind: 'overloaded',
      midStream,
      message: `The Anthropic API is overloaded (${what}${midStream ? ', mid-stream' : ''}).`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...base,
    };
  }
  if (status === 401 || type === 'authentication_error') {
    return {
      kind: 'auth',
      message: `The Anthropic API rejected the API key from ${ctx.apiKeySource} (${what}). Check the key in the Claude Console and set ${ctx.apiKeySource} again.`,
      ...base,
    };
  }
  if (status === 403 || type === 'permission_error') {
    return {
      kind: 'auth',
      message: `The API key from ${ctx.apiKeySource} is not allowed to do this (${what}).`,
      ...base,
    };
  }
  if (status === 408 || type === 'timeout_error') {
    return { kind: 'timeout', phase: 'response', message: `The Anthropic API timed out (${what}).`, ...base };
  }
  if (status === undefined || status >= 500 || status === 409 || type === 'api_error') {
    const { retryAfterMs } = parseRetryAfter(e.headers, ctx.now());
    return {
      kind: 'server',
      midStream,
      message: `The Anthropic API failed (${what}${midStream ? ', mid-stream' : ''}).`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...base,
    };
  }
  if (status === 404 || type === 'not_found_error') {
    return {
      kind: 'invalid_request',
      reason: 'not_found',
      message: `The Anthropic API did not find it (${what}). Check the model name "${ctx.model}".`,
      ...base,
    };
  }
  if (status === 413 || type === 'request_too_large') {
    return {
      kind: 'invalid_request',
      reason: 'request_too_large',
      message: `The request is too large for the Anthropic API (${what}). Send less context.`,
      ...base,
    };
  }
  if (/prompt is too long|context window|too many tokens/i.test(apiMessage)) {
    return {
      kind: 'invalid_request',
      reason: 'prompt_too_long',
      message: `The conversation no longer fits the model's context window (${what}).`,
      ...base,
    };
  }
  return { kind: 'invalid_request', message: `The Anthropic API rejected the request (${what}).`, ...base };
}
