/**
 * The tool-use loop of one agent round: send the conversation, get one finished turn (through `streamWithRetry`,
 * the one retry layer), run the tool calls of that turn, send the results, until the model stops.
 *
 * - Tool calls run only from a finished turn (`result.toolCalls`), one after the other, each through the
 *   permission policy (`ToolExecutor`). Calls the client rejected (invalid JSON, a turn that did not stop for
 *   tools) are answered with `is_error` results; a call cut off by `max_tokens` never reaches us and the model
 *   is told to continue in smaller steps.
 * - Stop reasons: `end_turn`/`stop_sequence` end the round; `tool_use` continues; `max_tokens` continues with a
 *   note; `pause_turn` sends the turn back as is; `refusal`, `model_context_window_exceeded` and unknown reasons
 *   end the round as a failure with the model's or provider's words.
 * - `streamWithRetry` retries transient failures inside; a park decision ends the round as `park` (the run
 *   waits, "waiting until HH:MM"), a fail decision as `fail` with its message.
 * - At most `maxTurns` model turns per round; hitting the cap is a failure that says so.
 * The loop never judges the work: its final text is informational, the harness runs the gates.
 */
import type { Clock } from '../ports/clock';
import type { ModelClient, ModelStreamEvent, ModelTurnResult, ModelUsage, UserBlock } from '../ports/model-client';
import type { Conversation } from './conversation';
import { type AttemptRecord, type ModelRetryPolicy, streamWithRetry } from './model-retry';
import { rejectedToolResult } from './tool-input';
import type { ToolExecutor } from './tools/tool-executor';
import type { UsageMeter } from './usage-meter';

/** What the loop reports as it goes (display and tests only; nothing here is executed). */
export interface LoopObserver {
  onText?(text: string): void;
  /** A finished model turn. `turn` counts from 1 within the round. */
  onTurn?(info: { turn: number; stopReason: string; usage: ModelUsage; model: string; toolCalls: number }): void;
  /** A failed attempt that will be retried (discard any partial text shown for it). */
  onRetry?(info: { attempt: number; delayMs: number; reason: string }): void;
}

export interface LoopDeps {
  client: ModelClient;
  clock: Clock;
  tools: ToolExecutor;
  meter: UsageMeter;
  maxTurns: number;
  retryPolicy?: Partial<ModelRetryPolicy>;
  observer?: LoopObserver;
}

export type LoopOutcome =
  | { kind: 'done'; text: string; turns: number }
  | { kind: 'park'; until: number; message: string; turns: number }
  | { kind: 'fail'; message: string; turns: number };

export const CUT_OFF_NOTE =
  'Your previous reply was cut off at the output token limit. Continue from where you stopped. If you were writing ' +
  'a file or a long tool call, split it into smaller steps (for example edit_file on one part at a time).';

function textOf(result: ModelTurnResult): string {
  return result.content
    .filter((b) => b.type === 'text')
    .map((b) => (b as { text: string }).text)
    .join('\n')
    .trim();
}

function meterAttempts(meter: UsageMeter, attempts: AttemptRecord[], model: string, answered?: ModelTurnResult) {
  for (const a of attempts) {
    if (!a.usage) continue;
    meter.add(answered && a === attempts[attempts.length - 1] ? answered.model : model, a.usage);
  }
}

/** Runs model turns on `conversation` (whose last message must be a user turn) until the model stops. */
export async function runAgentLoop(
  conversation: Conversation,
  deps: LoopDeps,
  signal: AbortSignal,
): Promise<LoopOutcome> {
  const { observer } = deps;
  const onEvent = observer?.onText
    ? (e: ModelStreamEvent) => {
        if (e.type === 'text_delta') observer.onText?.(e.text);
      }
    : undefined;
  for (let turn = 1; turn <= deps.maxTurns; turn++) {
    if (signal.aborted) return { kind: 'fail', message: 'Cancelled.', turns: turn - 1 };
    const request = conversation.request();
    const out = await streamWithRetry(deps.client, request, {
      clock: deps.clock,
      signal,
      ...(deps.retryPolicy ? { policy: deps.retryPolicy } : {}),
      ...(onEvent ? { onEvent } : {}),
      onRetry: (record, decision) =>
        observer?.onRetry?.({ attempt: record.attempt, delayMs: decision.delayMs, reason: decision.reason }),
    });
    meterAttempts(deps.meter, out.attempts, request.model, out.ok ? out.result : undefined);
    if (!out.ok) {
      if (out.decision.kind === 'park') {
        return { kind: 'park', until: out.decision.until, message: out.decision.message, turns: turn };
      }
      return { kind: 'fail', message: out.decision.message, turns: turn };
    }
    const result = out.result;
    observer?.onTurn?.({
      turn,
      stopReason: result.stopReason,
      usage: result.usage,
      model: result.model,
      toolCalls: result.toolCalls.length,
    });

    switch (result.stopReason) {
      case 'tool_use': {
        conversation.addAssistant(result.content);
        const runnable = new Map(result.toolCalls.map((c) => [c.id, c]));
        const rejected = new Map(result.rejectedToolCalls.map((c) => [c.id, c]));
        const answers: UserBlock[] = [];
        for (const block of result.content) {
          if (block.type !== 'tool_use') continue;
          const call = runnable.get(block.id);
          if (call) {
            try {
              answers.push(await deps.tools.execute(call, signal));
            } catch {
              return { kind: 'fail', message: 'Cancelled.', turns: turn };
            }
          } else {
            const r = rejected.get(block.id);
            answers.push(
              r
                ? rejectedToolResult(r)
                : { type: 'tool_result', toolUseId: block.id, isError: true, content: 'This tool call was not run.' },
            );
          }
        }
        conversation.addUser(answers);
        continue;
      }
      case 'end_turn':
      case 'stop_sequence': {
        conversation.addAssistant(result.content);
        conversation.owe(result.rejectedToolCalls.map(rejectedToolResult));
        return { kind: 'done', text: textOf(result), turns: turn };
      }
      case 'max_tokens': {
        conversation.addAssistant(result.content);
        const answers: UserBlock[] = result.rejectedToolCalls.map(rejectedToolResult);
        const cut = result.truncatedToolUse;
        answers.push({
          type: 'text',
          text: cut ? `${CUT_OFF_NOTE} Your ${cut.name} call was incomplete and was not run.` : CUT_OFF_NOTE,
        });
        conversation.addUser(answers);
        continue;
      }
      case 'pause_turn':
        // A long server-side turn paused: send it back unchanged and the model continues it.
        conversation.addAssistant(result.content);
        conversation.owe(result.rejectedToolCalls.map(rejectedToolResult));
        if (conversation.owesResults) conversation.addUser([]);
        continue;
      case 'model_context_window_exceeded':
        return {
          kind: 'fail',
          message:
            "The conversation no longer fits the model's context window. Start the step again (a new round starts a fresh conversation), or reduce the context (CLAUDE.md, PRP references).",
          turns: turn,
        };
      case 'refusal': {
        const why = [result.refusal?.category, result.refusal?.explanation].filter(Boolean).join(': ');
        return { kind: 'fail', message: `The model declined to continue${why ? ` (${why})` : ''}.`, turns: turn };
      }
      default:
        return {
          kind: 'fail',
          message: `The model stopped for a reason this tool does not handle (${result.rawStopReason ?? 'none'}).`,
          turns: turn,
        };
    }
  }
  return {
    kind: 'fail',
    message: `The agent used all ${deps.maxTurns} model turns of this round without finishing. Raise the limit (--max-turns) or split the task.`,
    turns: deps.maxTurns,
  };
}
