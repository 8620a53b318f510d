/**
 * One agent conversation: the fixed part of every request (model, system prompt, tools — all stable, so the
 * prompt cache keeps working) and the growing message list. A conversation lives as long as its step: the
 * `implement` step's next round continues it with the harness's evidence as the next user turn.
 *
 * Messages alternate as the API expects, with one allowance the Messages API documents: consecutive user turns
 * are combined, so a note (a cut-off reply, the next round's feedback) may follow a user turn. tool_results owed
 * for tool_use blocks of the last assistant turn are kept in `owed` and always go first in the next user turn.
 */
import type { AssistantBlock, ModelMessage, ModelRequest, ToolResultBlock, UserBlock } from '../ports/model-client';

export type RequestBase = Omit<ModelRequest, 'messages'>;

export class Conversation {
  readonly messages: ModelMessage[] = [];
  /** tool_results that must open the next user turn (answers to calls of a turn that did not stop for tools). */
  private owed: ToolResultBlock[] = [];
  /** Rounds completed (agent runs on this conversation). */
  rounds = 0;
  /** The engine attempt number of the last round, to recognise the next round of the same step. */
  lastAttempt = 0;

  constructor(
    readonly key: string,
    readonly base: RequestBase,
    /** What the conversation is about (command and arguments), to recognise a continuation. */
    readonly identity: string,
  ) {}

  request(): ModelRequest {
    return { ...this.base, messages: this.messages };
  }

  /** The last message is a user turn the model has not answered yet. */
  get awaitingModel(): boolean {
    return this.messages[this.messages.length - 1]?.role === 'user';
  }

  addUser(blocks: UserBlock[]): void {
    const content = [...this.owed, ...blocks];
    this.owed = [];
    if (content.length === 0) return;
    this.messages.push({ role: 'user', content });
  }

  addAssistant(content: AssistantBlock[]): void {
    if (content.length === 0) return; // an empty assistant turn cannot be sent back
    this.messages.push({ role: 'assistant', content });
  }

  /** Answers that must be sent with the next user turn, whatever it is. */
  owe(results: ToolResultBlock[]): void {
    this.owed.push(...results);
  }

  get owesResults(): boolean {
    return this.owed.length > 0;
  }
}
