import * as assert from 'node:assert/strict';
import { describeInvisible, findInvisible, makeVisible } from '../../../src/core/policy/visible';

describe('policy: making invisible characters visible', () => {
  it('marks bidi controls, zero-width and tag characters, control characters and look-alike spaces', () => {
    assert.equal(makeVisible('ls\u202e -la'), 'ls⟨U+202E RIGHT-TO-LEFT OVERRIDE⟩ -la');
    assert.equal(makeVisible('a\u200bb'), 'a⟨U+200B ZERO WIDTH SPACE⟩b');
    assert.equal(makeVisible('x\u{e0041}y'), 'x⟨U+E0041 TAG CHARACTER⟩y');
    assert.equal(makeVisible('ok\rrm -rf ~'), 'ok⟨U+000D CARRIAGE RETURN⟩rm -rf ~');
    assert.equal(makeVisible('\u001b[2Jclear'), '⟨U+001B ESCAPE⟩[2Jclear');
    assert.equal(makeVisible('\ufeffls'), '⟨U+FEFF ZERO WIDTH NO-BREAK SPACE⟩ls');
    assert.equal(makeVisible('ls\u00a0-la'), 'ls⟨U+00A0 NO-BREAK SPACE⟩-la');
    assert.equal(makeVisible('plain text\twith tab\nand newline'), 'plain text\twith tab\nand newline');
  });

  it('describes the first one with its position and counts the rest', () => {
    assert.equal(describeInvisible('ab\u202ec\u200b'), 'U+202E RIGHT-TO-LEFT OVERRIDE at character 3 and 1 more');
    assert.equal(describeInvisible('fine'), undefined);
    assert.deepEqual(
      findInvisible('\u0000x\u2066').map((c) => c.codePoint),
      [0, 0x2066],
    );
  });
});
