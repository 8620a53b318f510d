import * as assert from 'node:assert/strict';
import { addUsage, cacheReadRatio, costOf, emptyUsage, promptTokens } from '../../../src/core/agent/cost';
import { streamWithRetry } from '../../../src/core/agent/model-retry';
import type { ModelMessage, ModelRequest, ModelTurnResult } from '../../../src/core/ports/model-client';
import { reply } from '../../support/fake-anthropic';
import { agentRequest, type Harness, prose, startHarness } from '../../support/model-harness';

/**
 * A multi-turn agent conversation shaped like a PRP execution (long stable system prompt, seven tools,
 * a stable context block with CLAUDE.md and the PRP, then short tool results), with cache breakpoints on
 * tools, system and context plus automatic caching of the growing conversation.
 */
describe('prompt caching across an agent conversation (fake accounting)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  async function runConversation(requestFor: (history: ModelMessage[]) => ModelRequest): Promise<ModelTurnResult[]> {
    h.fake.enqueue(
      reply.toolUse('read_file', { path: 'test/math.test.ts' }, { text: 'Reading the failing test.' }),
      reply.toolUse('edit_file', { path: 'src/math.ts', old_text: 'a - b', new_text: 'a + b' }),
      reply.toolUse('run_command', { command: 'npm test' }),
      reply.text('The test passes now.'),
    );
    const toolOutput: Record<string, string> = {
      read_file: prose('test file', 300),
      edit_file: 'Edited src/math.ts (1 replacement).',
      run_command: `exit 0\n${prose('test output', 200)}`,
    };
    const history: ModelMessage[] = [];
    const results: ModelTurnResult[] = [];
    for (let turn = 0; turn < 4; turn++) {
      const out = await streamWithRetry(h.client, requestFor(history), { clock: h.clock });
      assert.ok(out.ok, `turn ${turn + 1}`);
      if (!out.ok) break;
      results.push(out.result);
      // The client's usage is exactly what the fake accounted.
      const acc = h.fake.messageRequests()[turn]?.accounting;
      assert.deepEqual(
        [
          out.result.usage.inputTokens,
          out.result.usage.cacheCreationInputTokens,
          out.result.usage.cacheReadInputTokens,
        ],
        [acc?.inputTokens, acc?.cacheCreationInputTokens, acc?.cacheReadInputTokens],
      );
      if (out.result.toolCalls.length === 0) break;
      history.push(
        { role: 'assistant', content: out.result.content },
        {
          role: 'user',
          content: out.result.toolCalls.map((c) => ({
            type: 'tool_result' as const,
            toolUseId: c.id,
            content: toolOutput[c.name] ?? '',
          })),
        },
      );
    }
    return results;
  }

  it('from turn 2 on, at least 85 % of input tokens are cache reads, and turns get much cheaper', async () => {
    const turns = await runConversation((history) => agentRequest(history));
    assert.equal(turns.length, 4);
    const [first, ...later] = turns;
    assert.ok(first);
    assert.equal(first.usage.cacheReadInputTokens, 0, 'turn 1 has nothing to read');
    assert.ok(first.usage.cacheCreationInputTokens > 8000, 'turn 1 writes tools + system + context');
    for (const [i, t] of later.entries()) {
      const ratio = cacheReadRatio(t.usage);
      assert.ok(
        ratio >= 0.85,
        `turn ${i + 2}: ${(ratio * 100).toFixed(1)} % of ${promptTokens(t.usage)} input tokens read from the cache`,
      );
    }
    const cost = (t: ModelTurnResult) => {
      const c = costOf(t.model, t.usage);
      assert.ok(c.known);
      return c.known ? c.usd : Number.NaN;
    };
    assert.ok(cost(later[0]!) < cost(first) / 3, `turn 2 costs ${cost(later[0]!)} vs turn 1 ${cost(first)}`);
    const run = turns.map((t) => t.usage).reduce(addUsage, emptyUsage());
    assert.ok(cacheReadRatio(run) > 0.6, 'over the whole run, most input is read from the cache');
  });

  it('shows the cache breaking when the "stable" system prompt changes every turn (so the 85 % check can fail)', async () => {
    let turn = 0;
    const turns = await runConversation((history) => {
      turn += 1;
      const request = agentRequest(history);
      request.system = [{ type: 'text', text: `Current time: turn ${turn}. ${prose('System', 2500)}`, cache: {} }];
      return request;
    });
    const second = turns[1];
    assert.ok(second);
    assert.ok(cacheReadRatio(second.usage) < 0.3, 'only the tools prefix (before the system prompt) is still cached');
    assert.ok(second.usage.cacheReadInputTokens > 0, 'tools come first in the prefix and still match');
  });
});
