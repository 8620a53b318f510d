import * as assert from 'node:assert/strict';
import { splitArguments } from '../../../src/core/shell/split';

describe('splitArguments', () => {
  it('splits on whitespace and removes quotes without expanding anything', () => {
    const r = splitArguments(`user-auth "with OAuth" 'and $HOME' $(id) \`x\` a\\ b ;|&`);
    assert.ok(r.ok);
    assert.deepEqual(r.words, ['user-auth', 'with OAuth', 'and $HOME', '$(id)', '`x`', 'a b', ';|&']);
  });

  it('handles escapes inside double quotes and empty quoted words', () => {
    const r = splitArguments(`"a \\"b\\" c" '' "" x`);
    assert.deepEqual(r.words, ['a "b" c', '', '', 'x']);
  });

  it('returns no words for empty or blank text', () => {
    assert.deepEqual(splitArguments('').words, []);
    assert.deepEqual(splitArguments(' \t\n ').words, []);
  });

  it('reports an unterminated quote and falls back to whitespace words', () => {
    const r = splitArguments(`fix "the bug`);
    assert.equal(r.ok, false);
    assert.deepEqual(r.words, ['fix', '"the', 'bug']);
    assert.ok(!r.ok && /unterminated quote/.test(r.message));
    const b = splitArguments('trailing\\');
    assert.equal(b.ok, false);
  });
});
