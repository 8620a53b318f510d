/**
 * The model-client port: one streamed model request → one assistant turn, provider-neutral.
 *
 * The agent loop talks only to this; `src/node/anthropic-client.ts` implements it with `@anthropic-ai/sdk`
 * (other providers follow). A call never throws for an API or network problem: it resolves to a
 * `ModelOutcome` — the finished turn, or a classified `ModelFailure` that the retry layer
 * (`src/core/agent/model-retry.ts`) turns into "retry after N ms", "park the run until T" or "fail with
 * this message", without knowing anything about HTTP or the SDK.
 *
 * Safety invariants every implementation keeps:
 * - Tool calls are handed out only in `ModelTurnResult.toolCalls`, which exists only for a turn that
 *   finished (the provider's end-of-message marker arrived). Nothing from a cut stream is executable.
 * - A call is executable only when the turn stopped with `tool_use` and its input is complete JSON for an
 *   object. Everything else is listed in `rejectedToolCalls` (answer it with an `is_error` tool_result)
 *   or, when the JSON was cut off by `max_tokens`, in `truncatedToolUse` (not in `content` at all).
 * - Every `tool_use` block in `content` has exactly one entry in `toolCalls` or `rejectedToolCalls`, so
 *   the loop can always answer each of them with exactly one `tool_result`.
 */

// ---------------------------------------------------------------------------------------------------
// Conversation content
// ---------------------------------------------------------------------------------------------------

export type CacheTtl = '5m' | '1h';

/**
 * A prompt-cache breakpoint: the provider may cache the whole prompt prefix up to and including the
 * marked item (order: tools → system → messages). Anthropic allows at most 4 per request.
 */
export interface CacheMarker {
  ttl?: CacheTtl;
}

export interface TextBlock {
  type: 'text';
  text: string;
  cache?: CacheMarker;
}

/** A tool call as the model wrote it (and as it is sent back in the conversation history). */
export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  /** The parsed arguments. `{}` for a rejected call whose JSON could not be parsed (see `rejectedToolCalls`). */
  input: Record<string, unknown>;
  cache?: CacheMarker;
}

export interface ToolResultBlock {
  type: 'tool_result';
  toolUseId: string;
  content: string | TextBlock[];
  /** The tool failed, or its input was rejected; the model sees the content as the error. */
  isError?: boolean;
  cache?: CacheMarker;
}

/** Model reasoning that must be sent back unchanged (with its signature) in later turns of a tool loop. */
export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

/**
 * A block this port has no model for (e.g. a provider's server-side tool use and its result). Kept
 * verbatim so the conversation can be sent back as the provider expects; never executed by us.
 */
export interface ProviderBlock {
  type: 'provider';
  provider: string;
  /** The provider's own block, as received. */
  raw: Readonly<Record<string, unknown>>;
}

export type AssistantBlock = TextBlock | ToolUseBlock | ThinkingBlock | RedactedThinkingBlock | ProviderBlock;
export type UserBlock = TextBlock | ToolResultBlock;
export type ContentBlock = AssistantBlock | UserBlock;

export type ModelMessage =
  | { role: 'user'; content: string | UserBlock[] }
  | { role: 'assistant'; content: AssistantBlock[] };

/** A JSON Schema object (`{ type: 'object', properties: … }`) — e.g. produced from a zod schema. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  /** A breakpoint after this tool; put it on the last tool to cache the whole tool list. */
  cache?: CacheMarker;
}

export type ToolChoice = { type: 'auto' } | { type: 'any' } | { type: 'none' } | { type: 'tool'; name: string };

// ---------------------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------------------

