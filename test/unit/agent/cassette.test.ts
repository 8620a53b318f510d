import * as assert from 'node:assert/strict';
import {
  CassettePlayer,
  CassetteRecorder,
  parseCassette,
  redactSecrets,
  requestShapeOf,
  serializeCassette,
  shapeMismatch,
} from '../../../src/core/agent/cassette';
import type { ModelClient, ModelRequest, ModelTurnResult } from '../../../src/core/ports/model-client';

const usage = { inputTokens: 10, outputTokens: 5, cacheCreationInputTokens: 0, cacheReadInputTokens: 100 };

function turn(
  content: ModelTurnResult['content'],
  stopReason: ModelTurnResult['stopReason'] = 'end_turn',
): ModelTurnResult {
  const calls = content.flatMap((b) => (b.type === 'tool_use' ? [{ id: b.id, name: b.name, input: b.input }] : []));
  return {
    model: 'claude-sonnet-5-5',
    stopReason,
    rawStopReason: stopReason,
    content,
    toolCalls: calls,
    rejectedToolCalls: [],
    usage,
  };
}

function request(messages: ModelRequest['messages']): ModelRequest {
  return { model: 'm', maxTokens: 100, tools: [{ name: 'read_file', description: 'd', inputSchema: {} }], messages };
}

class Scripted implements ModelClient {
  readonly provider = 'anthropic';
  constructor(private readonly results: ModelTurnResult[]) {}
  async stream() {
    const r = this.results.shift();
    return r
      ? { ok: true as const, result: r }
      : { ok: false as const, failure: { kind: 'server' as const, message: 'x', midStream: false } };
  }
}

describe('cassettes: record and replay', () => {
  const r1 = request([{ role: 'user', content: 'Fix add. Key: sk-ant-api03-AAAAAAAAAAAAAAAA' }]);
  const t1 = turn([{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.js' } }], 'tool_use');
  const r2 = request([
    ...r1.messages,
    { role: 'assistant', content: t1.content },
    { role: 'user', content: [{ type: 'tool_result', toolUseId: 'toolu_1', content: 'code' }] },
  ]);
  const t2 = turn([{ type: 'text', text: 'done; the key was sk-ant-api03-BBBBBBBBBBBBBBBB and secret-value-123' }]);

  async function recorded() {
    const rec = new CassetteRecorder({ provider: 'anthropic', model: 'm', now: () => 0 }, ['secret-value-123']);
    const client = rec.wrap('implement', new Scripted([t1, t2]));
    await client.stream(r1);
    await client.stream(r2);
    await client.stream(r2); // a failed attempt is not recorded
    return rec.toCassette();
  }

  it('stores request shapes (hashes, not text) and finished turns, with secrets redacted', async () => {
    const c = await recorded();
    const text = serializeCassette(c);
    assert.equal(c.conversations.implement!.length, 2);
    assert.doesNotMatch(text, /Fix add/);
    assert.doesNotMatch(text, /sk-ant-api03|secret-value-123/);
    assert.match(text, /\[REDACTED\]/);
    assert.deepEqual(c.conversations.implement![1]!.request.messages[2], {
      role: 'user',
      blocks: [{ type: 'tool_result', toolUseId: 'toolu_1', isError: false }],
    });
    const parsed = parseCassette(new TextEncoder().encode(text), 'c.json');
    assert.deepEqual(parsed.problems, []);
  });

  it('replays the turns in order when the conversation has the recorded shape', async () => {
    const player = new CassettePlayer(await recorded(), 'c.json');
    const client = player.clientFor('implement');
    const a = await client.stream(r1);
    assert.ok(a.ok && a.result.toolCalls[0]!.id === 'toolu_1');
    const b = await client.stream(r2);
    assert.ok(b.ok && b.result.stopReason === 'end_turn');
    assert.deepEqual(player.unplayed(), []);
    const c = await client.stream(r2);
    assert.ok(!c.ok && c.failure.kind === 'invalid_request');
    assert.match(!c.ok ? c.failure.message : '', /the recording ends after 2/);
  });

  it('names the first structural difference', () => {
    const base = requestShapeOf(r2);
    const errored = requestShapeOf(
      request([
        ...r1.messages,
        { role: 'assistant', content: t1.content },
        { role: 'user', content: [{ type: 'tool_result', toolUseId: 'toolu_1', content: 'no', isError: true }] },
      ]),
    );
    assert.equal(shapeMismatch(base, base), undefined);
    assert.match(
      shapeMismatch(base, errored)!,
      /message 3, block 1: the recording has tool_result for toolu_1 \(ok\), this run sent tool_result for toolu_1 \(an error\)/,
    );
    assert.match(shapeMismatch(base, requestShapeOf(r1))!, /1 messages where the recording has 3/);
    assert.match(shapeMismatch(base, { ...base, tools: ['grep'] })!, /the tools differ/);
    // Different text of the same shape is not a mismatch (gate output holds timings and paths).
    const otherText = requestShapeOf(request([{ role: 'user', content: 'something else' }]));
    assert.equal(shapeMismatch(requestShapeOf(r1), otherText), undefined);
  });

  it('an unknown step is a clear failure', async () => {
    const player = new CassettePlayer(await recorded(), 'c.json');
    const out = await player.clientFor('other-step').stream(r1);
    assert.ok(!out.ok);
    assert.match(!out.ok ? out.failure.message : '', /no recorded conversation for other-step \(it has "implement"\)/);
  });

  it('redactSecrets walks keys and values', () => {
    assert.deepEqual(redactSecrets({ 'sk-ant-xxxxxxxxxx': ['my-password-1'] }, ['my-password-1']), {
      '[REDACTED]': ['[REDACTED]'],
    });
  });

  it('rejects a file that is not a cassette, with positions', () => {
    const text = '{\n  "format": "codex-context-forge.cassette",\n  "version": 2\n}';
    const parsed = parseCassette(new TextEncoder().encode(text), 'x.json');
    assert.equal(parsed.value, undefined);
    assert.equal(parsed.problems[0]!.line, 3);
    assert.equal(parseCassette(new TextEncoder().encode('{"a":'), 'y.json').problems[0]!.file, 'y.json');
  });
});
