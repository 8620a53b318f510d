/**
 * What a scripted response can be, and builders for each (`reply.*` for normal answers, `fault.*` for
 * every failure the runtime must survive). A test queues them (`fake.enqueue(...)`) or answers per request
 * (`fake.script(req => …)`).
 */

export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

export type BlockSpec =
  | { type: 'text'; text: string }
  /** `rawJson` replaces the JSON of `input` on the wire (to send invalid or partial JSON). */
  | { type: 'tool_use'; name: string; input?: unknown; id?: string; rawJson?: string }
  | { type: 'thinking'; thinking: string; signature?: string }
  /** A server-side tool call (e.g. web search): streamed like tool_use, but executed by the "server". */
  | { type: 'server_tool_use'; name: string; input?: unknown; id?: string };

/**
 * How a streamed answer is delivered — and broken. Event counts include `message_start` and `ping`; a
 * negative count is taken from the end (`cutAfterEvents: -2` sends everything but message_delta and message_stop).
 */
export interface StreamShape {
  /** Characters per text_delta / thinking_delta (default 12). */
  textChunk?: number;
  /** Characters per input_json_delta partial_json (default 9): any real tool input arrives in several pieces. */
  jsonChunk?: number;
  /** Send a `ping` after `message_start` (default true). */
  ping?: boolean;
  /** Destroy the socket after this many events (no `message_stop`). */
  cutAfterEvents?: number;
  /** Send an SSE `event: error` after this many events, then end the response. */
  errorAfterEvents?: number;
  errorType?: string;
  errorMessage?: string;
  /** Stop sending (but keep the connection open) after this many events — an idle stream. */
  stallAfterEvents?: number;
  /** Wait this long before each event. */
  eventDelayMs?: number;
}

export interface MessageReply {
  kind: 'message';
  content: BlockSpec[];
  stopReason: StopReason;
  stopSequence?: string;
  stopDetails?: { type: 'refusal'; category: string | null; explanation: string | null };
  /** Overrides the approximated output token count. */
  outputTokens?: number;
  /** Overrides the model reported back (default: the request's). */
  model?: string;
  stream?: StreamShape;
  headers?: Record<string, string>;
}

export interface ErrorReply {
  kind: 'error';
  status: number;
  errorType: string;
  message: string;
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Rate-limit headers say the window is exhausted and resets this long from now. */
  resetInMs?: number;
}

/** Accept the request and never answer (no status line) — for response timeouts. */
export interface HangReply {
  kind: 'hang';
}

export type Reply = MessageReply | ErrorReply | HangReply;

type MessageOptions = Partial<Omit<MessageReply, 'kind' | 'content'>>;

export const reply = {
  /** A plain text answer (`end_turn` unless `stopReason` says otherwise). */
  text(text: string, options: MessageOptions = {}): MessageReply {
    return { kind: 'message', content: [{ type: 'text', text }], stopReason: 'end_turn', ...options };
  },
  /** A tool call, optionally preceded by text (`tool_use`). */
  toolUse(name: string, input: unknown, options: MessageOptions & { text?: string; id?: string } = {}): MessageReply {
    const { text, id, ...rest } = options;
    const content: BlockSpec[] = [];
    if (text !== undefined) content.push({ type: 'text', text });
    content.push({ type: 'tool_use', name, input, ...(id ? { id } : {}) });
    return { kind: 'message', content, stopReason: 'tool_use', ...rest };
  },
  /** Any sequence of blocks (several texts, several tool calls, thinking…). */
  blocks(content: BlockSpec[], options: MessageOptions = {}): MessageReply {
    const hasTool = content.some((b) => b.type === 'tool_use');
    return { kind: 'message', content, stopReason: hasTool ? 'tool_use' : 'end_turn', ...options };
  },
};

function apiError(
  status: number,
  errorType: string,
  message: string,
  extra: Partial<Omit<ErrorReply, 'kind' | 'status' | 'errorType' | 'message'>> = {},
): ErrorReply {
  return { kind: 'error', status, errorType, message, ...extra };
}

