import * as assert from 'node:assert/strict';
import type { ModelStreamEvent } from '../../../src/core/ports/model-client';
import { AnthropicTurnAssembler, parseToolInput } from '../../../src/node/anthropic-stream';

function feed(events: Array<Record<string, unknown>>) {
  const seen: ModelStreamEvent[] = [];
  const turn = new AnthropicTurnAssembler((e) => seen.push(e));
  for (const e of events) turn.handle(e);
  return { turn, seen };
}

const start = { type: 'message_start', message: { model: 'm', usage: { input_tokens: 5, output_tokens: 1 } } };
const block = (index: number, content_block: Record<string, unknown>) => ({
  type: 'content_block_start',
  index,
  content_block,
});
const delta = (index: number, d: Record<string, unknown>) => ({ type: 'content_block_delta', index, delta: d });
const stop = (index: number) => ({ type: 'content_block_stop', index });
const end = (stop_reason: string) => [
  { type: 'message_delta', delta: { stop_reason }, usage: { output_tokens: 9 } },
  { type: 'message_stop' },
];

describe('Anthropic turn assembly', () => {
  it('parses tool input: empty means {}, arrays and scalars are not objects', () => {
    assert.deepEqual(parseToolInput(''), { ok: true, value: {} });
    assert.equal(parseToolInput('[1]').ok, false);
    assert.equal(parseToolInput('"x"').ok, false);
    assert.equal(parseToolInput('{"a":').ok, false);
  });

  it('keeps thinking with its signature, ignores unknown events and deltas, and takes the last usage', () => {
    const { turn, seen } = feed([
      start,
      { type: 'some_future_event', foo: 1 },
      block(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'Let me ' }),
      delta(0, { type: 'thinking_delta', thinking: 'see.' }),
      delta(0, { type: 'signature_delta', signature: 'c2ln' }),
      delta(0, { type: 'citations_delta', citation: {} }),
      stop(0),
      block(1, { type: 'tool_use', id: 'toolu_1', name: 'list_dir', input: {} }),
      stop(1),
      ...end('tool_use'),
    ]);
    const r = turn.result();
    assert.deepEqual(r.content, [
      { type: 'thinking', thinking: 'Let me see.', signature: 'c2ln' },
      { type: 'tool_use', id: 'toolu_1', name: 'list_dir', input: {} },
    ]);
    assert.deepEqual(r.toolCalls, [{ id: 'toolu_1', name: 'list_dir', input: {} }]);
    assert.equal(r.usage.outputTokens, 9);
    assert.equal(r.usage.inputTokens, 5);
    assert.deepEqual(
      seen.map((e) => e.type),
      ['message_start', 'thinking_delta', 'thinking_delta', 'tool_use_complete', 'message_end'],
    );
  });

  it('refuses to produce a result before message_stop', () => {
    const { turn } = feed([start, block(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'hi' })]);
    assert.equal(turn.finished, false);
    assert.equal(turn.partialText(), 'hi');
    assert.throws(() => turn.result(), /has not finished/);
  });

  it('never makes a tool call executable under an unknown stop reason', () => {
    const { turn } = feed([
      start,
      block(0, { type: 'tool_use', id: 't', name: 'x', input: {} }),
      delta(0, { type: 'input_json_delta', partial_json: '{"a":1}' }),
      stop(0),
      ...end('brand_new_reason'),
    ]);
    const r = turn.result();
    assert.equal(r.stopReason, 'other');
    assert.equal(r.rawStopReason, 'brand_new_reason');
    assert.deepEqual(r.toolCalls, []);
    assert.equal(r.rejectedToolCalls[0]?.reason, 'turn_not_tool_use');
  });

  it('ignores events after message_stop', () => {
    const { turn } = feed([
      start,
      block(0, { type: 'text', text: 'a' }),
      stop(0),
      ...end('end_turn'),
      block(1, { type: 'text', text: 'late' }),
    ]);
    assert.deepEqual(turn.result().content, [{ type: 'text', text: 'a' }]);
  });
});
