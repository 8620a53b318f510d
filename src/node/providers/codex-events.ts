/**
 * The `codex exec --json` event stream (JSONL; `ThreadEvent` in openai/codex `codex-rs/exec/src/exec_events.rs`):
 * - `{"type":"thread.started","thread_id"}` — the session, resumable with `codex exec resume <id>`;
 * - `{"type":"turn.started"}`, `{"type":"turn.completed","usage":{input_tokens, cached_input_tokens,
 *   output_tokens}}`, `{"type":"turn.failed","error":{"message"}}`;
 * - `{"type":"item.started"|"item.updated"|"item.completed","item":{"id","type":…}}` with item types
 *   `agent_message` (`text`), `reasoning`, `command_execution` (`command`, `aggregated_output`, `exit_code`,
 *   `status`), `file_change` (`changes`, `status`), `mcp_tool_call`, `web_search`, `todo_list`, `error`;
 * - `{"type":"error","message"}` — a fatal stream error.
 * OpenAI counts cached tokens inside `input_tokens`; here they become cache reads and the rest plain input.
 * Codex reports no cost: it is priced from our table, which has no OpenAI models, so it is "unknown".
 */
import type { ModelUsage } from '../../core/ports/model-client';
import { type AgentEvent, num, obj, str } from './event-lines';

export class CodexStreamParser {
  threadId: string | undefined;
  lastText: string | undefined;
  turnsCompleted = 0;
  toolUses = 0;
  readonly errors: string[] = [];
  readonly itemErrors: string[] = [];
  private usageSum: ModelUsage | undefined;

  constructor(private readonly onText?: (text: string) => void) {}

  handle(event: AgentEvent): void {
    switch (event.type) {
      case 'thread.started':
        this.threadId = str(event.thread_id) ?? this.threadId;
        return;
      case 'turn.completed': {
        this.turnsCompleted++;
        const u = obj(event.usage);
        if (!u) return;
        const input = num(u.input_tokens);
        const cached = Math.min(num(u.cached_input_tokens), input);
        const add: ModelUsage = {
          inputTokens: input - cached,
          outputTokens: num(u.output_tokens),
          cacheCreationInputTokens: 0,
          cacheReadInputTokens: cached,
        };
        const s = this.usageSum;
        this.usageSum = s
          ? {
              inputTokens: s.inputTokens + add.inputTokens,
              outputTokens: s.outputTokens + add.outputTokens,
              cacheCreationInputTokens: 0,
              cacheReadInputTokens: s.cacheReadInputTokens + add.cacheReadInputTokens,
            }
          : add;
        return;
      }
      case 'turn.failed': {
        const message = str(obj(event.error)?.message) ?? 'the turn failed';
        this.errors.push(message);
        return;
      }
      case 'error':
        this.errors.push(str(event.message) ?? 'stream error');
        return;
      case 'item.completed': {
        const item = obj(event.item);
        if (!item) return;
        if (item.type === 'agent_message' && typeof item.text === 'string') {
          this.lastText = item.text;
          this.onText?.(item.text);
        } else if (
          item.type === 'command_execution' ||
          item.type === 'file_change' ||
          item.type === 'mcp_tool_call' ||
          item.type === 'web_search'
        ) {
          this.toolUses++;
        } else if (item.type === 'error' && typeof item.message === 'string') this.itemErrors.push(item.message);
        return;
      }
      default:
        return;
    }
  }

  usage(): ModelUsage | undefined {
    return this.usageSum;
  }
}
