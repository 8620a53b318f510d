/**
 * Renders a scripted `MessageReply` the way the Messages API sends it: a JSON `Message`, or the SSE
 * event sequence message_start → ping → (content_block_start → content_block_delta… → content_block_stop)…
 * → message_delta → message_stop.
 */
import { type Accounting, approxTokens } from './accounting';
import type { BlockSpec, MessageReply } from './replies';

export interface WireEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface RenderContext {
  model: string;
  messageId: string;
  accounting: Accounting;
  /** A fresh id for a tool_use block (`toolu_…`) or a server tool block (`srvtoolu_…`). */
  newId: (prefix: string) => string;
}

function chunks(text: string, size: number): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

function toolJson(block: Extract<BlockSpec, { type: 'tool_use' | 'server_tool_use' }>): string {
  if (block.type === 'tool_use' && block.rawJson !== undefined) return block.rawJson;
  return JSON.stringify(block.input ?? {});
}

export function outputTokensOf(reply: MessageReply): number {
  if (reply.outputTokens !== undefined) return reply.outputTokens;
  let n = 0;
  for (const b of reply.content) {
    if (b.type === 'text') n += approxTokens(b.text);
    else if (b.type === 'thinking') n += approxTokens(b.thinking);
    else n += approxTokens(b.name) + approxTokens(toolJson(b));
  }
  return Math.max(1, n);
}

function usageOf(acc: Accounting, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: acc.inputTokens,
    cache_creation_input_tokens: acc.cacheCreationInputTokens,
    cache_read_input_tokens: acc.cacheReadInputTokens,
    cache_creation: acc.cacheCreation,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

interface ResolvedBlock {
  spec: BlockSpec;
  id?: string;
}

function resolveIds(reply: MessageReply, ctx: RenderContext): ResolvedBlock[] {
  return reply.content.map((spec) => {
    if (spec.type === 'tool_use') return { spec, id: spec.id ?? ctx.newId('toolu') };
    if (spec.type === 'server_tool_use') return { spec, id: spec.id ?? ctx.newId('srvtoolu') };
    return { spec };
  });
}

function parsedInput(json: string): unknown {
  try {
    const v = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/** The non-streaming body (a tool_use whose JSON does not parse is reported with `input: {}`). */
export function renderJson(reply: MessageReply, ctx: RenderContext): Record<string, unknown> {
  const content = resolveIds(reply, ctx).map(({ spec, id }): Record<string, unknown> => {
    if (spec.type === 'text') return { type: 'text', text: spec.text };
    if (spec.type === 'thinking')
      return { type: 'thinking', thinking: spec.thinking, signature: spec.signature ?? 'sig_fake' };
    return { type: spec.type, id, name: spec.name, input: parsedInput(toolJson(spec)) };
  });
  return {
    id: ctx.messageId,
    type: 'message',
    role: 'assistant',
    model: reply.model ?? ctx.model,
    content,
    stop_reason: reply.stopReason,
    stop_sequence: reply.stopSequence ?? null,
    stop_details: reply.stopDetails ?? null,
    usage: usageOf(ctx.accounting, outputTokensOf(reply)),
  };
}

/** The full, unbroken SSE event sequence (faults are applied by the server while sending). */
export function renderEvents(reply: MessageReply, ctx: RenderContext): WireEvent[] {
  const shape = reply.stream ?? {};
  const textChunk = Math.max(1, shape.textChunk ?? 12);
  const jsonChunk = Math.max(1, shape.jsonChunk ?? 9);
  const events: WireEvent[] = [];
  const output = outputTokensOf(reply);
  events.push({
    event: 'message_start',
    data: {
      type: 'message_start',
      message: {
        id: ctx.messageId,
        type: 'message',
        role: 'assistant',
        model: reply.model ?? ctx.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        usage: usageOf(ctx.accounting, 1),
      },
    },
  });
  if (shape.ping !== false) events.push({ event: 'ping', data: { type: 'ping' } });

  resolveIds(reply, ctx).forEach(({ spec, id }, index) => {
    const delta = (d: Record<string, unknown>) =>
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: d } });
    const start = (block: Record<string, unknown>) =>
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: block } });
    switch (spec.type) {
      case 'text':
        start({ type: 'text', text: '' });
        for (const c of chunks(spec.text, textChunk)) delta({ type: 'text_delta', text: c });
        break;
      case 'thinking':
        start({ type: 'thinking', thinking: '', signature: '' });
        for (const c of chunks(spec.thinking, textChunk)) delta({ type: 'thinking_delta', thinking: c });
        delta({ type: 'signature_delta', signature: spec.signature ?? 'sig_fake' });
        break;
      case 'tool_use':
      case 'server_tool_use':
        start({ type: spec.type, id, name: spec.name, input: {} });
        for (const c of chunks(toolJson(spec), jsonChunk)) delta({ type: 'input_json_delta', partial_json: c });
        break;
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });

  events.push({
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: {
        stop_reason: reply.stopReason,
        stop_sequence: reply.stopSequence ?? null,
        stop_details: reply.stopDetails ?? null,
      },
      usage: {
        input_tokens: ctx.accounting.inputTokens,
        cache_creation_input_tokens: ctx.accounting.cacheCreationInputTokens,
        cache_read_input_tokens: ctx.accounting.cacheReadInputTokens,
        output_tokens: output,
      },
    },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return events;
}

export function sseFrame(e: WireEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}
