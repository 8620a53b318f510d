import * as assert from 'node:assert/strict';
import { MAX_JSON_DEPTH, parseSafeJson, parseSafeJsonBytes } from '../../../src/core/json/safe-json';

describe('safe JSON', () => {
  it('parses strict JSON and locates paths and keys', () => {
    const text = '{\n  "a": {\n    "b": [1, {"c": true}]\n  }\n}\n';
    const r = parseSafeJson(text, 's.json');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.value?.value, { a: { b: [1, { c: true }] } });
    const src = r.value!.source;
    const at = (path: (string | number)[], key = false) => {
      const p = src.locate(path, { key });
      return `${p.line}:${p.column}`;
    };
    assert.equal(at(['a', 'b', 1, 'c']), '3:20');
    assert.equal(at(['a', 'b', 1, 'c'], true), '3:15');
    assert.equal(at(['a', 'missing']), '2:8');
  });

  it('refuses comments and trailing commas with positions and a reason', () => {
    const c = parseSafeJson('{\n  // note\n  "a": 1\n}', 's.json');
    assert.equal(c.value, undefined);
    assert.deepEqual([c.problems[0]!.line, c.problems[0]!.column], [2, 3]);
    assert.match(c.problems[0]!.message, /comments are not allowed/);
    const t = parseSafeJson('{"a": 1,}', 's.json');
    assert.equal(t.value, undefined);
    assert.match(t.problems[0]!.message, /trailing comma/);
  });

  it('reports duplicate keys', () => {
    const r = parseSafeJson('{"a": 1,\n "a": 2}', 's.json');
    assert.equal(r.value, undefined);
    assert.deepEqual([r.problems[0]!.rule, r.problems[0]!.line, r.problems[0]!.column], ['json-duplicate-key', 2, 2]);
  });

  it('keeps __proto__ as own data, never a prototype', () => {
    const r = parseSafeJson('{"__proto__": {"polluted": 1}, "x": {"__proto__": {"polluted": 2}}}', 's.json');
    const v = r.value!.value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.ok(Object.hasOwn(v, '__proto__'));
    assert.equal((v as { polluted?: number }).polluted, undefined);
    assert.equal(({} as { polluted?: number }).polluted, undefined);
  });

  it('caps nesting before parsing (ignoring brackets inside strings)', () => {
    const deep = parseSafeJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 's.json');
    assert.deepEqual(
      deep.problems.map((p) => p.rule),
      ['json-too-deep'],
    );
    assert.equal(deep.problems[0]!.column, MAX_JSON_DEPTH + 1);
    const inString = parseSafeJson(JSON.stringify({ s: '['.repeat(500) }), 's.json');
    assert.deepEqual(inString.problems, []);
  });

  it('handles a BOM, empty text and garbage without throwing', () => {
    assert.deepEqual(parseSafeJson('\ufeff{"a": 1}', 's.json').value?.value, { a: 1 });
    assert.equal(parseSafeJson('', 's.json').problems[0]!.rule, 'json-syntax');
    assert.equal(parseSafeJson('{"a": 1} x', 's.json').problems[0]!.rule, 'json-syntax');
    assert.equal(
      parseSafeJsonBytes(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]), 's.json').problems[0]!.rule,
      'invalid-utf8',
    );
  });
});
