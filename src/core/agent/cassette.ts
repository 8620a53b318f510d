/**
 * Record and replay of a run's model exchanges ("cassettes").
 *
 * **Recording** wraps the model client of each conversation (one per step): every answered request is stored
 * as the request's *shape* — model, tool names, and per message its role and blocks (tool_use ids and names,
 * tool_result ids and their error flag, the SHA-256 of each text) — plus the finished `ModelTurnResult`. Failed
 * attempts are not stored (the retry layer retried them; a replay never needs to). Prompts themselves are not
 * stored, and neither is anything from the environment: no API key can end up in a cassette (known secret values
 * and `sk-ant-…` tokens are redacted from the results as a second line of defence).
 *
 * **Replay** answers each conversation's requests with the recorded results, in order, after checking that the
 * request has the recorded shape. The tools run for real, so the same tool calls write the same files and the
 * harness runs the same gates. If this run's conversation diverges — a tool call that succeeded in the recording
 * is refused now, an extra round, a different command — replay stops with a clear `invalid_request` failure
 * naming the step, the exchange and the difference, instead of drifting silently. Text is compared by shape only
 * (gate output holds timings and paths), its hashes are reported when a structural mismatch is found.
 *
 * Conversations are keyed by their slash command line (`/prp-execute PRPs/x.md`, then `… #2` for a second
 * conversation with the same line), not by step ids, so a run recorded through `orchestrate "/prp-execute …"`
 * replays under `run-prp` too.
 *
 * File format (JSON): `{ format: "codex-context-forge.cassette", version: 1, recordedAt, provider, model, note?,
 * conversations: { "<command line>": [ { request: RequestShape, result: ModelTurnResult } … ] } }`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseSafeJson } from '../json/safe-json';
import type {
  ModelCallOptions,
  ModelClient,
  ModelMessage,
  ModelOutcome,
  ModelRequest,
  ModelTurnResult,
} from '../ports/model-client';
import type { ReadResult } from '../problems';
import { decodeUtf8 } from '../text';
import { zodProblems } from '../validation/zod-problems';

export const CASSETTE_FORMAT = 'codex-context-forge.cassette';
export const CASSETTE_VERSION = 1;
/** Cassettes can hold long runs; larger than the 2 MB cap of project files. */
export const MAX_CASSETTE_BYTES = 64 * 1024 * 1024;

// ─── shapes ───────────────────────────────────────────────────────────────────

const blockShape = z.union([
  z.object({ type: z.literal('text'), sha256: z.string() }).strict(),
  z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string() }).strict(),
  z.object({ type: z.literal('tool_result'), toolUseId: z.string(), isError: z.boolean() }).strict(),
  z.object({ type: z.enum(['thinking', 'redacted_thinking', 'provider']) }).strict(),
]);
const messageShape = z.object({ role: z.enum(['user', 'assistant']), blocks: z.array(blockShape) }).strict();
const requestShape = z
  .object({ model: z.string(), tools: z.array(z.string()), messages: z.array(messageShape) })
  .strict();

export type BlockShape = z.infer<typeof blockShape>;
export type RequestShape = z.infer<typeof requestShape>;

const usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheCreationInputTokens: z.number().int().nonnegative(),
  cacheReadInputTokens: z.number().int().nonnegative(),
  cacheCreation: z
    .object({ ephemeral5mInputTokens: z.number().int(), ephemeral1hInputTokens: z.number().int() })
    .optional(),
});
const cache = z.object({ ttl: z.enum(['5m', '1h']).optional() }).optional();
const assistantBlock = z.union([
  z.object({ type: z.literal('text'), text: z.string(), cache }),
  z.object({
    type: z.literal('tool_use'),
    id: z.string(),
    name: z.string(),
    input: z.record(z.string(), z.unknown()),
    cache,
  }),
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.object({ type: z.literal('provider'), provider: z.string(), raw: z.record(z.string(), z.unknown()) }),
]);
const turnResult = z.object({
  requestId: z.string().optional(),
  model: z.string(),
  stopReason: z.enum([
    'end_turn',
    'stop_sequence',
    'tool_use',
    'max_tokens',
    'model_context_window_exceeded',
    'pause_turn',
    'refusal',
    'other',
  ]),
  rawStopReason: z.string().nullable(),
  stopSequence: z.string().optional(),
  refusal: z.object({ category: z.string().nullable(), explanation: z.string().nullable() }).optional(),
  content: z.array(assistantBlock),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) })),
  rejectedToolCalls: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      reason: z.enum(['invalid_json', 'turn_not_tool_use']),
      rawInput: z.string(),
      message: z.string(),
    }),
  ),
  truncatedToolUse: z.object({ id: z.string(), name: z.string(), partialInput: z.string() }).optional(),
  usage,
});

