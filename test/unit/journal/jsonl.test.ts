import * as assert from 'node:assert/strict';
import { readJsonl, toJsonlLine } from '../../../src/core/journal/jsonl';

describe('readJsonl', () => {
  it('reads one value per line', () => {
    assert.deepEqual(readJsonl('{"a":1}\n[2]\n"three"\n4\nnull\n'), {
      values: [{ a: 1 }, [2], 'three', 4, null],
      problems: [],
    });
  });

  it('reads an empty text as nothing', () => {
    assert.deepEqual(readJsonl(''), { values: [], problems: [] });
  });

  it('ignores and reports a torn last line, never fatal — even one that happens to parse', () => {
    const torn = readJsonl('{"a":1}\n{"b":');
    assert.deepEqual(torn.values, [{ a: 1 }]);
    assert.deepEqual(torn.tornTail, { line: 2, chars: 5 });
    assert.equal(torn.problems.length, 1);
    assert.equal(torn.problems[0]!.severity, 'warning');
    assert.equal(torn.problems[0]!.rule, 'jsonl-torn-tail');
    assert.equal(torn.problems[0]!.line, 2);
    // `12` is valid JSON, but without its line end it was never acknowledged: it may be the start of `123`.
    const parses = readJsonl('1\n12', { file: 'runs/x/events.jsonl' });
    assert.deepEqual(parses.values, [1]);
    assert.equal(parses.problems[0]!.file, 'runs/x/events.jsonl');
  });

  it('skips and reports a corrupt middle line with its line number, keeping the rest', () => {
    const r = readJsonl('{"a":1}\n{"a":\n{"a":3}\n');
    assert.deepEqual(r.values, [{ a: 1 }, { a: 3 }]);
    assert.equal(r.tornTail, undefined);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.line, 2);
    assert.equal(r.problems[0]!.severity, 'error');
    assert.match(r.problems[0]!.message, /line 2 is not valid JSON/);
  });

  it('skips blank lines and tolerates \\r\\n', () => {
    assert.deepEqual(readJsonl('1\r\n\n  \n2\n').values, [1, 2]);
  });

  it('checks each value with `parse` and reports rejected lines', () => {
    const r = readJsonl<number>('1\n"x"\n3\n', {
      parse: (v, line) => {
        if (typeof v !== 'number') throw new Error(`line ${line}: expected a number`);
        return v * 10;
      },
    });
    assert.deepEqual(r.values, [10, 30]);
    assert.equal(r.problems[0]!.rule, 'jsonl-invalid-value');
    assert.match(r.problems[0]!.message, /expected a number/);
  });

  it('keeps __proto__ keys as data, never as a prototype', () => {
    const { values } = readJsonl<Record<string, unknown>>('{"__proto__":{"polluted":true}}\n');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(values[0]), Object.prototype);
  });
});

describe('toJsonlLine', () => {
  it('writes one line per value, whatever the strings contain', () => {
    const line = toJsonlLine({ text: 'a\nb\r\u2028\u2029"' });
    assert.equal(line.indexOf('\n'), line.length - 1);
    assert.deepEqual(readJsonl(line).values, [{ text: 'a\nb\r\u2028\u2029"' }]);
  });

  it('refuses what JSON cannot hold', () => {
    assert.throws(() => toJsonlLine(undefined), TypeError);
    assert.throws(() => toJsonlLine(() => 1), TypeError);
    assert.throws(() => toJsonlLine(1n), TypeError);
  });
});
