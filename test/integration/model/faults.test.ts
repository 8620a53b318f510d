import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { formatClockTime, type RetriedOutcome, streamWithRetry } from '../../../src/core/agent/model-retry';
import { rejectedToolResult, validateToolInput } from '../../../src/core/agent/tool-input';
import type { ModelRequest, ModelStreamEvent, ModelTurnResult } from '../../../src/core/ports/model-client';
import { AnthropicModelClient } from '../../../src/node/anthropic-client';
import { FakeAnthropic, fault, reply } from '../../support/fake-anthropic';
import { type Harness, startHarness, userRequest } from '../../support/model-harness';

/**
 * Every failure the runtime must survive, at the level of one model request: the real SDK against the
 * fake Messages API, through our client and our one retry layer, sleeping on a fake clock.
 */
describe('model request faults (real SDK → fake Messages API → retry layer)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ client: { responseTimeoutMs: 300, idleTimeoutMs: 300 } });
  });
  afterEach(async () => {
    await h.stop();
  });

  const request = userRequest('Fix the failing test.');
  const run = (req: ModelRequest = request, extra: Partial<Parameters<typeof streamWithRetry>[2]> = {}) =>
    streamWithRetry(h.client, req, { clock: h.clock, ...extra });
  const requests = () => h.fake.messageRequests();

  function okResult(out: RetriedOutcome): ModelTurnResult {
    assert.ok(out.ok, out.ok ? '' : `expected success, got ${out.failure.kind}: ${out.failure.message}`);
    return (out as Extract<RetriedOutcome, { ok: true }>).result;
  }
  function failed(out: RetriedOutcome) {
    assert.equal(out.ok, false, 'expected a failure');
    return out as Extract<RetriedOutcome, { ok: false }>;
  }

  describe('429 rate limits', () => {
    it('honours retry-after (seconds) up to the cap: sleeps exactly that long, then retries once', async () => {
      h.fake.enqueue(fault.rateLimited({ retryAfter: 2 }), reply.text('ok'));
      const out = await run();
      assert.equal(okResult(out).content[0]?.type, 'text');
      assert.deepEqual(h.clock.sleeps, [2000]);
      assert.equal(requests().length, 2);
      assert.deepEqual(requests()[1]?.body, requests()[0]?.body, 'the same request is sent again');
      assert.deepEqual(
        requests().map((r) => r.headers['x-stainless-retry-count']),
        ['0', '0'],
        'the SDK itself never retried (one retry layer)',
      );
      assert.equal(out.attempts[0]?.failure?.kind, 'rate_limited');
      assert.equal(out.attempts[0]?.requestId, requests()[0]?.requestId);
    });

    it('prefers retry-after-ms over retry-after', async () => {
      h.fake.enqueue(fault.rateLimited({ retryAfter: 30, retryAfterMs: 1500 }), reply.text('ok'));
      okResult(await run());
      assert.deepEqual(h.clock.sleeps, [1500]);
    });

    it('parks the run when retry-after is over the cap ("waiting until HH:MM"), without sleeping', async () => {
      h.fake.enqueue(fault.rateLimited({ retryAfter: 600 }));
      const out = failed(await run());
      assert.equal(out.decision.kind, 'park');
      const until = h.clock.now() + 600_000;
      assert.deepEqual(out.decision, {
        kind: 'park',
        until,
        reason: 'rate_limited',
        message: `Rate limited by the API: the API asked to wait 10 min; waiting until ${formatClockTime(until)}. (request id ${requests()[0]?.requestId})`,
      });
      assert.deepEqual(h.clock.sleeps, []);
      assert.equal(requests().length, 1);
    });

    it('treats retry-after: 999999999 as implausible and parks until the rate-limit reset, not for 31 years', async () => {
      h.fake.enqueue(fault.rateLimited({ retryAfter: 999999999, resetInMs: 45_000 }));
      const out = failed(await run());
      assert.equal(out.failure.kind === 'rate_limited' && out.failure.retryAfterMs, 999_999_999_000);
      assert.equal(out.decision.kind, 'park');
      assert.equal(out.decision.kind === 'park' && out.decision.until, h.clock.now() + 45_000);
      assert.match(out.decision.message, /which is implausible, so the wait is taken from the rate-limit reset time/);
      assert.deepEqual(h.clock.sleeps, []);
    });

    it('parks on a garbage retry-after: until the reset time if known, else now + the cap', async () => {
      h.fake.enqueue(
        fault.rateLimited({ retryAfter: 'in a bit', resetInMs: 20_000 }),
        fault.rateLimited({ retryAfter: 'soon' }),
      );
      const withReset = failed(await run());
      assert.equal(withReset.failure.kind === 'rate_limited' && withReset.failure.retryAfterRaw, 'in a bit');
      assert.equal(withReset.decision.kind === 'park' && withReset.decision.until, h.clock.now() + 20_000);
      const withoutReset = failed(await run());
      assert.equal(withoutReset.decision.kind === 'park' && withoutReset.decision.until, h.clock.now() + 60_000);
      assert.match(
        withoutReset.decision.message,
        /unreadable retry-after header "soon", so the wait is capped at 60 s/,
      );
      assert.deepEqual(h.clock.sleeps, []);
    });

    it('parks the run when the rate limit outlasts every attempt', async () => {
      h.fake.script(() => fault.rateLimited({ retryAfter: 1 }));
      const out = failed(await run());
      assert.equal(requests().length, 5);
      assert.deepEqual(h.clock.sleeps, [1000, 1000, 1000, 1000]);
      assert.equal(out.decision.kind, 'park');
      assert.match(out.decision.message, /still limited after 5 attempts/);
    });

    it('does not retry a spend-limit 429 and says so clearly, with when access returns', async () => {
      h.fake.enqueue(fault.spendLimit(), reply.text('never sent'));
      const out = failed(await run());
      assert.equal(out.failure.kind, 'spend_limit');
      assert.equal(out.failure.kind === 'spend_limit' && out.failure.code, 'enforced_spend_limit_reached');
      assert.equal(out.failure.kind === 'spend_limit' && out.failure.resumesAt, Date.UTC(2026, 11, 1));
      assert.equal(out.decision.kind, 'fail');
      assert.match(
        out.decision.message,
        /^Anthropic API spend limit reached \(429 enforced_spend_limit_reached: .*\)\. Access returns on 2026-12-01T00:00:00\.000Z\. Not retried: raise the limit/,
      );
      assert.equal(requests().length, 1);
      assert.deepEqual(h.clock.sleeps, []);
    });
  });

  describe('529 overloaded and 500', () => {
    it('retries 529 with capped exponential backoff and full jitter', async () => {
      // the fake clock's random() is 0.5: full jitter over 1 s, then 2 s
      h.fake.enqueue(fault.overloaded(), fault.overloaded(), reply.text('ok'));
      okResult(await run());
      assert.deepEqual(h.clock.sleeps, [500, 1000]);
      assert.equal(requests().length, 3);
    });

    it('retries a 500', async () => {
      h.fake.enqueue(fault.serverError(), reply.text('ok'));
      const out = await run();
      okResult(out);
      assert.equal(out.attempts[0]?.failure?.kind, 'server');
      assert.deepEqual(h.clock.sleeps, [500]);
    });

    it('gives up after the last attempt with a resumable failure', async () => {
      h.fake.script(() => fault.overloaded());
      const out = failed(await run(request, { policy: { maxAttempts: 3 } }));
      assert.equal(requests().length, 3);
      assert.equal(out.decision.kind, 'fail');
      assert.equal(out.decision.kind === 'fail' && out.decision.resumable, true);
      assert.match(
        out.decision.message,
        /^The API stayed overloaded after 3 attempts: The Anthropic API is overloaded \(529 overloaded_error: Overloaded\)\./,
      );
    });

    it('retries an SSE error event (overloaded_error) that arrives mid-stream after a 200', async () => {
      h.fake.enqueue(
        fault.midStreamError(reply.text('A first answer that never finishes.'), { afterEvents: 5 }),
        reply.text('Second try.'),
      );
      const log: string[] = [];
      const out = await run(request, {
        onEvent: (e) => log.push(e.type === 'text_delta' ? e.text : `<${e.type}>`),
        onRetry: (record) =>
          log.push(
            `<retry after ${record.failure?.kind}${record.failure?.kind === 'overloaded' && record.failure.midStream ? ' mid-stream' : ''}>`,
          ),
      });
      assert.deepEqual(okResult(out).content, [{ type: 'text', text: 'Second try.' }]);
      assert.equal(
        log.join(''),
        '<message_start>A first answer that neve<retry after overloaded mid-stream><message_start>Second try.<message_end>',
        'the UI sees the partial text, then the retry (to discard it), then the new turn',
      );
      assert.equal(requests()[0]?.response?.status, 200);
      assert.equal(requests()[0]?.sentEvents?.at(-1)?.event, 'error');
      assert.ok(out.attempts[0]?.usage, 'the failed attempt still reports the tokens it consumed');
    });

    it('retries an api_error SSE event mid-stream as a server error', async () => {
      h.fake.enqueue(
        fault.midStreamError(reply.text('partial'), {
          afterEvents: 3,
          errorType: 'api_error',
          message: 'Internal error',
        }),
        reply.text('ok'),
      );
      const out = await run();
      okResult(out);
      const first = out.attempts[0]?.failure;
      assert.equal(first?.kind, 'server');
      assert.equal(first?.kind === 'server' && first.midStream, true);
    });
  });

  describe('streams cut before message_stop', () => {
    it('hands out no tool call from a cut turn, even one whose block had completed', async () => {
      h.fake.enqueue(
        fault.cutStream(reply.toolUse('write_file', { path: 'src/a.ts', content: 'x' }, { text: 'Writing.' }), {
          afterEvents: -2,
        }),
      );
      const events: ModelStreamEvent[] = [];
      const out = await h.client.stream(request, { onEvent: (e) => events.push(e) });
      assert.equal(out.ok, false);
      if (out.ok) return;
      assert.equal(out.failure.kind, 'stream_interrupted');
      assert.equal(out.failure.kind === 'stream_interrupted' && out.failure.sideEffectFree, true);
      assert.equal(out.failure.kind === 'stream_interrupted' && out.failure.partialText, 'Writing.');
      assert.match(
        out.failure.message,
        /ended before the message was complete \(terminated: other side closed\); no tool call from it was used/,
      );
      assert.ok(
        events.some((e) => e.type === 'tool_use_complete'),
        'the UI saw the block…',
      );
      assert.equal('result' in out, false, '…but there is no result, so nothing can execute it');
    });

    it('retries a side-effect-free cut turn and returns only the new turn’s tool call', async () => {
      h.fake.enqueue(
        fault.cutStream(reply.toolUse('write_file', { path: 'src/a.ts', content: 'old' }), { afterEvents: -2 }),
        reply.toolUse('write_file', { path: 'src/a.ts', content: 'new' }),
      );
      const out = await run();
      const result = okResult(out);
      assert.equal(requests().length, 2);
      assert.deepEqual(
        result.toolCalls.map((c) => c.input.content),
        ['new'],
      );
      assert.equal(out.attempts[0]?.failure?.kind, 'stream_interrupted');
    });

    it('does not retry a cut turn in which a server-side tool had started (not side-effect free)', async () => {
      h.fake.enqueue(fault.cutStream(fault.pauseTurn(), { afterEvents: -2 }), reply.text('never sent'));
      const out = failed(await run());
      assert.equal(out.failure.kind === 'stream_interrupted' && out.failure.sideEffectFree, false);
      assert.equal(out.decision.kind, 'fail');
      assert.match(out.decision.message, /may already have had an effect/);
      assert.equal(requests().length, 1);
    });

    it('times out a stream that goes silent (no events, no pings) and retries it', async () => {
      h.fake.enqueue(fault.hang({ afterEvents: 3 }), reply.text('ok'));
      const out = await run();
      okResult(out);
      const first = out.attempts[0]?.failure;
      assert.equal(first?.kind === 'timeout' && first.phase, 'idle');
      assert.match(first?.message ?? '', /went silent for 300 ms/);
    });

    it('times out a request that never gets a response and retries it', async () => {
      h.fake.enqueue(fault.hang(), reply.text('ok'));
      const out = await run();
      okResult(out);
      const first = out.attempts[0]?.failure;
      assert.equal(first?.kind === 'timeout' && first.phase, 'response');
    });
  });

  describe('tool calls that must not run', () => {
    it('max_tokens in the middle of a tool_use: the partial call is flagged, not executable, not in the history', async () => {
      h.fake.enqueue(
        fault.maxTokensInToolUse(
          'write_file',
          { path: 'src/big.ts', content: 'x'.repeat(200) },
          { text: 'Writing the file.', keepChars: 40 },
        ),
      );
      const result = okResult(await run());
      assert.equal(result.stopReason, 'max_tokens');
      assert.deepEqual(result.toolCalls, []);
      assert.deepEqual(result.content, [{ type: 'text', text: 'Writing the file.' }]);
      assert.equal(result.truncatedToolUse?.name, 'write_file');
      assert.equal(
        result.truncatedToolUse?.partialInput,
        JSON.stringify({ path: 'src/big.ts', content: 'x'.repeat(200) }).slice(0, 40),
      );
      assert.equal(requests().length, 1, 'a max_tokens stop is an answer, not a failure to retry');
    });

    it('max_tokens after one complete call: that call is not run either, and can be answered with an error result', async () => {
      h.fake.enqueue(
        reply.blocks(
          [
            { type: 'tool_use', name: 'read_file', input: { path: 'a.ts' } },
            { type: 'tool_use', name: 'write_file', rawJson: '{"path":"b.ts","content":"unfini' },
          ],
          { stopReason: 'max_tokens' },
        ),
        reply.text('ok'),
      );
      const first = okResult(await run());
      assert.deepEqual(first.toolCalls, []);
      assert.equal(first.rejectedToolCalls[0]?.reason, 'turn_not_tool_use');
      assert.equal(first.truncatedToolUse?.name, 'write_file');
      assert.deepEqual(
        first.content.map((b) => b.type),
        ['tool_use'],
      );
      const next = await run({
        ...request,
        messages: [
          ...request.messages,
          { role: 'assistant', content: first.content },
          { role: 'user', content: first.rejectedToolCalls.map(rejectedToolResult) },
        ],
      });
      okResult(next);
    });

    it('model_context_window_exceeded mid tool_use is treated like max_tokens', async () => {
      h.fake.enqueue({
        ...fault.maxTokensInToolUse('edit_file', { path: 'a.ts', old_text: 'a', new_text: 'b' }),
        stopReason: 'model_context_window_exceeded',
      });
      const result = okResult(await run());
      assert.equal(result.stopReason, 'model_context_window_exceeded');
      assert.deepEqual(result.toolCalls, []);
      assert.equal(result.truncatedToolUse?.name, 'edit_file');
    });

    it('invalid tool JSON: rejected with a message, answered as an is_error tool_result the API accepts', async () => {
      h.fake.enqueue(
        fault.invalidToolJson('read_file', '{"path": "src/a.ts",, }'),
        reply.text('Sorry, retrying properly.'),
      );
      const first = okResult(await run());
      assert.deepEqual(first.toolCalls, []);
      const [rejected] = first.rejectedToolCalls;
      assert.equal(rejected?.reason, 'invalid_json');
      assert.equal(rejected?.rawInput, '{"path": "src/a.ts",, }');
      assert.match(rejected?.message ?? '', /not a valid JSON object .* so the tool was not run/);
      const toolUse = first.content.find((b) => b.type === 'tool_use');
      assert.deepEqual(toolUse && toolUse.type === 'tool_use' && toolUse.input, {});
      okResult(
        await run({
          ...request,
          messages: [
            ...request.messages,
            { role: 'assistant', content: first.content },
            { role: 'user', content: first.rejectedToolCalls.map(rejectedToolResult) },
          ],
        }),
      );
      const sent = requests()[1]?.body.messages[2]?.content as Array<Record<string, unknown>>;
      assert.deepEqual(sent[0], {
        type: 'tool_result',
        tool_use_id: rejected?.id,
        is_error: true,
        content: rejected?.message,
      });
    });

    it('schema-invalid input: delivered uncoerced, refused by zod validation, answered with is_error', async () => {
      h.fake.enqueue(reply.toolUse('read_file', { path: 42, lines: 'all' }), reply.text('ok'));
      const first = okResult(await run());
      const [call] = first.toolCalls;
      assert.ok(call);
      assert.deepEqual(call.input, { path: 42, lines: 'all' });
      const checked = validateToolInput(call, z.object({ path: z.string(), lines: z.number().optional() }).strict());
      assert.equal(checked.ok, false);
      if (checked.ok) return;
      assert.match(String(checked.result.content), /path: .*expected string.*lines: .*expected number/);
      okResult(
        await run({
          ...request,
          messages: [
            ...request.messages,
            { role: 'assistant', content: first.content },
            { role: 'user', content: [checked.result] },
          ],
        }),
      );
      const sent = requests()[1]?.body.messages[2]?.content as Array<Record<string, unknown>>;
      assert.equal(sent[0]?.is_error, true);
    });
  });

  describe('stop reasons', () => {
    it('refusal: reported with its category and explanation, nothing executable, not retried', async () => {
      h.fake.enqueue(fault.refusal('I can’t help with that.', 'cyber', 'Exploit development.'));
      const out = await run();
      const result = okResult(out);
      assert.equal(result.stopReason, 'refusal');
      assert.deepEqual(result.refusal, { category: 'cyber', explanation: 'Exploit development.' });
      assert.deepEqual(result.toolCalls, []);
      assert.equal(out.attempts.length, 1);
    });

    it('pause_turn: the paused content (with its server tool block) is sent back verbatim to continue', async () => {
      h.fake.enqueue(fault.pauseTurn('Searching the docs.'), reply.text('Found it.'));
      const paused = okResult(await run());
      assert.equal(paused.stopReason, 'pause_turn');
      assert.deepEqual(paused.toolCalls, []);
      const server = paused.content.find((b) => b.type === 'provider');
      assert.equal(server?.type === 'provider' && server.raw.type, 'server_tool_use');
      const resumed = okResult(
        await run({ ...request, messages: [...request.messages, { role: 'assistant', content: paused.content }] }),
      );
      assert.deepEqual(resumed.content, [{ type: 'text', text: 'Found it.' }]);
      const sentBack = requests()[1]?.body.messages[1]?.content as Array<Record<string, unknown>>;
      assert.deepEqual(sentBack[1], {
        type: 'server_tool_use',
        id: server?.type === 'provider' ? server.raw.id : undefined,
        name: 'web_search',
        input: { query: 'context forge' },
      });
    });
  });

  describe('requests that must fail at once', () => {
    it('401 with an invalid key: not retried, the message names the variable to fix', async () => {
      const client = new AnthropicModelClient({
        apiKey: 'sk-ant-wrong',
        apiKeySource: 'ANTHROPIC_API_KEY',
        baseURL: h.fake.baseURL,
      });
      const out = failed(await streamWithRetry(client, request, { clock: h.clock }));
      assert.equal(out.failure.kind, 'auth');
      assert.equal(out.decision.kind, 'fail');
      assert.equal(
        out.decision.message,
        `The Anthropic API rejected the API key from ANTHROPIC_API_KEY (401 authentication_error: invalid x-api-key). Check the key in the Claude Console and set ANTHROPIC_API_KEY again. (request id ${requests()[0]?.requestId})`,
      );
      assert.equal(requests().length, 1);
    });

    it('a prompt that no longer fits: invalid request, not retried, not resumable as is', async () => {
      h.fake.enqueue(fault.invalidRequest('prompt is too long: 1000211 tokens > 1000000 maximum'));
      const out = failed(await run());
      assert.equal(out.failure.kind === 'invalid_request' && out.failure.reason, 'prompt_too_long');
      assert.equal(out.decision.kind === 'fail' && out.decision.resumable, false);
      assert.equal(requests().length, 1);
    });

    it('cancellation during a request: aborted, not retried', async () => {
      h.fake.enqueue(fault.hang({ afterEvents: 4 }));
      const controller = new AbortController();
      const out = failed(
        await run(request, {
          signal: controller.signal,
          onEvent: (e) => {
            if (e.type === 'text_delta') controller.abort();
          },
        }),
      );
      assert.equal(out.failure.kind, 'aborted');
      assert.deepEqual(out.decision, { kind: 'fail', resumable: true, message: 'Cancelled.' });
      assert.equal(requests().length, 1);
    });

    it('an unreachable API: connection errors are retried, then reported', async () => {
      const dead = await FakeAnthropic.start();
      const baseURL = dead.baseURL;
      await dead.stop();
      const client = new AnthropicModelClient({ apiKey: 'k', baseURL });
      const out = failed(await streamWithRetry(client, request, { clock: h.clock, policy: { maxAttempts: 3 } }));
      assert.equal(out.failure.kind, 'connection');
      assert.equal(out.attempts.length, 3);
      assert.equal(h.clock.sleeps.length, 2);
      assert.match(
        out.decision.message,
        /^Could not reach the API after 3 attempts: Could not reach the Anthropic API at http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\)/,
      );
    });
  });
});