const exchange = z.object({ request: requestShape, result: turnResult }).strict();

export const CassetteSchema = z
  .object({
    format: z.literal(CASSETTE_FORMAT),
    version: z.literal(CASSETTE_VERSION),
    recordedAt: z.string(),
    provider: z.string(),
    model: z.string(),
    note: z.string().optional(),
    conversations: z.record(z.string(), z.array(exchange)),
  })
  .strict();

export type Cassette = z.infer<typeof CassetteSchema>;
export type CassetteExchange = z.infer<typeof exchange>;

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

function shapeOfMessage(m: ModelMessage): RequestShape['messages'][number] {
  const blocks = typeof m.content === 'string' ? [{ type: 'text' as const, text: m.content }] : m.content;
  return {
    role: m.role,
    blocks: blocks.map((b): BlockShape => {
      switch (b.type) {
        case 'text':
          return { type: 'text', sha256: sha(b.text) };
        case 'tool_use':
          return { type: 'tool_use', id: b.id, name: b.name };
        case 'tool_result':
          return { type: 'tool_result', toolUseId: b.toolUseId, isError: Boolean(b.isError) };
        default:
          return { type: b.type };
      }
    }),
  };
}

/** The part of a request replay checks. */
export function requestShapeOf(request: ModelRequest): RequestShape {
  return {
    model: request.model,
    tools: (request.tools ?? []).map((t) => t.name),
    messages: request.messages.map(shapeOfMessage),
  };
}

function describeBlock(b: BlockShape | undefined): string {
  if (!b) return 'nothing';
  switch (b.type) {
    case 'text':
      return `text (sha256 ${b.sha256})`;
    case 'tool_use':
      return `tool_use ${b.name} ${b.id}`;
    case 'tool_result':
      return `tool_result for ${b.toolUseId} (${b.isError ? 'an error' : 'ok'})`;
    default:
      return b.type;
  }
}

/** The first structural difference between a recorded and a replayed request, or `undefined` when they match. */
export function shapeMismatch(recorded: RequestShape, actual: RequestShape): string | undefined {
  if (recorded.tools.join(',') !== actual.tools.join(',')) {
    return `the tools differ (recorded: ${recorded.tools.join(', ') || 'none'}; now: ${actual.tools.join(', ') || 'none'})`;
  }
  const n = Math.max(recorded.messages.length, actual.messages.length);
  for (let i = 0; i < n; i++) {
    const r = recorded.messages[i];
    const a = actual.messages[i];
    if (!r || !a) {
      return `the conversation has ${actual.messages.length} messages where the recording has ${recorded.messages.length}`;
    }
    if (r.role !== a.role) return `message ${i + 1} is from the ${a.role} where the recording has the ${r.role}`;
    const m = Math.max(r.blocks.length, a.blocks.length);
    for (let j = 0; j < m; j++) {
      const rb = r.blocks[j];
      const ab = a.blocks[j];
      const same =
        rb &&
        ab &&
        rb.type === ab.type &&
        (rb.type !== 'tool_use' || (ab.type === 'tool_use' && rb.id === ab.id && rb.name === ab.name)) &&
        (rb.type !== 'tool_result' ||
          (ab.type === 'tool_result' && rb.toolUseId === ab.toolUseId && rb.isError === ab.isError));
      if (!same) {
        return `message ${i + 1}, block ${j + 1}: the recording has ${describeBlock(rb)}, this run sent ${describeBlock(ab)}`;
      }
    }
  }
  return undefined;
}

// ─── secrets ──────────────────────────────────────────────────────────────────

const KEY_PATTERN = /sk-ant-[A-Za-z0-9_-]{8,}/g;

