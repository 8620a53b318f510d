/**
 * The `claude -p --output-format stream-json --verbose` event stream, one JSON object per line:
 * - `{"type":"system","subtype":"init","session_id","model","tools",…}` first;
 * - `{"type":"assistant","message":{"id","model","content":[text | tool_use…],"usage":{…}},"session_id"}` — one
 *   event per content block, repeating the message's id and usage (so usage is counted once per message id);
 * - `{"type":"user","message":{"content":[tool_result…]}}` — the tool results Claude Code fed back;
 * - `{"type":"result","subtype":"success"|"error_max_turns"|"error_during_execution"|…,"is_error","result",
 *   "session_id","num_turns","total_cost_usd","usage":{input_tokens, cache_creation_input_tokens,
 *   cache_read_input_tokens, output_tokens}}` last (`cost_usd` in old versions).
 * Sources: Claude Code's headless-mode documentation and the Agent SDK's `SDKResultMessage`; the PRP survey
 * (notes/prp-tools-survey.md §3: `--verbose` is required with stream-json; `total_cost_usd`, not `cost_usd`).
 * Unknown event types (`stream_event`, hooks…) are ignored.
 */
import type { ModelUsage } from '../../core/ports/model-client';
import { type AgentEvent, num, obj, str } from './event-lines';

export interface ClaudeResultEvent {
  subtype: string;
  isError: boolean;
  result?: string;
  sessionId?: string;
  numTurns?: number;
  costUsd?: number;
  usage?: ModelUsage;
  errors: string[];
}

export function usageOf(raw: unknown): ModelUsage | undefined {
  const u = obj(raw);
  if (!u) return undefined;
  return {
    inputTokens: num(u.input_tokens),
    outputTokens: num(u.output_tokens),
    cacheCreationInputTokens: num(u.cache_creation_input_tokens),
    cacheReadInputTokens: num(u.cache_read_input_tokens),
  };
}

export class ClaudeStreamParser {
  sessionId: string | undefined;
  model: string | undefined;
  lastText: string | undefined;
  readonly toolUseIds = new Set<string>();
  private readonly usageByMessage = new Map<string, ModelUsage>();
  result: ClaudeResultEvent | undefined;

  constructor(private readonly onText?: (text: string) => void) {}

  handle(event: AgentEvent): void {
    this.sessionId = str(event.session_id) ?? this.sessionId;
    switch (event.type) {
      case 'system':
        if (event.subtype === 'init') this.model = str(event.model) ?? this.model;
        return;
      case 'assistant': {
        const message = obj(event.message);
        if (!message) return;
        this.model = str(message.model) ?? this.model;
        const id = str(message.id);
        const usage = usageOf(message.usage);
        if (id && usage) this.usageByMessage.set(id, usage);
        const content = Array.isArray(message.content) ? message.content : [];
        for (const raw of content) {
          const block = obj(raw);
          if (!block) continue;
          if (block.type === 'text' && typeof block.text === 'string' && block.text.trim() !== '') {
            this.lastText = block.text;
            this.onText?.(block.text);
          } else if (block.type === 'tool_use' && typeof block.id === 'string') this.toolUseIds.add(block.id);
        }
        return;
      }
      case 'result': {
        const cost = typeof event.total_cost_usd === 'number' ? event.total_cost_usd : event.cost_usd;
        const usage = usageOf(event.usage);
        const errors = Array.isArray(event.errors)
          ? event.errors.filter((e): e is string => typeof e === 'string')
          : [];
        this.result = {
          subtype: str(event.subtype) ?? 'unknown',
          isError: event.is_error === true,
          errors,
          ...(str(event.result) !== undefined ? { result: str(event.result)! } : {}),
          ...(str(event.session_id) ? { sessionId: str(event.session_id)! } : {}),
          ...(typeof event.num_turns === 'number' ? { numTurns: event.num_turns } : {}),
          ...(typeof cost === 'number' && Number.isFinite(cost) ? { costUsd: cost } : {}),
          ...(usage ? { usage } : {}),
        };
        return;
      }
      default:
        return;
    }
  }

  /** Usage of the run: the result's totals, else the sum over assistant messages seen. */
  usage(): ModelUsage | undefined {
    if (this.result?.usage) return this.result.usage;
    if (this.usageByMessage.size === 0) return undefined;
    const sum: ModelUsage = { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
    for (const u of this.usageByMessage.values()) {
      sum.inputTokens += u.inputTokens;
      sum.outputTokens += u.outputTokens;
      sum.cacheCreationInputTokens += u.cacheCreationInputTokens;
      sum.cacheReadInputTokens += u.cacheReadInputTokens;
    }
    return sum;
  }
}
