import * as assert from 'node:assert/strict';
import { MAX_YAML_DEPTH, parseSafeYaml, parseSafeYamlBytes } from '../../../src/core/yaml/safe-yaml';

function rules(text: string): string[] {
  return parseSafeYaml(text, 'f.yaml').problems.map((p) => `${p.line}:${p.column} ${p.rule}`);
}

describe('safe YAML', () => {
  it('parses plain data with the core schema (yes/No/on stay strings, no timestamps)', () => {
    const r = parseSafeYaml('a: 1\nb: [x, {c: yes}]\nd: No\ne: 2001-12-14\nf: ~\ng: 1.5\nh: true\n', 'f.yaml');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.value?.value, {
      a: 1,
      b: ['x', { c: 'yes' }],
      d: 'No',
      e: '2001-12-14',
      f: null,
      g: 1.5,
      h: true,
    });
  });

  it('gives null for an empty document', () => {
    const r = parseSafeYaml('# only a comment\n', 'f.yaml');
    assert.equal(r.value?.value, null);
  });

  it('refuses aliases with a positioned error, and keeps anchors harmless', () => {
    const r = parseSafeYaml('a: &x [1, 2]\nb: *x\n', 'f.yaml');
    assert.equal(r.value, undefined);
    assert.equal(r.problems.length, 1);
    const p = r.problems[0]!;
    assert.equal(p.rule, 'yaml-alias');
    assert.match(p.message, /YAML aliases are not allowed/);
    assert.deepEqual([p.line, p.column], [2, 4]);
    assert.deepEqual(parseSafeYaml('a: &x [1, 2]\n', 'f.yaml').value?.value, { a: [1, 2] });
  });

  it('refuses merge keys', () => {
    assert.deepEqual(rules('x:\n  <<: {a: 1}\n  b: 2\n'), ['2:3 yaml-merge-key']);
  });

  it('reports a duplicate key at its second occurrence', () => {
    const r = parseSafeYaml('a: 1\nb: 2\na: 3\n', 'f.yaml');
    assert.equal(r.value, undefined);
    assert.equal(r.problems[0]!.rule, 'yaml-duplicate-key');
    assert.deepEqual([r.problems[0]!.line, r.problems[0]!.column], [3, 1]);
    assert.match(r.problems[0]!.message, /duplicate key `a`/);
  });

  it('refuses tags outside the core schema and accepts core ones', () => {
    assert.deepEqual(rules('f: !!js/function "function(){}"\ng: !foo bar\nh: !!binary aGVsbG8=\ns: !!set {a}\n'), [
      '1:4 yaml-tag',
      '2:4 yaml-tag',
      '3:4 yaml-tag',
      '4:4 yaml-tag',
    ]);
    const ok = parseSafeYaml('i: !!str 12\nj: !!int "7"\nk: ! 5\n', 'f.yaml');
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.value?.value, { i: '12', j: 7, k: '5' });
  });

  it('reports a tag on a key too', () => {
    assert.deepEqual(rules('!foo k: v\n'), ['1:1 yaml-tag']);
  });

  it('refuses complex and null keys', () => {
    assert.deepEqual(rules('? [a]\n: 1\n'), ['1:3 yaml-key']);
    assert.deepEqual(rules('~: 1\n'), ['1:1 yaml-key']);
  });

  it('keeps number-like keys as written', () => {
    assert.deepEqual(parseSafeYaml('1.0: a\n2: b\ntrue: c\n', 'f.yaml').value?.value, {
      '1.0': 'a',
      '2': 'b',
      true: 'c',
    });
  });

  it('refuses a second document', () => {
    assert.deepEqual(rules('a: 1\n---\nb: 2\n'), ['2:1 yaml-multiple-documents']);
  });

  it('reports syntax errors with positions and never throws', () => {
    const r = parseSafeYaml('a: [\n', 'f.yaml');
    assert.equal(r.value, undefined);
    assert.equal(r.problems[0]!.rule, 'yaml-syntax');
    assert.match(r.problems[0]!.message, /^YAML syntax error: .*; fix the YAML here$/);
  });

  it('stores __proto__, constructor and prototype as own data, never as a prototype', () => {
    const r = parseSafeYaml(
      '__proto__: {polluted: 1}\nconstructor: {prototype: {polluted: 2}}\nnested: {__proto__: {polluted: 3}}\n',
      'f.yaml',
    );
    assert.deepEqual(r.problems, []);
    const v = r.value!.value as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v), ['__proto__', 'constructor', 'nested']);
    assert.ok(Object.hasOwn(v, '__proto__'));
    assert.deepEqual(Object.getOwnPropertyDescriptor(v, '__proto__')?.value, { polluted: 1 });
    const nested = v.nested as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(nested), Object.prototype);
    assert.equal((nested as { polluted?: number }).polluted, undefined);
    assert.equal((v as { polluted?: number }).polluted, undefined);
  });

  it(`caps nesting at ${MAX_YAML_DEPTH} levels for flow, block and compact forms, fast`, () => {
    const deepFlow = `a: ${'['.repeat(150)}${']'.repeat(150)}`;
    const deepBlock = `${Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1`;
    const deepCompact = `${'- '.repeat(150)}1`;
    for (const text of [deepFlow, deepBlock, deepCompact]) {
      const r = parseSafeYaml(text, 'f.yaml');
      assert.equal(r.value, undefined);
      assert.deepEqual(
        r.problems.map((p) => p.rule),
        ['yaml-too-deep'],
      );
    }
    const shallow = `a: ${'['.repeat(50)}${']'.repeat(50)}`;
    assert.deepEqual(parseSafeYaml(shallow, 'f.yaml').problems, []);
  });

  it('applies a line offset (for frontmatter) to every position', () => {
    const r = parseSafeYaml('a: 1\nb: *x\n', 'c.md', { lineOffset: 1 });
    assert.deepEqual([r.problems[0]!.line, r.problems[0]!.column], [3, 4]);
  });

  it('locates value paths, keys and missing paths', () => {
    const text =
      'workflows:\n  build:\n    steps:\n      - run: ls\n      - command: /x\n        retry:\n          maxAttempts: 0\n';
    const src = parseSafeYaml(text, 'o.yaml').value!.source;
    const at = (path: (string | number)[], key = false) => {
      const p = src.locate(path, { key });
      return `${p.line}:${p.column}`;
    };
    assert.equal(at(['workflows', 'build', 'steps', 1, 'retry', 'maxAttempts']), '7:24');
    assert.equal(at(['workflows', 'build', 'steps', 1, 'retry', 'maxAttempts'], true), '7:11');
    assert.equal(at(['workflows', 'build', 'steps', 0]), '4:9');
    assert.equal(at(['workflows', 'build', 'steps', 1, 'nope']), '5:9');
    assert.equal(at(['workflows', 'build', 'steps', 9]), '4:7');
    assert.equal(src.sourceOf(['workflows', 'build', 'steps', 0, 'run']), 'ls');
  });

  it('goes through decodeUtf8 for bytes: invalid UTF-8 and the size cap', () => {
    const bad = parseSafeYamlBytes(new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0x0a]), 'f.yaml');
    assert.equal(bad.problems[0]!.rule, 'invalid-utf8');
    const big = parseSafeYamlBytes(new Uint8Array(2 * 1024 * 1024 + 1).fill(0x61), 'f.yaml');
    assert.equal(big.problems[0]!.rule, 'file-too-large');
  });
});
