/** The fake Anthropic Messages API for tests: see `server.ts` (usage), `replies.ts` (builders), `accounting.ts` (tokens, caching). */
export { type Accounting, approxTokens, countPromptTokens, PromptCache, promptPieces } from './accounting';
export { type BlockSpec, fault, type MessageReply, type Reply, reply, type StreamShape } from './replies';
export {
  apiKeyOf,
  FakeAnthropic,
  type FakeAnthropicOptions,
  type MessagesBody,
  type RecordedRequest,
  type ScriptFn,
} from './server';
