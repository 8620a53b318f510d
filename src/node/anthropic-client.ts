/**
 * The `anthropic` provider's client: the `ModelClient` port over `@anthropic-ai/sdk`.
 *
 * - Streams every request (`messages.create({ stream: true })`), reads the raw SSE events itself (so pings
 *   count for the idle timeout and an `event: error` is classified, not thrown), and assembles the turn
 *   with `AnthropicTurnAssembler`.
 * - The SDK's own retries are off (`maxRetries: 0`): retrying is `core/agent/model-retry.ts`'s job alone.
 * - The key and base URL are only what the caller passes (see `anthropic-credentials.ts`); the SDK never
 *   reads `ANTHROPIC_API_KEY` / `ANTHROPIC_BASE_URL` itself here.
 * - The SDK is loaded on the first request, so constructing a client costs nothing at activation.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type {
  ModelCallOptions,
  ModelClient,
  ModelFailure,
  ModelOutcome,
  ModelRequest,
  TokenCountOutcome,
} from '../core/ports/model-client';
import { classifyApiError, type ErrorContext } from './anthropic-errors';
import { toAnthropicParams } from './anthropic-request';
import { AnthropicTurnAssembler } from './anthropic-stream';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicClientOptions {
  apiKey: string;
  /** Named in messages about the key, e.g. `ANTHROPIC_API_KEY` or `SecretStorage`. */
  apiKeySource?: string;
  /** Default https://api.anthropic.com. Resolve it with `resolveAnthropicBaseUrl`. */
  baseURL?: string;
  /** Give up when response headers have not arrived within this time (default 120 s). */
  responseTimeoutMs?: number;
  /** Give up when a started stream sends nothing — not even a ping — for this long (default 180 s). */
  idleTimeoutMs?: number;
  /** The clock used to read `retry-after` dates and rate-limit resets (default `Date.now`). */
  now?: () => number;
  /** Extra headers on every request (e.g. a beta flag). */
  defaultHeaders?: Record<string, string>;
}

type SdkModule = typeof import('@anthropic-ai/sdk');

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** The innermost message of an error's `cause` chain (e.g. `connect ECONNREFUSED 127.0.0.1:443`). */
function rootCause(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error && e.cause instanceof Error; depth++) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
type StreamingModule = typeof import('@anthropic-ai/sdk/core/streaming');