export const fault = {
  /**
   * 429 rate_limit_error. `retryAfter` / `retryAfterMs` become the `retry-after` / `retry-after-ms`
   * headers verbatim (numbers or any string — `'999999999'`, `'soon'`…); `resetInMs` sets the
   * `anthropic-ratelimit-*-reset` headers with `-remaining: 0`.
   */
  rateLimited(
    options: { retryAfter?: string | number; retryAfterMs?: string | number; resetInMs?: number } = {},
  ): ErrorReply {
    const headers: Record<string, string> = {};
    if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
    if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
    return apiError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.', {
      headers,
      ...(options.resetInMs !== undefined ? { resetInMs: options.resetInMs } : {}),
    });
  },
  /**
   * The monthly spend cap of the organization's tier: HTTP 429, `rate_limit_error`, no retry-after, and
   * `error.details.error_code: "enforced_spend_limit_reached"`. Sources: the SDK's
   * `EnforcedSpendLimitReachedError` (@anthropic-ai/sdk 1.14, src/resources/shared.ts: "The organization has
   * crossed the monthly API usage threshold of its API tier", a RateLimitError subclass keyed on
   * `error.details.error_code`), the errors page as summarised at developersdigest.tech ("no retry-after
   * header … usage pauses until 00:00 UTC on the first day of the next month"), and Microsoft Dev Proxy's
   * Anthropic guide. The message wording is ours.
   */
  spendLimit(): ErrorReply {
    return apiError(
      429,
      'rate_limit_error',
      'Your organization has reached its monthly API usage limit for its usage tier. Access resumes at the start of next month; move to a higher tier to restore access sooner.',
      { details: { error_code: 'enforced_spend_limit_reached' } },
    );
  },
  /** 529 overloaded_error (optionally with retry-after). */
  overloaded(options: { retryAfter?: string | number } = {}): ErrorReply {
    return apiError(529, 'overloaded_error', 'Overloaded', {
      headers: options.retryAfter !== undefined ? { 'retry-after': String(options.retryAfter) } : {},
    });
  },
  /** 500 api_error. */
  serverError(): ErrorReply {
    return apiError(500, 'api_error', 'Internal server error');
  },
  /** 401 authentication_error (the server also sends this by itself for a wrong x-api-key). */
  unauthorized(): ErrorReply {
    return apiError(401, 'authentication_error', 'invalid x-api-key');
  },
  /** 400 invalid_request_error with a given message. */
  invalidRequest(message: string): ErrorReply {
    return apiError(400, 'invalid_request_error', message);
  },
  /** A 200 stream that sends `afterEvents` events, then `event: error` (overloaded_error by default). */
  midStreamError(
    answer: MessageReply,
    options: { afterEvents: number; errorType?: string; message?: string } = { afterEvents: 4 },
  ): MessageReply {
    return {
      ...answer,
      stream: {
        ...answer.stream,
        errorAfterEvents: options.afterEvents,
        errorType: options.errorType ?? 'overloaded_error',
        errorMessage: options.message ?? 'Overloaded',
      },
    };
  },
  /** A 200 stream whose socket is destroyed after `afterEvents` events — no `message_stop`. */
  cutStream(answer: MessageReply, options: { afterEvents: number }): MessageReply {
    return { ...answer, stream: { ...answer.stream, cutAfterEvents: options.afterEvents } };
  },
  /** `stop_reason: max_tokens` in the middle of a tool_use block: only the first `keepChars` of its JSON arrive. */
  maxTokensInToolUse(name: string, input: unknown, options: { keepChars?: number; text?: string } = {}): MessageReply {
    const json = JSON.stringify(input);
    const keep = options.keepChars ?? Math.floor(json.length / 2);
    const content: BlockSpec[] = [];
    if (options.text !== undefined) content.push({ type: 'text', text: options.text });
    content.push({ type: 'tool_use', name, input, rawJson: json.slice(0, keep) });
    return { kind: 'message', content, stopReason: 'max_tokens' };
  },
  /** A complete tool_use block (stop_reason tool_use) whose input_json_delta pieces do not form valid JSON. */
  invalidToolJson(name: string, rawJson: string): MessageReply {
    return { kind: 'message', content: [{ type: 'tool_use', name, rawJson }], stopReason: 'tool_use' };
  },
  /** `stop_reason: refusal` with stop_details. */
  refusal(
    text = '',
    category: string | null = 'cyber',
    explanation: string | null = 'The request was declined.',
  ): MessageReply {
    return {
      kind: 'message',
      content: text ? [{ type: 'text', text }] : [],
      stopReason: 'refusal',
      stopDetails: { type: 'refusal', category, explanation },
    };
  },
  /** `stop_reason: pause_turn` after a server tool call (to be sent back to continue). */
  pauseTurn(text = 'Let me search for that.'): MessageReply {
    return {
      kind: 'message',
      content: [
        { type: 'text', text },
        { type: 'server_tool_use', name: 'web_search', input: { query: 'context forge' } },
      ],
      stopReason: 'pause_turn',
    };
  },
  /** Never answer (`afterEvents` undefined), or stall a started stream after `afterEvents` events. */
  hang(options: { afterEvents?: number } = {}): Reply {
    if (options.afterEvents === undefined) return { kind: 'hang' };
    return { ...reply.text('This answer will never finish.'), stream: { stallAfterEvents: options.afterEvents } };
  },
};