export interface ModelRequest {
  model: string;
  maxTokens: number;
  /** Short and stable; mark the last block with `cache` to cache tools + system. */
  system?: string | TextBlock[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  messages: ModelMessage[];
  temperature?: number;
  stopSequences?: string[];
  /**
   * Automatic caching: the provider places a breakpoint on the last cacheable block and moves it forward
   * as the conversation grows (Anthropic's top-level `cache_control`). Counts towards the 4 breakpoints.
   */
  autoCache?: CacheMarker;
}

export interface ModelCallOptions {
  /** Aborting ends the request; the outcome is then `{ ok: false, failure: { kind: 'aborted' } }`. */
  signal?: AbortSignal;
  /** Streamed progress, for display only. Never execute a tool from here: use `ModelTurnResult.toolCalls`. */
  onEvent?: (event: ModelStreamEvent) => void;
  /** Give up when the response has not started (headers) within this time. Defaults to the client's. */
  responseTimeoutMs?: number;
  /** Give up when a started stream is silent (no event, not even a ping) for this long. */
  idleTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------------
// Streamed events (display only)
// ---------------------------------------------------------------------------------------------------

export type ModelStreamEvent =
  | { type: 'message_start'; model: string; requestId?: string }
  | { type: 'text_delta'; index: number; text: string }
  | { type: 'thinking_delta'; index: number; text: string }
  /** A tool_use block whose input arrived complete and is a JSON object. Still not executable until the turn ends. */
  | { type: 'tool_use_complete'; index: number; block: ToolUseBlock }
  /** A tool_use block whose input is not a JSON object (or not JSON at all). */
  | { type: 'tool_use_invalid'; index: number; id: string; name: string; rawInput: string }
  | { type: 'message_end'; stopReason: StopReason; usage: ModelUsage };

// ---------------------------------------------------------------------------------------------------
// Result
// ---------------------------------------------------------------------------------------------------

/**
 * Why the model stopped.
 * - `end_turn`, `stop_sequence`: the answer is complete.
 * - `tool_use`: run `toolCalls`, answer each with a tool_result, call again.
 * - `max_tokens`: cut at the output limit; a tool call being written is in `truncatedToolUse`, never executed.
 * - `model_context_window_exceeded`: cut because the context window is full; treat like `max_tokens`.
 * - `pause_turn`: a long server-side turn was paused; send `content` back as the assistant turn to continue.
 * - `refusal`: the model declined (see `refusal`); no tool call of this turn is executable.
 * - `other`: a value this client does not know (see `rawStopReason`); treated as not executable.
 */
export type StopReason =
  | 'end_turn'
  | 'stop_sequence'
  | 'tool_use'
  | 'max_tokens'
  | 'model_context_window_exceeded'
  | 'pause_turn'
  | 'refusal'
  | 'other';

export interface ModelUsage {
  /** Input tokens neither read from nor written to the cache (after the last cache breakpoint). */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens written to the cache by this request (billed at the cache-write rate). */
  cacheCreationInputTokens: number;
  /** Input tokens read from the cache (billed at the much lower cache-read rate). */
  cacheReadInputTokens: number;
  /** Split of `cacheCreationInputTokens` by TTL, when the provider reports it (1 h writes cost more). */
  cacheCreation?: { ephemeral5mInputTokens: number; ephemeral1hInputTokens: number };
}

export interface ToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export type ToolCallRejection =
  /** The input is not JSON, or JSON but not an object. */
  | 'invalid_json'
  /** The turn did not stop with `tool_use` (max_tokens, refusal, context window…): nothing of it runs. */
  | 'turn_not_tool_use';

export interface RejectedToolCall {
  id: string;
  name: string;
  reason: ToolCallRejection;
  /** The input exactly as the model wrote it. */
  rawInput: string;
  /** What to tell the model in the `is_error` tool_result. */
  message: string;
}

export interface ModelTurnResult {
  /** The provider's id of the response (Anthropic `request-id`), for logs and support. */
  requestId?: string;
  /** The model that answered, as reported by the provider. */
  model: string;
  stopReason: StopReason;
  /** The provider's stop reason verbatim (useful when `stopReason` is `other`). */
  rawStopReason: string | null;
  stopSequence?: string;
  /** Present when `stopReason` is `refusal`. */
  refusal?: { category: string | null; explanation: string | null };
  /** The assistant turn to append to the conversation (without a truncated tool call). */
  content: AssistantBlock[];
  /** Executable calls: the turn finished with `tool_use` and each input is a complete JSON object. */
  toolCalls: ToolCall[];
  /** Calls that must not run; answer each with `is_error` (see `rejectedToolResult` in core/agent). */
  rejectedToolCalls: RejectedToolCall[];
  /** A tool call cut off by `max_tokens` / the context window: partial JSON, dropped from `content`. */
  truncatedToolUse?: { id: string; name: string; partialInput: string };
  usage: ModelUsage;
}

// ---------------------------------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------------------------------

interface FailureBase {
  /** One line a user can act on (it names the env var, the limit, the status…). */
  message: string;
  /** The provider's id of the failed response, when there was one. */
  requestId?: string;
  /** HTTP status, when the failure came with one. */
  status?: number;
  /** Tokens already consumed (and billed) by the failed attempt, e.g. a stream cut after `message_start`. */
  usage?: ModelUsage;
}

export type ModelFailure =
  | (FailureBase & {
      kind: 'rate_limited';
      /** The server's wait (retry-after-ms / retry-after), when the header parsed to a finite number ≥ 0. */
      retryAfterMs?: number;
      /** The retry-after header verbatim when it did not parse (garbage). */
      retryAfterRaw?: string;
      /** When the exhausted rate-limit window resets (epoch ms), from the provider's rate-limit headers. */
      resetsAt?: number;
    })
  | (FailureBase & {
      kind: 'spend_limit';
      /** The provider's code, e.g. `enforced_spend_limit_reached`, `billing_error`. */
      code: string;
      /** When access comes back on its own (epoch ms), when the provider documents it. */
      resumesAt?: number;
    })
  | (FailureBase & { kind: 'overloaded'; retryAfterMs?: number; midStream: boolean })
  | (FailureBase & { kind: 'server'; retryAfterMs?: number; midStream: boolean })
  /** No response at all: connection refused/reset, DNS… */
  | (FailureBase & { kind: 'connection' })
  | (FailureBase & { kind: 'auth' })
  | (FailureBase & {
      kind: 'invalid_request';
      /** `prompt_too_long` when the request does not fit the context window. */
      reason?: 'prompt_too_long' | 'request_too_large' | 'not_found';
    })
  | (FailureBase & {
      kind: 'stream_interrupted';
      /**
       * True when retrying cannot repeat a side effect: nothing of the turn was executed anywhere (this
       * client never hands out tool calls of an unfinished turn, and no server-side tool had started).
       */
      sideEffectFree: boolean;
      /** Text streamed before the cut (display only; the retry starts over). */
      partialText: string;
    })
  | (FailureBase & { kind: 'aborted' })
  | (FailureBase & { kind: 'timeout'; phase: 'response' | 'idle' });

export type ModelFailureKind = ModelFailure['kind'];

export type ModelOutcome = { ok: true; result: ModelTurnResult } | { ok: false; failure: ModelFailure };

export type TokenCountOutcome = { ok: true; inputTokens: number } | { ok: false; failure: ModelFailure };

export interface ModelClient {
  /** e.g. `anthropic`. */
  readonly provider: string;
  /** Sends one request (streaming) and resolves when the turn has ended or failed. Never rejects for API errors. */
  stream(request: ModelRequest, options?: ModelCallOptions): Promise<ModelOutcome>;
  /** The provider's own count of the request's input tokens (for the context-budget preflight). */
  countTokens?(request: ModelRequest, options?: Pick<ModelCallOptions, 'signal'>): Promise<TokenCountOutcome>;
}
