/**
 * Assembles one assistant turn from Anthropic's streamed events (message_start, content_block_start /
 * _delta / _stop, message_delta, message_stop), forwarding display events as they arrive.
 *
 * Tool inputs arrive as `input_json_delta` pieces and are parsed only when their block stops; a turn
 * becomes a result only after `message_stop`. What is executable is decided by `result()` (see the rules
 * on `ModelTurnResult` in the port): only complete JSON objects, only when the turn stopped with `tool_use`.
 */
import type {
  AssistantBlock,
  ModelStreamEvent,
  ModelTurnResult,
  ModelUsage,
  RejectedToolCall,
  StopReason,
  ToolCall,
} from '../core/ports/model-client';

type Json = Record<string, unknown>;

type BlockState =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; thinking: string; signature: string }
  | { kind: 'redacted_thinking'; data: string }
  | { kind: 'tool_use'; id: string; name: string; json: string; stopped: boolean }
  | { kind: 'provider'; raw: Json; json: string; streamedInput: boolean };

const KNOWN_STOP_REASONS: ReadonlySet<string> = new Set([
  'end_turn',
  'stop_sequence',
  'tool_use',
  'max_tokens',
  'model_context_window_exceeded',
  'pause_turn',
  'refusal',
]);

/** Stop reasons that cut the output short: a tool call being written when they hit is truncated. */
const TRUNCATING: ReadonlySet<StopReason> = new Set(['max_tokens', 'model_context_window_exceeded']);

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Parses a tool input; `{}` for an empty string (a tool without parameters). */
export function parseToolInput(
  json: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  const text = json.trim() === '' ? '{}' : json;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

export class AnthropicTurnAssembler {
  requestId: string | undefined;
  model = '';
  /** `message_start` arrived. */
  started = false;
  /** `message_stop` arrived: the turn is complete. */
  finished = false;
  /** A server-side tool (code execution, web fetch…) started: a retry could repeat its effect. */
  serverToolStarted = false;
  private rawStopReason: string | null = null;
  private stopSequence: string | undefined;
  private stopDetails: Json | undefined;
  private readonly blocks = new Map<number, BlockState>();
  private readonly usageState: ModelUsage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
  };

  constructor(private readonly emit: (event: ModelStreamEvent) => void = () => {}) {}

  get usage(): ModelUsage {
    return { ...this.usageState };
  }

  /** The text streamed so far (what a UI showed before a failure). */
  partialText(): string {
    return [...this.blocks.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, b]) => (b.kind === 'text' ? b.text : ''))
      .join('');
  }

  private applyUsage(u: unknown): void {
    if (!u || typeof u !== 'object') return;
    const usage = u as Json;
    const set = (key: keyof Omit<ModelUsage, 'cacheCreation'>, v: unknown) => {
      const n = num(v);
      if (n !== undefined) this.usageState[key] = n;
    };
    set('inputTokens', usage.input_tokens);
    set('outputTokens', usage.output_tokens);
    set('cacheCreationInputTokens', usage.cache_creation_input_tokens);
    set('cacheReadInputTokens', usage.cache_read_input_tokens);
    const split = usage.cache_creation as Json | null | undefined;
    if (split && typeof split === 'object') {
      this.usageState.cacheCreation = {
        ephemeral5mInputTokens: num(split.ephemeral_5m_input_tokens) ?? 0,
        ephemeral1hInputTokens: num(split.ephemeral_1h_input_tokens) ?? 0,
      };
    }
  }

  private stopReason(): StopReason {
    return this.rawStopReason && KNOWN_STOP_REASONS.has(this.rawStopReason)
      ? (this.rawStopReason as StopReason)
      : 'other';
  }

  /** Feeds one parsed SSE `data` object. Unknown event and block types are kept or ignored, never fatal. */
  handle(event: Json): void {
    if (this.finished) return;
    switch (event.type) {
      case 'message_start': {
        const message = (event.message ?? {}) as Json;
        this.started = true;
        this.model = str(message.model);
        this.applyUsage(message.usage);
        this.emit({
          type: 'message_start',
          model: this.model,
          ...(this.requestId ? { requestId: this.requestId } : {}),
        });
        return;
      }
      case 'content_block_start': {
        const index = num(event.index) ?? this.blocks.size;
        const block = (event.content_block ?? {}) as Json;
        switch (block.type) {
          case 'text':
            this.blocks.set(index, { kind: 'text', text: str(block.text) });
            return;
          case 'thinking':
            this.blocks.set(index, {
              kind: 'thinking',
              thinking: str(block.thinking),
              signature: str(block.signature),
            });
            return;
          case 'redacted_thinking':
            this.blocks.set(index, { kind: 'redacted_thinking', data: str(block.data) });
            return;
          case 'tool_use':
            this.blocks.set(index, {
              kind: 'tool_use',
              id: str(block.id),
              name: str(block.name),
              json: '',
              stopped: false,
            });
            return;
          default:
            if (block.type === 'server_tool_use' || String(block.type).endsWith('_tool_use'))
              this.serverToolStarted = true;
            this.blocks.set(index, { kind: 'provider', raw: { ...block }, json: '', streamedInput: false });
            return;
        }
      }
      case 'content_block_delta': {
        const index = num(event.index) ?? -1;
        const state = this.blocks.get(index);
        const delta = (event.delta ?? {}) as Json;
        if (!state) return;
        if (delta.type === 'text_delta' && state.kind === 'text') {
          state.text += str(delta.text);
          this.emit({ type: 'text_delta', index, text: str(delta.text) });
        } else if (delta.type === 'thinking_delta' && state.kind === 'thinking') {
          state.thinking += str(delta.thinking);
          this.emit({ type: 'thinking_delta', index, text: str(delta.thinking) });
        } else if (delta.type === 'signature_delta' && state.kind === 'thinking') {
          state.signature += str(delta.signature);
        } else if (delta.type === 'input_json_delta') {
          if (state.kind === 'tool_use') state.json += str(delta.partial_json);
          else if (state.kind === 'provider') {
            state.json += str(delta.partial_json);
            state.streamedInput = true;
          }
        }
        return;
      }
      case 'content_block_stop': {
        const index = num(event.index) ?? -1;
        const state = this.blocks.get(index);
        if (state?.kind !== 'tool_use') return;
        state.stopped = true;
        const parsed = parseToolInput(state.json);
        if (parsed.ok) {
          this.emit({
            type: 'tool_use_complete',
            index,
            block: { type: 'tool_use', id: state.id, name: state.name, input: parsed.value },
          });
        } else {
          this.emit({ type: 'tool_use_invalid', index, id: state.id, name: state.name, rawInput: state.json });
        }
        return;
      }
      case 'message_delta': {
        const delta = (event.delta ?? {}) as Json;
        if (typeof delta.stop_reason === 'string') this.rawStopReason = delta.stop_reason;
        if (typeof delta.stop_sequence === 'string') this.stopSequence = delta.stop_sequence;
        if (delta.stop_details && typeof delta.stop_details === 'object') this.stopDetails = delta.stop_details as Json;
        this.applyUsage(event.usage);
        return;
      }
      case 'message_stop':
        this.finished = true;
        this.emit({ type: 'message_end', stopReason: this.stopReason(), usage: this.usage });
        return;
      default:
        return;
    }
  }

  /** The finished turn. Only call after `finished`. */
  result(): ModelTurnResult {
    if (!this.finished) throw new Error('the turn has not finished (no message_stop)');
    const stopReason = this.stopReason();
    const content: AssistantBlock[] = [];
    const toolCalls: ToolCall[] = [];
    const rejectedToolCalls: RejectedToolCall[] = [];
    let truncatedToolUse: ModelTurnResult['truncatedToolUse'];
    const indices = [...this.blocks.keys()].sort((a, b) => a - b);
    const lastToolIndex = [...indices].reverse().find((i) => this.blocks.get(i)?.kind === 'tool_use');

    for (const index of indices) {
      const b = this.blocks.get(index)!;
      switch (b.kind) {
        case 'text':
          content.push({ type: 'text', text: b.text });
          break;
        case 'thinking':
          content.push({ type: 'thinking', thinking: b.thinking, signature: b.signature });
          break;
        case 'redacted_thinking':
          content.push({ type: 'redacted_thinking', data: b.data });
          break;
        case 'provider': {
          const raw = { ...b.raw };
          if (b.streamedInput) {
            const parsed = parseToolInput(b.json);
            raw.input = parsed.ok ? parsed.value : {};
          }
          content.push({ type: 'provider', provider: 'anthropic', raw });
          break;
        }
        case 'tool_use': {
          const parsed = b.stopped ? parseToolInput(b.json) : ({ ok: false, error: 'the block never ended' } as const);
          if (!parsed.ok && TRUNCATING.has(stopReason) && index === lastToolIndex) {
            truncatedToolUse = { id: b.id, name: b.name, partialInput: b.json };
            break;
          }
          if (!parsed.ok) {
            content.push({ type: 'tool_use', id: b.id, name: b.name, input: {} });
            rejectedToolCalls.push({
              id: b.id,
              name: b.name,
              reason: 'invalid_json',
              rawInput: b.json,
              message: `The input for tool "${b.name}" was not a valid JSON object (${parsed.error}), so the tool was not run. Call it again with a JSON object that matches its input schema.`,
            });
            break;
          }
          content.push({ type: 'tool_use', id: b.id, name: b.name, input: parsed.value });
          if (stopReason === 'tool_use') {
            toolCalls.push({ id: b.id, name: b.name, input: parsed.value });
          } else {
            rejectedToolCalls.push({
              id: b.id,
              name: b.name,
              reason: 'turn_not_tool_use',
              rawInput: b.json,
              message: `The tool was not run: the response ended with stop_reason "${this.rawStopReason ?? 'none'}" instead of tool_use. Call it again if it is still needed.`,
            });
          }
          break;
        }
      }
    }

    const result: ModelTurnResult = {
      model: this.model,
      stopReason,
      rawStopReason: this.rawStopReason,
      content,
      toolCalls,
      rejectedToolCalls,
      usage: this.usage,
    };
    if (this.requestId) result.requestId = this.requestId;
    if (this.stopSequence !== undefined) result.stopSequence = this.stopSequence;
    if (truncatedToolUse) result.truncatedToolUse = truncatedToolUse;
    if (stopReason === 'refusal') {
      const d = this.stopDetails ?? {};
      result.refusal = {
        category: typeof d.category === 'string' ? d.category : null,
        explanation: typeof d.explanation === 'string' ? d.explanation : null,
      };
    }
    return result;
  }
}
