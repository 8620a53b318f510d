import * as assert from 'node:assert/strict';
import { cacheReadRatio, costOf, promptTokens } from '../../../src/core/agent/cost';
import { buildReport } from '../../../src/core/report/run-report';
import { type AgentTestSetup, calcImplementStep, readText, runEngine, setupAgent } from '../../support/agent-harness';
import { reply } from '../../support/fake-anthropic';
import { removeTempDirs } from '../../support/temp-project';

/**
 * `/prp-execute` end to end against the fake Messages API: the real Anthropic client, our tool loop, the real
 * permission policy, the real process runner and the engine's real gates (node --check, npm test) on a small
 * Node project whose test fails until `add` is fixed. Round 1's fix is wrong, the harness's evidence goes back
 * as the next user turn, round 2 fixes it.
 */
describe('agent runtime: /prp-execute with real gates (fake Messages API)', function () {
  this.timeout(60_000);
  let s: AgentTestSetup;

  afterEach(async () => {
    await s?.stop();
    removeTempDirs();
  });

  function scriptTwoRounds(): void {
    s.h.fake.enqueue(
      // Round 1
      reply.toolUse('read_file', { path: 'test/math.test.js' }, { text: 'Reading the failing test first.' }),
      reply.toolUse('read_file', { path: 'src/math.js' }),
      reply.toolUse('edit_file', { path: 'src/math.js', old_text: 'return a - b;', new_text: 'return b - a;' }),
      reply.text('Changed add in src/math.js.'),
      // Round 2 (after the harness's evidence)
      reply.toolUse('edit_file', { path: 'src/math.js', old_text: 'return b - a;', new_text: 'return a + b;' }),
      reply.text('add now returns the sum.'),
    );
  }

  it('makes the failing test pass: one failed gate round fed back and fixed; the report shows tokens, cache reads, cost and attempts', async () => {
    s = await setupAgent();
    scriptTwoRounds();
    const { outcome, state } = await runEngine(s, [calcImplementStep()]);

    assert.equal(outcome, 'passed');
    assert.match(readText(s.root, 'src/math.js'), /return a \+ b;/);
    assert.equal(s.h.fake.pending, 0, 'every scripted reply was used');

    const requests = s.h.fake.messageRequests();
    assert.equal(requests.length, 6);
    // Round 2 continues the same conversation: its first request extends round 1's last one.
    const round2 = requests[4]!.body.messages;
    assert.equal(round2.length, requests[3]!.body.messages.length + 2);
    const evidence = round2[round2.length - 1]!.content as Array<{ type: string; text?: string }>;
    const feedback = evidence.map((b) => b.text ?? '').join('\n');
    assert.match(feedback, /Level 2: Unit Tests failed/);
    assert.match(feedback, /npm test/);
    assert.match(feedback, /expected: 5\n\s*actual: 1/);

    // The report, folded from the journal.
    const report = buildReport(state);
    const implement = report.steps.find((x) => x.id === 'implement')!;
    assert.equal(implement.status, 'passed');
    assert.equal(implement.attempts, 2);
    assert.equal(report.metrics.validationsFailed, 1);
    assert.ok(report.metrics.validationsPassed >= 3);
    const u = report.metrics.usage;
    const fakeTotals = requests.reduce(
      (acc, r) => ({
        input: acc.input + (r.accounting?.inputTokens ?? 0),
        read: acc.read + (r.accounting?.cacheReadInputTokens ?? 0),
        write: acc.write + (r.accounting?.cacheCreationInputTokens ?? 0),
      }),
      { input: 0, read: 0, write: 0 },
    );
    assert.equal(u.inputTokens, fakeTotals.input);
    assert.equal(u.cacheReadInputTokens, fakeTotals.read);
    assert.equal(u.cacheCreationInputTokens, fakeTotals.write);
    assert.ok(u.outputTokens > 0);
    assert.ok(u.costUsd !== undefined && u.costUsd > 0, 'cost is known for claude-sonnet-5-5');
    assert.ok(report.metrics.models['claude-sonnet-5-5']);
  });

  it('from turn 2 on, at least 85 % of the input tokens are cache reads (the fake’s accounting), also across rounds', async () => {
    s = await setupAgent();
    scriptTwoRounds();
    await runEngine(s, [calcImplementStep()]);
    const requests = s.h.fake.messageRequests();
    const shares = requests.map((r) => {
      const a = r.accounting!;
      return cacheReadRatio({
        inputTokens: a.inputTokens,
        outputTokens: 0,
        cacheCreationInputTokens: a.cacheCreationInputTokens,
        cacheReadInputTokens: a.cacheReadInputTokens,
      });
    });
    assert.equal(shares[0], 0, 'turn 1 has nothing to read');
    for (const [i, share] of shares.entries()) {
      if (i === 0) continue;
      assert.ok(share >= 0.85, `turn ${i + 1}: ${(share * 100).toFixed(1)} % read from the cache`);
    }
    const first = requests[0]!.accounting!;
    assert.ok(first.totalInputTokens > 3000, `the stable prefix is substantial (${first.totalInputTokens} tokens)`);
    // Turn 2 costs much less than turn 1 at list prices.
    const usageOf = (i: number) => {
      const a = requests[i]!.accounting!;
      return {
        inputTokens: a.inputTokens,
        outputTokens: 0,
        cacheCreationInputTokens: a.cacheCreationInputTokens,
        cacheReadInputTokens: a.cacheReadInputTokens,
      };
    };
    const c1 = costOf('claude-sonnet-5-5', usageOf(0));
    const c2 = costOf('claude-sonnet-5-5', usageOf(1));
    assert.ok(c1.known && c2.known && c2.usd < c1.usd / 3);
    assert.ok(promptTokens(usageOf(1)) > promptTokens(usageOf(0)));
  });
});
