import * as assert from 'node:assert/strict';
import { checkBudget, estimateContext, estimateTokens } from '../../../src/core/agent/context/budget';

describe('context budget preflight', () => {
  it('estimates ~4 UTF-8 bytes per token', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
    assert.equal(estimateTokens('€€€€'), 3, '3 bytes each');
    assert.equal(estimateTokens('😀'), 1, '4 bytes');
  });

  it('sorts the parts, largest first, and warns naming the biggest contributors', () => {
    const e = estimateContext([
      { name: 'system prompt', text: 'x'.repeat(400) },
      { name: 'prp PRPs/a.md', text: 'x'.repeat(40_000) },
      { name: 'claude-md CLAUDE.md', text: 'x'.repeat(8000) },
      { name: 'empty', text: '' },
    ]);
    assert.equal(e.total, 12_100);
    assert.deepEqual(
      e.parts.map((p) => p.name),
      ['prp PRPs/a.md', 'claude-md CLAUDE.md', 'system prompt'],
    );
    const v = checkBudget(e, '/prp-execute PRPs/a.md', { warnTokens: 10_000 });
    assert.ok(v.ok);
    assert.match(v.warning ?? '', /about 12,100 tokens \(budget 10,000\); biggest parts: prp PRPs\/a\.md \(~10,000\)/);
    assert.deepEqual(checkBudget(e, 'x', {}), { ok: true });
  });

  it('refuses over the hard limit', () => {
    const e = estimateContext([{ name: 'prp', text: 'x'.repeat(4000) }]);
    const v = checkBudget(e, '/prp-execute x', { maxTokens: 999 });
    assert.equal(v.ok, false);
    assert.match(!v.ok ? v.message : '', /over --max-context-tokens 999; not started/);
  });
});
