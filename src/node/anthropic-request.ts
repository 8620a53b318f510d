/** Port request → Anthropic Messages API request body (`@anthropic-ai/sdk` param types). */
import type {
  ToolChoice as AnthropicToolChoice,
  CacheControlEphemeral,
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type {
  AssistantBlock,
  CacheMarker,
  ModelMessage,
  ModelRequest,
  TextBlock,
  ToolChoice,
  UserBlock,
} from '../core/ports/model-client';

function cacheControl(marker: CacheMarker | undefined): { cache_control?: CacheControlEphemeral } {
  if (!marker) return {};
  return { cache_control: marker.ttl ? { type: 'ephemeral', ttl: marker.ttl } : { type: 'ephemeral' } };
}

function textParam(block: TextBlock): TextBlockParam {
  return { type: 'text', text: block.text, ...cacheControl(block.cache) };
}

function blockParam(block: AssistantBlock | UserBlock): ContentBlockParam {
  switch (block.type) {
    case 'text':
      return textParam(block);
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input, ...cacheControl(block.cache) };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: block.toolUseId,
        content: typeof block.content === 'string' ? block.content : block.content.map(textParam),
        ...(block.isError ? { is_error: true } : {}),
        ...cacheControl(block.cache),
      };
    case 'thinking':
      return { type: 'thinking', thinking: block.thinking, signature: block.signature };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'provider':
      if (block.provider !== 'anthropic') {
        throw new Error(`cannot send a ${block.provider} block to the Anthropic API`);
      }
      return block.raw as unknown as ContentBlockParam;
  }
}

function messageParam(message: ModelMessage): MessageParam {
  if (message.role === 'user') {
    return {
      role: 'user',
      content: typeof message.content === 'string' ? message.content : message.content.map(blockParam),
    };
  }
  return { role: 'assistant', content: message.content.map(blockParam) };
}

function toolChoiceParam(choice: ToolChoice): AnthropicToolChoice {
  return choice.type === 'tool' ? { type: 'tool', name: choice.name } : { type: choice.type };
}

/** The streaming request body. `temperature` is sent only when set (newer models reject non-default values). */
export function toAnthropicParams(request: ModelRequest): MessageCreateParamsStreaming {
  const params: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: request.messages.map(messageParam),
    stream: true,
  };
  if (request.system !== undefined) {
    params.system = typeof request.system === 'string' ? request.system : request.system.map(textParam);
  }
  if (request.tools && request.tools.length > 0) {
    params.tools = request.tools.map(
      (t): Tool => ({
        name: t.name,
        description: t.description,
        input_schema: t.inputSchema as Tool['input_schema'],
        ...cacheControl(t.cache),
      }),
    );
  }
  if (request.toolChoice) params.tool_choice = toolChoiceParam(request.toolChoice);
  if (request.stopSequences && request.stopSequences.length > 0) params.stop_sequences = request.stopSequences;
  if (request.autoCache) params.cache_control = cacheControl(request.autoCache).cache_control;
  if (request.temperature !== undefined) {
    // Not in the SDK's 1.x param types (current models only accept the default), but still accepted by older models.
    (params as MessageCreateParamsStreaming & { temperature?: number }).temperature = request.temperature;
  }
  return params;
}