export class AnthropicModelClient implements ModelClient {
  readonly provider = 'anthropic';
  private loaded: Promise<{ sdk: SdkModule; streaming: StreamingModule; client: Anthropic }> | undefined;
  private readonly responseTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: AnthropicClientOptions) {
    if (!options.apiKey) throw new Error('AnthropicModelClient needs an apiKey');
    this.responseTimeoutMs = options.responseTimeoutMs ?? 120_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 180_000;
    this.now = options.now ?? Date.now;
  }

  private load() {
    this.loaded ??= (async () => {
      const [sdk, streaming] = await Promise.all([
        import('@anthropic-ai/sdk'),
        import('@anthropic-ai/sdk/core/streaming'),
      ]);
      const client = new sdk.default({
        apiKey: this.options.apiKey,
        baseURL: this.options.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL,
        maxRetries: 0,
        timeout: this.responseTimeoutMs,
        ...(this.options.defaultHeaders ? { defaultHeaders: this.options.defaultHeaders } : {}),
      });
      return { sdk, streaming, client };
    })();
    return this.loaded;
  }

  private errorContext(model: string): ErrorContext {
    return { apiKeySource: this.options.apiKeySource ?? 'the configured API key', model, now: this.now };
  }

  /** A failure for an exception thrown before the response started (`cause` says who aborted). */
  private classifyThrown(
    err: unknown,
    sdk: SdkModule,
    model: string,
    cause: 'user' | 'idle' | undefined,
    responseTimeoutMs: number,
  ): ModelFailure {
    if (cause === 'user' || err instanceof sdk.APIUserAbortError) {
      return { kind: 'aborted', message: 'The model request was cancelled.' };
    }
    if (err instanceof sdk.APIConnectionTimeoutError) {
      return {
        kind: 'timeout',
        phase: 'response',
        message: `The Anthropic API did not start answering within ${duration(responseTimeoutMs)}.`,
      };
    }
    if (err instanceof sdk.APIConnectionError) {
      return {
        kind: 'connection',
        message: `Could not reach the Anthropic API at ${this.options.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL} (${rootCause(err)}).`,
      };
    }
    if (err instanceof sdk.APIError) {
      return classifyApiError(
        {
          status: err.status,
          body: err.error,
          headers: err.headers,
          ...(err.requestID ? { requestId: err.requestID } : {}),
        },
        this.errorContext(model),
        false,
      );
    }
    if (err instanceof sdk.AnthropicError) {
      return { kind: 'invalid_request', message: `The Anthropic client refused the request: ${err.message}` };
    }
    throw err;
  }

  async stream(request: ModelRequest, options: ModelCallOptions = {}): Promise<ModelOutcome> {
    const { sdk, streaming, client } = await this.load();
    const responseTimeoutMs = options.responseTimeoutMs ?? this.responseTimeoutMs;
    const idleTimeoutMs = options.idleTimeoutMs ?? this.idleTimeoutMs;
    if (options.signal?.aborted)
      return { ok: false, failure: { kind: 'aborted', message: 'The model request was cancelled.' } };

    const controller = new AbortController();
    let cause: 'user' | 'idle' | undefined;
    const onUserAbort = () => {
      cause ??= 'user';
      controller.abort();
    };
    options.signal?.addEventListener('abort', onUserAbort, { once: true });
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        cause ??= 'idle';
        controller.abort();
      }, idleTimeoutMs);
    };

    try {
      let response: Response;
      try {
        response = await client.messages
          .create(toAnthropicParams(request), { signal: controller.signal, timeout: responseTimeoutMs, maxRetries: 0 })
          .asResponse();
      } catch (err) {
        return { ok: false, failure: this.classifyThrown(err, sdk, request.model, cause, responseTimeoutMs) };
      }

      const requestId = response.headers.get('request-id') ?? undefined;
      const turn = new AnthropicTurnAssembler(options.onEvent);
      turn.requestId = requestId;
      let sseError: unknown;
      let broken: string | undefined;
      armIdle();
      try {
        for await (const sse of streaming.Stream.rawEvents(response, controller)) {
          armIdle();
          if (sse.event === 'ping') continue;
          if (sse.event === 'error') {
            try {
              sseError = JSON.parse(sse.data);
            } catch {
              sseError = { error: { type: 'api_error', message: sse.data } };
            }
            break;
          }
          if (!sse.data) continue;
          let data: unknown;
          try {
            data = JSON.parse(sse.data);
          } catch {
            broken = `unreadable event data ${JSON.stringify(sse.data.slice(0, 80))}`;
            break;
          }
          if (data && typeof data === 'object') turn.handle(data as Record<string, unknown>);
          if (turn.finished) break;
        }
      } catch (err) {
        const root = rootCause(err);
        const top = err instanceof Error ? err.message : String(err);
        broken = root === top ? top : `${top}: ${root}`;
      } finally {
        clearTimeout(idleTimer);
      }

      const usage = turn.started ? turn.usage : undefined;
      const ids = { ...(requestId ? { requestId } : {}), ...(usage ? { usage } : {}) };
      if (cause === 'user' || options.signal?.aborted) {
        return { ok: false, failure: { kind: 'aborted', message: 'The model request was cancelled.', ...ids } };
      }
      if (cause === 'idle') {
        return {
          ok: false,
          failure: {
            kind: 'timeout',
            phase: 'idle',
            message: `The Anthropic API stream went silent for ${duration(idleTimeoutMs)} before the message ended.`,
            ...ids,
          },
        };
      }
      if (sseError !== undefined) {
        const failure = classifyApiError(
          { status: undefined, body: sseError, headers: response.headers, ...(requestId ? { requestId } : {}) },
          this.errorContext(request.model),
          true,
          usage,
        );
        if (!turn.serverToolStarted) return { ok: false, failure };
        return {
          ok: false,
          failure: {
            kind: 'stream_interrupted',
            sideEffectFree: false,
            partialText: turn.partialText(),
            message: `${failure.message} A server-side tool had already started in this turn.`,
            ...ids,
          },
        };
      }
      if (!turn.finished) {
        return {
          ok: false,
          failure: {
            kind: 'stream_interrupted',
            sideEffectFree: !turn.serverToolStarted,
            partialText: turn.partialText(),
            message: `The Anthropic API response stream ended before the message was complete (${broken ?? 'no message_stop'}); no tool call from it was used.`,
            ...ids,
          },
        };
      }
      return { ok: true, result: turn.result() };
    } finally {
      options.signal?.removeEventListener('abort', onUserAbort);
      clearTimeout(idleTimer);
      if (!controller.signal.aborted) controller.abort();
    }
  }

  async countTokens(request: ModelRequest, options: Pick<ModelCallOptions, 'signal'> = {}): Promise<TokenCountOutcome> {
    const { sdk, client } = await this.load();
    const { max_tokens: _max, stream: _stream, stop_sequences: _stop, ...params } = toAnthropicParams(request);
    try {
      const counted = await client.messages.countTokens(params, {
        ...(options.signal ? { signal: options.signal } : {}),
        maxRetries: 0,
      });
      return { ok: true, inputTokens: counted.input_tokens };
    } catch (err) {
      const cause = options.signal?.aborted ? 'user' : undefined;
      return { ok: false, failure: this.classifyThrown(err, sdk, request.model, cause, this.responseTimeoutMs) };
    }
  }
}

/** A client for the `anthropic` provider. */
export function createAnthropicClient(options: AnthropicClientOptions): AnthropicModelClient {
  return new AnthropicModelClient(options);
}
