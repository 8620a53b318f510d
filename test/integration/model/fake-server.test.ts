import * as assert from 'node:assert/strict';
import { FakeAnthropic, fault, reply } from '../../support/fake-anthropic';

/** The fake Messages API itself, spoken to with plain fetch (no SDK), so its wire format is pinned down. */
describe('fake Messages API over HTTP', () => {
  let fake: FakeAnthropic;
  beforeEach(async () => {
    fake = await FakeAnthropic.start({ apiKey: 'sk-test' });
  });
  afterEach(async () => {
    await fake.stop();
  });

  const post = (body: unknown, headers: Record<string, string> = {}, path = '/v1/messages') =>
    fetch(`${fake.baseURL}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'sk-test',
        'anthropic-version': '2023-06-01',
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const minimal = { model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

  /** Parses an SSE body into `[event, data]` pairs. */
  async function sse(res: Response): Promise<Array<[string, Record<string, unknown>]>> {
    const text = await res.text();
    return text
      .split('\n\n')
      .filter(Boolean)
      .map((frame) => {
        const event = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
        const data = JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? '{}');
        return [event, data];
      });
  }

  it('listens on 127.0.0.1 with a random port', () => {
    assert.match(fake.baseURL, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('streams message_start, ping, block start/deltas/stop, message_delta, message_stop with API-like headers', async () => {
    fake.enqueue(
      reply.toolUse('read_file', { path: 'src/some/long/path/name.ts' }, { text: 'Let me look at the file first.' }),
    );
    const res = await post({ ...minimal, stream: true });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(res.headers.get('request-id') ?? '', /^req_/);
    assert.equal(res.headers.get('anthropic-ratelimit-requests-limit'), '1000');
    const events = await sse(res);
    const names = events.map(([e]) => e);
    assert.deepEqual(names.slice(0, 3), ['message_start', 'ping', 'content_block_start']);
    assert.deepEqual(names.slice(-2), ['message_delta', 'message_stop']);
    for (const [event, data] of events) assert.equal(data.type, event, 'data.type mirrors the event name');
    const json = events
      .filter(([, d]) => (d.delta as { type?: string } | undefined)?.type === 'input_json_delta')
      .map(([, d]) => (d.delta as { partial_json: string }).partial_json);
    assert.ok(json.length > 2, `tool input arrives in several pieces (${json.length})`);
    assert.deepEqual(JSON.parse(json.join('')), { path: 'src/some/long/path/name.ts' });
    const texts = events.filter(([, d]) => (d.delta as { type?: string } | undefined)?.type === 'text_delta');
    assert.ok(texts.length > 1, 'text arrives in several deltas');
    const delta = events.find(([e]) => e === 'message_delta')![1] as {
      delta: { stop_reason: string };
      usage: { output_tokens: number };
    };
    assert.equal(delta.delta.stop_reason, 'tool_use');
    assert.ok(delta.usage.output_tokens > 0);
  });

  it('answers without stream as one JSON message, and records the request', async () => {
    fake.enqueue(reply.text('Hello.'));
    const res = await post(minimal);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.type, 'message');
    assert.deepEqual(body.content, [{ type: 'text', text: 'Hello.' }]);
    assert.equal(body.stop_reason, 'end_turn');
    const [rec] = fake.messageRequests();
    assert.equal(rec?.stream, false);
    assert.equal(rec?.headers['x-api-key'], 'sk-test');
    assert.deepEqual(rec?.body.messages, minimal.messages);
    assert.equal(rec?.accounting?.totalInputTokens, 1);
  });

  it('rejects a wrong key (401), a missing anthropic-version and bad bodies (400) before any script runs', async () => {
    fake.script(() => {
      throw new Error('must not be called');
    });
    const unauthorized = await post(minimal, { 'x-api-key': 'nope' });
    assert.equal(unauthorized.status, 401);
    assert.deepEqual(await unauthorized.json(), {
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
      request_id: 'req_fake000001',
    });
    assert.equal((await post(minimal, { 'anthropic-version': '' })).status, 400);
    assert.equal((await post('{not json')).status, 400);
    assert.equal((await post({ ...minimal, max_tokens: 0 })).status, 400);
    assert.equal((await post({ ...minimal, messages: [] })).status, 400);
    const five = await post({
      ...minimal,
      cache_control: { type: 'ephemeral' },
      system: [1, 2, 3, 4].map((i) => ({ type: 'text', text: `s${i}`, cache_control: { type: 'ephemeral' } })),
    });
    assert.equal(five.status, 400);
    assert.match(
      JSON.stringify(await five.json()),
      /A maximum of 4 blocks with cache_control may be provided. Found 5/,
    );
    assert.equal((await post(minimal, {}, '/v1/other')).status, 404);
  });

  it('requires a tool_result for every tool_use of the previous assistant turn, and no stray results', async () => {
    const use = { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'ls', input: {} }] };
    const missing = await post({
      ...minimal,
      messages: [minimal.messages[0], use, { role: 'user', content: 'go on' }],
    });
    assert.equal(missing.status, 400);
    assert.match(
      JSON.stringify(await missing.json()),
      /tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/,
    );
    const stray = await post({
      ...minimal,
      messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'x' }] }],
    });
    assert.equal(stray.status, 400);
    fake.enqueue(reply.text('ok'));
    const paired = await post({
      ...minimal,
      messages: [
        minimal.messages[0],
        use,
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'a.ts' }] },
      ],
    });
    assert.equal(paired.status, 200);
  });

  it('sends rate-limit faults with the requested headers, verbatim', async () => {
    fake.enqueue(fault.rateLimited({ retryAfter: 'soon', retryAfterMs: 1500, resetInMs: 30_000 }), fault.spendLimit());
    const limited = await post(minimal);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), 'soon');
    assert.equal(limited.headers.get('retry-after-ms'), '1500');
    assert.equal(limited.headers.get('anthropic-ratelimit-requests-remaining'), '0');
    const spend = await post(minimal);
    assert.equal(spend.status, 429);
    assert.equal(spend.headers.get('retry-after'), null);
    const body = (await spend.json()) as { error: { type: string; details: { error_code: string } } };
    assert.equal(body.error.type, 'rate_limit_error');
    assert.equal(body.error.details.error_code, 'enforced_spend_limit_reached');
  });

  it('sends an SSE error event mid-stream, and can cut a stream before message_stop', async () => {
    fake.enqueue(fault.midStreamError(reply.text('partial answer'), { afterEvents: 3 }));
    const events = await sse(await post({ ...minimal, stream: true }));
    assert.deepEqual(
      events.map(([e]) => e),
      ['message_start', 'ping', 'content_block_start', 'error'],
    );
    assert.deepEqual((events[3]![1] as { error: unknown }).error, { type: 'overloaded_error', message: 'Overloaded' });

    fake.enqueue(fault.cutStream(reply.text('partial answer'), { afterEvents: 4 }));
    const cut = await post({ ...minimal, stream: true });
    await assert.rejects(cut.text(), /terminated/);
    assert.equal(fake.messageRequests().at(-1)?.sentEvents?.length, 4);
  });

  it('counts tokens without caching, and answers an unscripted request with a 500 that names it', async () => {
    const counted = await post(minimal, {}, '/v1/messages/count_tokens');
    assert.deepEqual(await counted.json(), { input_tokens: 1 });
    const unscripted = await post(minimal);
    assert.equal(unscripted.status, 500);
    assert.match(JSON.stringify(await unscripted.json()), /no reply queued or scripted for request #1/);
    assert.equal(fake.requests[1]?.unscripted, true);
  });

  it('accepts the key as Authorization: Bearer (what the 1.x SDK sends)', async () => {
    fake.enqueue(reply.text('ok'));
    const res = await post(minimal, { 'x-api-key': '', authorization: 'Bearer sk-test' });
    // an empty x-api-key header is still "present": the fake, like the API, then rejects it
    assert.equal(res.status, 401);
    const bearerOnly = await fetch(`${fake.baseURL}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer sk-test',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify(minimal),
    });
    assert.equal(bearerOnly.status, 200);
  });
});
