import * as assert from 'node:assert/strict';
import { jsonErrorOffset } from '../../src/core/json-syntax';

describe('JSON syntax positions', () => {
  it('finds the first error the way JSON.parse would reject it', () => {
    const valid = ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]} ', '"s"', '0'];
    for (const v of valid) assert.equal(jsonErrorOffset(v), undefined, v);
    const invalid: [string, number][] = [
      ['', 0],
      ['{', 1],
      ['{"a" 1}', 5],
      ['{"a": [1,]}', 9],
      ['{a: 1}', 1],
      ['{"a": 1} x', 9],
      ['{"a": 01}', 7],
      ['["\\x"]', 2],
      ['["a\nb"]', 3],
      ['{"a": 1,}', 8],
      ['// c\n{}', 0],
    ];
    for (const [text, offset] of invalid) {
      assert.throws(() => JSON.parse(text), SyntaxError, text);
      assert.equal(jsonErrorOffset(text), offset, JSON.stringify(text));
    }
  });
});
