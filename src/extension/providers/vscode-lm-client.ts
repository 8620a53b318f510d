/**
 * The `vscode-lm` provider: the model-client port over a chat model installed in VS Code (`vscode.lm`). Offered
 * only when `vscode.lm.selectChatModels` returns a model; selected as part of a user action (consent).
 *
 * `vscode.lm` has no system role, so the system prompt is the first user message; it reports no token usage, so
 * usage is the model's own `countTokens` of what was sent and received (no price is known: cost stays unknown,
 * never $0). A tool call is executable only when the response ended normally and its input is an object.
 */
import * as vscode from 'vscode';
import type {
  AssistantBlock,
  ModelCallOptions,
  ModelClient,
  ModelFailure,
  ModelMessage,
  ModelOutcome,
  ModelRequest,
  ToolCall,
} from '../../core/ports/model-client';

/** The chat models VS Code offers (empty when none is installed or none matches `family`). */
export async function availableChatModels(family?: string): Promise<vscode.LanguageModelChat[]> {
  try {
    return await vscode.lm.selectChatModels(family ? { family } : {});
  } catch {
    return [];
  }
}

function toLmMessages(request: ModelRequest): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  const system = typeof request.system === 'string' ? request.system : request.system?.map((b) => b.text).join('\n');
  if (system) out.push(vscode.LanguageModelChatMessage.User(`Instructions for this session:\n${system}`));
  for (const m of request.messages) out.push(toLmMessage(m));
  return out;
}

function toLmMessage(m: ModelMessage): vscode.LanguageModelChatMessage {
  if (m.role === 'user') {
    if (typeof m.content === 'string') return vscode.LanguageModelChatMessage.User(m.content);
    const parts = m.content.map((b) =>
      b.type === 'text'
        ? new vscode.LanguageModelTextPart(b.text)
        : new vscode.LanguageModelToolResultPart(b.toolUseId, [
            new vscode.LanguageModelTextPart(
              `${b.isError ? 'ERROR: ' : ''}${typeof b.content === 'string' ? b.content : b.content.map((t) => t.text).join('\n')}`,
            ),
          ]),
    );
    return vscode.LanguageModelChatMessage.User(parts);
  }
  const parts: Array<vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart> = [];
  for (const b of m.content) {
    if (b.type === 'text') parts.push(new vscode.LanguageModelTextPart(b.text));
    else if (b.type === 'tool_use') parts.push(new vscode.LanguageModelToolCallPart(b.id, b.name, b.input));
  }
  return vscode.LanguageModelChatMessage.Assistant(parts);
}

function failureOf(err: unknown, aborted: boolean): ModelFailure {
  if (aborted || err instanceof vscode.CancellationError) return { kind: 'aborted', message: 'cancelled' };
  if (err instanceof vscode.LanguageModelError) {
    const message = `VS Code chat model: ${err.message} (${err.code})`;
    if (err.code === vscode.LanguageModelError.NoPermissions.name) return { kind: 'auth', message };
    if (err.code === vscode.LanguageModelError.NotFound.name)
      return { kind: 'invalid_request', reason: 'not_found', message };
    if (err.code === vscode.LanguageModelError.Blocked.name) return { kind: 'rate_limited', message };
    return { kind: 'server', midStream: false, message };
  }
  return { kind: 'connection', message: `VS Code chat model failed: ${(err as Error)?.message ?? String(err)}` };
}

export class VscodeLmClient implements ModelClient {
  readonly provider = 'vscode-lm';

  constructor(private readonly model: vscode.LanguageModelChat) {}

  async stream(request: ModelRequest, options: ModelCallOptions = {}): Promise<ModelOutcome> {
    const source = new vscode.CancellationTokenSource();
    const onAbort = (): void => source.cancel();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const messages = toLmMessages(request);
    try {
      const response = await this.model.sendRequest(
        messages,
        {
          justification: 'Context Forge runs an agent step of your workflow with this model.',
          ...(request.tools?.length
            ? {
                tools: request.tools.map((t) => ({
                  name: t.name,
                  description: t.description,
                  inputSchema: t.inputSchema as object,
                })),
                toolMode:
                  request.toolChoice?.type === 'any' || request.toolChoice?.type === 'tool'
                    ? vscode.LanguageModelChatToolMode.Required
                    : vscode.LanguageModelChatToolMode.Auto,
              }
            : {}),
        },
        source.token,
      );
      options.onEvent?.({ type: 'message_start', model: this.model.id });
      let text = '';
      const calls: ToolCall[] = [];
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) {
          text += part.value;
          options.onEvent?.({ type: 'text_delta', index: 0, text: part.value });
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          calls.push({ id: part.callId, name: part.name, input: part.input as Record<string, unknown> });
        }
      }
      const content: AssistantBlock[] = [];
      if (text) content.push({ type: 'text', text });
      const valid = calls.filter((c) => c.input !== null && typeof c.input === 'object' && !Array.isArray(c.input));
      for (const c of valid) content.push({ type: 'tool_use', id: c.id, name: c.name, input: c.input });
      const rejected = calls
        .filter((c) => !valid.includes(c))
        .map((c) => ({
          id: c.id,
          name: c.name,
          reason: 'invalid_json' as const,
          rawInput: JSON.stringify(c.input) ?? '',
          message: 'the tool input must be a JSON object',
        }));
      for (const r of rejected) content.push({ type: 'tool_use', id: r.id, name: r.name, input: {} });
      const inputTokens = await this.count(messages, source.token);
      const outputTokens = text ? await this.model.countTokens(text, source.token).then(Number, () => 0) : 0;
      const usage = { inputTokens, outputTokens, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
      const stopReason = calls.length > 0 ? 'tool_use' : 'end_turn';
      options.onEvent?.({ type: 'message_end', stopReason, usage });
      return {
        ok: true,
        result: {
          model: this.model.id,
          stopReason,
          rawStopReason: null,
          content,
          toolCalls: valid,
          rejectedToolCalls: rejected,
          usage,
        },
      };
    } catch (err) {
      return { ok: false, failure: failureOf(err, Boolean(options.signal?.aborted)) };
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      source.dispose();
    }
  }

  private async count(messages: vscode.LanguageModelChatMessage[], token: vscode.CancellationToken): Promise<number> {
    let total = 0;
    for (const m of messages) total += await this.model.countTokens(m, token).then(Number, () => 0);
    return total;
  }
}
