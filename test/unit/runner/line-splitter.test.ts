import * as assert from 'node:assert/strict';
import { LineSplitter, MAX_LINE_CHARS } from '../../../src/core/run/line-splitter';

function split(chunks: (string | Uint8Array)[], maxChars?: number): [string, boolean][] {
  const out: [string, boolean][] = [];
  const s = new LineSplitter((text, continues) => out.push([text, continues]), maxChars);
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  s.end();
  return out;
}

describe('LineSplitter', () => {
  it('splits on \\n, strips \\r of \\r\\n, keeps empty lines and a final unterminated line', () => {
    assert.deepEqual(split(['a\nb\r\n\nlast']), [
      ['a', false],
      ['b', false],
      ['', false],
      ['last', false],
    ]);
  });

  it('delivers nothing for empty input and no phantom line after a final newline', () => {
    assert.deepEqual(split([]), []);
    assert.deepEqual(split(['a\n']), [['a', false]]);
  });

  it('recognises \\r\\n split across chunks, and keeps a lone \\r', () => {
    assert.deepEqual(split(['a\r', '\nb\rc\n']), [
      ['a', false],
      ['b\rc', false],
    ]);
    assert.deepEqual(split(['tail\r']), [['tail', false]]);
  });

  it('decodes a multi-byte character split at every possible byte boundary', () => {
    const text = 'a€b😀c\nd日本\n';
    const bytes = Buffer.from(text);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const got = split([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        assert.deepEqual(
          got,
          [
            ['a€b😀c', false],
            ['d日本', false],
          ],
          `split at ${i},${j}`,
        );
      }
    }
  });

  it('turns invalid UTF-8 into U+FFFD instead of failing', () => {
    assert.deepEqual(split([Uint8Array.of(0x61, 0xff, 0x62, 0x0a)]), [['a\ufffdb', false]]);
    assert.deepEqual(split([Uint8Array.of(0x61, 0xe2, 0x82)]), [['a\ufffd', false]]);
  });

  it('cuts a long line into pieces of maxChars marked continues, also when it arrives byte by byte', () => {
    const expected = [
      ['abcd', true],
      ['efgh', true],
      ['ij', false],
      ['k', false],
    ];
    assert.deepEqual(split(['abcdefghij\nk'], 4), expected);
    assert.deepEqual(split([...'abcdefghij\nk'], 4), expected);
  });

  it('never cuts between the halves of a surrogate pair', () => {
    const pieces = split(['ab😀cd\n'], 3);
    assert.deepEqual(pieces, [
      ['ab', true],
      ['😀c', true],
      ['d', false],
    ]);
    assert.equal(pieces.map(([t]) => t).join(''), 'ab😀cd');
  });

  it('bounds memory for output with no newline at all', () => {
    const out: number[] = [];
    const s = new LineSplitter((text) => out.push(text.length));
    const chunk = Buffer.alloc(10_000, 0x61);
    for (let i = 0; i < 100; i++) s.push(chunk);
    assert.ok(out.length >= 15);
    assert.ok(out.every((n) => n === MAX_LINE_CHARS));
    s.end();
    assert.equal(
      out.reduce((a, b) => a + b, 0),
      1_000_000,
    );
  });

  it('rejects pushes after end, and a nonsensical cap', () => {
    const s = new LineSplitter(() => {});
    s.end();
    s.end();
    assert.throws(() => s.push(Buffer.from('x')));
    assert.throws(() => new LineSplitter(() => {}, 1), RangeError);
  });
});
