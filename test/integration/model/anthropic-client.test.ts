import * as assert from 'node:assert/strict';
import { costOf } from '../../../src/core/agent/cost';
import type { ModelRequest, ModelStreamEvent, ToolResultBlock } from '../../../src/core/ports/model-client';
import { AnthropicModelClient } from '../../../src/node/anthropic-client';
import { resolveAnthropicApiKey } from '../../../src/node/anthropic-credentials';
import { apiKeyOf, approxTokens, countPromptTokens, reply } from '../../support/fake-anthropic';
import { type Harness, MODEL, startHarness, userRequest } from '../../support/model-harness';

/** The real @anthropic-ai/sdk, through our client, against the fake Messages API on 127.0.0.1. */
describe('Anthropic client (real SDK → fake Messages API)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  const collect = () => {
    const events: ModelStreamEvent[] = [];
    return { events, onEvent: (e: ModelStreamEvent) => events.push(e) };
  };

  it('streams a plain text turn: deltas, final content, stop reason, request id, usage', async () => {
    h.fake.enqueue(reply.text('The tests pass now. Nothing else to change.'));
    const { events, onEvent } = collect();
    const out = await h.client.stream(userRequest('Are we done?', { system: 'Be brief.' }), { onEvent });
    assert.ok(out.ok);
    if (!out.ok) return;
    const r = out.result;
    const [rec] = h.fake.messageRequests();
    assert.deepEqual(r.content, [{ type: 'text', text: 'The tests pass now. Nothing else to change.' }]);
    assert.equal(r.stopReason, 'end_turn');
    assert.equal(r.model, MODEL);
    assert.equal(r.requestId, rec?.requestId);
    assert.deepEqual(r.toolCalls, []);
    const deltas = events.filter((e) => e.type === 'text_delta');
    assert.ok(deltas.length > 1, 'text arrived in several deltas');
    assert.equal(
      deltas.map((e) => (e.type === 'text_delta' ? e.text : '')).join(''),
      r.content[0]?.type === 'text' ? r.content[0].text : '',
    );
    assert.deepEqual([events[0]?.type, events.at(-1)?.type], ['message_start', 'message_end']);
    assert.deepEqual(r.usage, {
      inputTokens: approxTokens('Be brief.') + approxTokens('Are we done?'),
      outputTokens: approxTokens('The tests pass now. Nothing else to change.'),
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
      cacheCreation: { ephemeral5mInputTokens: 0, ephemeral1hInputTokens: 0 },
    });
  });

  it('sends the request the API expects: key, version, streaming body, system, tools with schemas and cache markers', async () => {
    h.fake.enqueue(reply.text('ok'));
    const request: ModelRequest = {
      model: MODEL,
      maxTokens: 2048,
      system: [{ type: 'text', text: 'You are careful.', cache: { ttl: '1h' } }],
      tools: [
        {
          name: 'read_file',
          description: 'Read a file.',
          inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
          cache: {},
        },
      ],
      toolChoice: { type: 'auto' },
      stopSequences: ['</done>'],
      autoCache: {},
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    };
    const out = await h.client.stream(request);
    assert.ok(out.ok);
    const [rec] = h.fake.messageRequests();
    assert.ok(rec);
    assert.equal(apiKeyOf(rec), h.fake.apiKey);
    assert.equal(rec.headers.authorization, `Bearer ${h.fake.apiKey}`);
    assert.ok(rec.headers['anthropic-version'], 'anthropic-version header sent');
    assert.equal(rec.headers['x-stainless-retry-count'], '0');
    assert.deepEqual(rec.body, {
      model: MODEL,
      max_tokens: 2048,
      stream: true,
      system: [{ type: 'text', text: 'You are careful.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      tools: [
        {
          name: 'read_file',
          description: 'Read a file.',
          input_schema: { type: 'object', properties: { path: { type: 'string' } } },
          cache_control: { type: 'ephemeral' },
        },
      ],
      tool_choice: { type: 'auto' },
      stop_sequences: ['</done>'],
      cache_control: { type: 'ephemeral' },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    assert.equal('temperature' in rec.body, false, 'no temperature unless asked for');
    h.fake.enqueue(reply.text('ok'));
    await h.client.stream(userRequest('x', { temperature: 0.2 }));
    assert.equal(h.fake.messageRequests()[1]?.body.temperature, 0.2);
  });

  it('streams a tool call whose JSON input arrives in several input_json_delta pieces, and hands it out complete', async () => {
    const input = { path: 'src/core/agent/model-retry.ts', reason: 'read the retry layer before changing it' };
    h.fake.enqueue(reply.toolUse('read_file', input, { text: 'Reading the retry layer.' }));
    const { events, onEvent } = collect();
    const out = await h.client.stream(userRequest('Look at the retry layer.'), { onEvent });
    assert.ok(out.ok);
    if (!out.ok) return;
    const sent = h.fake.messageRequests()[0]?.sentEvents ?? [];
    const pieces = sent.filter((e) => (e.data.delta as { type?: string } | undefined)?.type === 'input_json_delta');
    assert.ok(pieces.length >= 5, `input arrived in ${pieces.length} pieces`);
    assert.equal(out.result.stopReason, 'tool_use');
    assert.equal(out.result.toolCalls.length, 1);
    assert.deepEqual(out.result.toolCalls[0]?.input, input);
    assert.equal(out.result.toolCalls[0]?.name, 'read_file');
    assert.match(out.result.toolCalls[0]?.id ?? '', /^toolu_/);
    assert.deepEqual(out.result.content[1], {
      type: 'tool_use',
      id: out.result.toolCalls[0]?.id,
      name: 'read_file',
      input,
    });
    const complete = events.filter((e) => e.type === 'tool_use_complete');
    assert.equal(complete.length, 1, 'one display event, once the block is complete');
  });

  it('handles multi-block turns (thinking, text, two tool calls) and a full tool round trip', async () => {
    h.fake.enqueue(
      reply.blocks([
        { type: 'thinking', thinking: 'Two files matter here.', signature: 'c2lnbmF0dXJl' },
        { type: 'text', text: 'I will read both files.' },
        { type: 'tool_use', name: 'read_file', input: { path: 'a.ts' } },
        { type: 'tool_use', name: 'read_file', input: { path: 'b.ts' } },
      ]),
      reply.text('Both files are fine.'),
    );
    const request = userRequest('Check a.ts and b.ts.');
    const first = await h.client.stream(request);
    assert.ok(first.ok);
    if (!first.ok) return;
    assert.deepEqual(
      first.result.content.map((b) => b.type),
      ['thinking', 'text', 'tool_use', 'tool_use'],
    );
    assert.deepEqual(
      first.result.toolCalls.map((c) => c.input.path),
      ['a.ts', 'b.ts'],
    );
    const results: ToolResultBlock[] = first.result.toolCalls.map((c) => ({
      type: 'tool_result',
      toolUseId: c.id,
      content: `contents of ${String(c.input.path)}`,
    }));
    const second = await h.client.stream({
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: first.result.content },
        { role: 'user', content: results },
      ],
    });
    assert.ok(second.ok, 'the fake accepted the tool_result pairing');
    const sentBack = h.fake.messageRequests()[1]?.body.messages[1]?.content as Array<Record<string, unknown>>;
    assert.deepEqual(sentBack[0], { type: 'thinking', thinking: 'Two files matter here.', signature: 'c2lnbmF0dXJl' });
    const resultsSent = h.fake.messageRequests()[1]?.body.messages[2]?.content as Array<Record<string, unknown>>;
    assert.deepEqual(
      resultsSent.map((b) => [b.type, b.tool_use_id]),
      first.result.toolCalls.map((c) => ['tool_result', c.id]),
    );
  });

  it('reports usage from the response and prices it with the shipped table', async () => {
    h.fake.enqueue(reply.text('x'.repeat(4000)));
    const out = await h.client.stream(userRequest('y'.repeat(40_000)));
    assert.ok(out.ok);
    if (!out.ok) return;
    const acc = h.fake.messageRequests()[0]?.accounting;
    assert.equal(out.result.usage.inputTokens, acc?.inputTokens);
    assert.equal(out.result.usage.inputTokens, 10_000);
    assert.equal(out.result.usage.outputTokens, 1_000);
    const cost = costOf(out.result.model, out.result.usage);
    assert.ok(cost.known);
    if (cost.known) {
      assert.equal(cost.pricedAs, 'claude-sonnet-5-5');
      assert.ok(Math.abs(cost.usd - (10_000 * 2 + 1_000 * 10) / 1_000_000) < 1e-12);
    }
  });

  it('counts tokens with the count_tokens endpoint', async () => {
    const request = userRequest('How many tokens is this?', { system: 'Count me too.' });
    const counted = await h.client.countTokens(request);
    assert.deepEqual(counted, { ok: true, inputTokens: countPromptTokens(h.fake.requests[0]!.body) });
    assert.equal(h.fake.requests[0]?.path, '/v1/messages/count_tokens');
  });

  it('uses only the key and base URL it was given, never ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL from the process', async () => {
    const saved = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };
    process.env.ANTHROPIC_API_KEY = 'sk-from-process-env';
    process.env.ANTHROPIC_BASE_URL = 'http://127.0.0.1:9';
    try {
      const resolved = resolveAnthropicApiKey({ CLAUDE_API_KEY: h.fake.apiKey });
      assert.ok(resolved);
      const client = new AnthropicModelClient({
        apiKey: resolved.apiKey,
        apiKeySource: resolved.source,
        baseURL: h.fake.baseURL,
      });
      h.fake.enqueue(reply.text('ok'));
      const out = await client.stream(userRequest('hi'));
      assert.ok(out.ok);
      assert.equal(apiKeyOf(h.fake.messageRequests()[0]!), h.fake.apiKey);
    } finally {
      if (saved.key === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved.key;
      if (saved.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
      else process.env.ANTHROPIC_BASE_URL = saved.url;
    }
  });
});
