import * as assert from 'node:assert/strict';
import { ClaudeStreamParser } from '../../../src/node/providers/claude-code-events';
import { CodexStreamParser } from '../../../src/node/providers/codex-events';
import { EventLineReader } from '../../../src/node/providers/event-lines';

describe('CLI agent event streams', () => {
  it('EventLineReader joins over-long lines cut by the runner and counts malformed ones', () => {
    const r = new EventLineReader();
    assert.equal(r.push({ text: '{"type":"a",', continues: true }), undefined);
    assert.deepEqual(r.push({ text: '"x":1}' }), { type: 'a', x: 1 });
    assert.equal(r.push({ text: '   ' }), undefined);
    assert.equal(r.push({ text: '[1,2]' }), undefined);
    assert.equal(r.push({ text: '{"no":"type"}' }), undefined);
    assert.equal(r.push({ text: 'Loading…' }), undefined);
    assert.equal(r.malformed, 3);
    assert.match(r.warning('claude')!, /claude printed 3 line\(s\)/);
  });

  it('Claude: usage counted once per message id; the result’s totals win; old cost_usd is read too', () => {
    const texts: string[] = [];
    const p = new ClaudeStreamParser((t) => texts.push(t));
    const usage = { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 3, cache_read_input_tokens: 4 };
    p.handle({ type: 'system', subtype: 'init', session_id: 's', model: 'claude-x' });
    p.handle({ type: 'assistant', message: { id: 'm1', content: [{ type: 'text', text: 'hi' }], usage } });
    p.handle({
      type: 'assistant',
      message: { id: 'm1', content: [{ type: 'tool_use', id: 't1', name: 'Bash' }], usage },
    });
    p.handle({
      type: 'assistant',
      message: { id: 'm2', content: [{ type: 'tool_use', id: 't2', name: 'Read' }], usage },
    });
    assert.deepEqual(p.usage(), {
      inputTokens: 2,
      outputTokens: 4,
      cacheCreationInputTokens: 6,
      cacheReadInputTokens: 8,
    });
    assert.equal(p.toolUseIds.size, 2);
    assert.deepEqual(texts, ['hi']);
    p.handle({
      type: 'result',
      subtype: 'success',
      is_error: false,
      cost_usd: 0.5,
      usage: { ...usage, output_tokens: 99 },
    });
    assert.equal(p.usage()!.outputTokens, 99);
    assert.equal(p.result!.costUsd, 0.5);
    assert.equal(p.sessionId, 's');
    assert.equal(p.model, 'claude-x');
  });

  it('Codex: cached input tokens become cache reads; usage sums over turns; failures are collected', () => {
    const p = new CodexStreamParser();
    p.handle({ type: 'thread.started', thread_id: 'th' });
    p.handle({ type: 'turn.completed', usage: { input_tokens: 100, cached_input_tokens: 60, output_tokens: 7 } });
    p.handle({ type: 'turn.completed', usage: { input_tokens: 50, cached_input_tokens: 500, output_tokens: 1 } });
    assert.deepEqual(p.usage(), {
      inputTokens: 40,
      outputTokens: 8,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 110,
    });
    p.handle({ type: 'item.completed', item: { id: 'e', type: 'error', message: 'tool failed' } });
    p.handle({ type: 'turn.failed', error: { message: 'boom' } });
    assert.deepEqual(p.itemErrors, ['tool failed']);
    assert.deepEqual(p.errors, ['boom']);
    assert.equal(p.threadId, 'th');
  });
});