/** Replaces known secret values and anything shaped like an Anthropic key with `[REDACTED]`, in every string. */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const usable = secrets.filter((s) => s.length >= 8);
  const clean = (s: string): string => {
    let out = s.replace(KEY_PATTERN, '[REDACTED]');
    for (const secret of usable) out = out.split(secret).join('[REDACTED]');
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return clean(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[clean(k)] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

// ─── recording ────────────────────────────────────────────────────────────────

export class CassetteRecorder {
  private readonly conversations = new Map<string, CassetteExchange[]>();

  constructor(
    private readonly meta: { provider: string; model: string; note?: string; now: () => number },
    private readonly secrets: readonly string[] = [],
  ) {}

  /** A client that records `inner`'s answered requests under `key` (the conversation's command line). */
  wrap(key: string, inner: ModelClient): ModelClient {
    const list = this.conversations.get(key) ?? [];
    this.conversations.set(key, list);
    const secrets = this.secrets;
    return {
      provider: inner.provider,
      async stream(request: ModelRequest, options?: ModelCallOptions): Promise<ModelOutcome> {
        const outcome = await inner.stream(request, options);
        if (outcome.ok) {
          list.push({
            request: requestShapeOf(request),
            result: redactSecrets(structuredClone(outcome.result), secrets),
          });
        }
        return outcome;
      },
      ...(inner.countTokens ? { countTokens: inner.countTokens.bind(inner) } : {}),
    };
  }

  /** Exchanges recorded so far. */
  get size(): number {
    let n = 0;
    for (const l of this.conversations.values()) n += l.length;
    return n;
  }

  toCassette(): Cassette {
    const conversations: Record<string, CassetteExchange[]> = {};
    for (const [k, v] of this.conversations) if (v.length > 0) conversations[k] = v;
    return {
      format: CASSETTE_FORMAT,
      version: CASSETTE_VERSION,
      recordedAt: new Date(this.meta.now()).toISOString(),
      provider: this.meta.provider,
      model: this.meta.model,
      ...(this.meta.note ? { note: this.meta.note } : {}),
      conversations,
    };
  }
}

/** The cassette as file text (2-space JSON, one trailing newline). */
export function serializeCassette(cassette: Cassette): string {
  return `${JSON.stringify(cassette, null, 2)}\n`;
}

/** Reads a cassette file's bytes; problems are positioned (file, line, column). */
export function parseCassette(bytes: Uint8Array, file: string): ReadResult<Cassette> {
  const decoded = decodeUtf8(bytes, file, MAX_CASSETTE_BYTES);
  if (decoded.problems.length > 0) return { value: undefined, problems: decoded.problems };
  const parsed = parseSafeJson(decoded.text, file);
  if (!parsed.value) return { value: undefined, problems: parsed.problems };
  const checked = CassetteSchema.safeParse(parsed.value.value);
  if (!checked.success) {
    return {
      value: undefined,
      problems: zodProblems(checked.error.issues, parsed.value.source, { rule: 'cassette-schema' }),
    };
  }
  return { value: checked.data, problems: [] };
}

// ─── replay ───────────────────────────────────────────────────────────────────

export class CassettePlayer {
  private readonly cursors = new Map<string, number>();

  constructor(
    readonly cassette: Cassette,
    private readonly label = 'the cassette',
  ) {}

  /** A client answering the requests of conversation `key` from the cassette, in order. */
  clientFor(key: string): ModelClient {
    const exchanges = this.cassette.conversations[key] ?? [];
    const fail = (message: string): ModelOutcome => ({
      ok: false,
      failure: { kind: 'invalid_request', message: `Replay of ${this.label}: ${message}` },
    });
    return {
      provider: 'replay',
      stream: async (request: ModelRequest, options?: ModelCallOptions): Promise<ModelOutcome> => {
        if (options?.signal?.aborted) return { ok: false, failure: { kind: 'aborted', message: 'Cancelled.' } };
        const n = this.cursors.get(key) ?? 0;
        const recorded = exchanges[n];
        if (!recorded) {
          const known = Object.keys(this.cassette.conversations);
          return fail(
            exchanges.length === 0
              ? `no recorded conversation for ${key} (it has ${known.length > 0 ? known.map((k) => `"${k}"`).join(', ') : 'none'}). The run differs from the recorded one; record it again.`
              : `${key} asks for model turn ${n + 1}, but the recording ends after ${exchanges.length}. The run diverged from the recording; record it again.`,
          );
        }
        const mismatch = shapeMismatch(recorded.request, requestShapeOf(request));
        if (mismatch) {
          return fail(
            `${key}, model turn ${n + 1} does not match the recording: ${mismatch}. The workspace, the permission policy or the command differ from the recorded run; record it again.`,
          );
        }
        this.cursors.set(key, n + 1);
        const result: ModelTurnResult = structuredClone(recorded.result) as ModelTurnResult;
        if (options?.onEvent) {
          options.onEvent({ type: 'message_start', model: result.model });
          result.content.forEach((b, index) => {
            if (b.type === 'text') options.onEvent?.({ type: 'text_delta', index, text: b.text });
          });
          options.onEvent({ type: 'message_end', stopReason: result.stopReason, usage: result.usage });
        }
        return { ok: true, result };
      },
    };
  }

  /** Recorded exchanges not replayed (a shorter run than the recorded one). */
  unplayed(): Array<{ key: string; count: number }> {
    return Object.entries(this.cassette.conversations)
      .map(([key, list]) => ({ key, count: list.length - (this.cursors.get(key) ?? 0) }))
      .filter((x) => x.count > 0);
  }
}
