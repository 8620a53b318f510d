import * as assert from 'node:assert/strict';
import { BUILTIN_MATCHERS } from '../../../src/core/gates/builtin-matchers';
import { compileMatcher, compileMatchers, MatcherSpecError } from '../../../src/core/gates/compile-matcher';
import { type MatcherSpec, userMatcherSpecSchema } from '../../../src/core/gates/matcher-spec';

/** `${name}`: VS Code's variable syntax, spelled without a template literal. */
const v = (name: string): string => ['$', '{', name, '}'].join('');

function specError(spec: unknown): string {
  try {
    compileMatcher(spec as MatcherSpec);
  } catch (e) {
    assert.ok(e instanceof MatcherSpecError, String(e));
    return e.message;
  }
  assert.fail('expected a MatcherSpecError');
}

describe('matcher specs', () => {
  it('compiles every shipped matcher', () => {
    const compiled = compileMatchers(BUILTIN_MATCHERS);
    assert.equal(compiled.length, BUILTIN_MATCHERS.length);
    assert.equal(compileMatcher(BUILTIN_MATCHERS[0]!), compiled[0], 'compiled once per spec object');
  });

  it('names the matcher and the field in every error', () => {
    assert.match(
      specError({ name: 'bad', source: 's', pattern: { regexp: '([a-', file: 1, line: 2, message: 0 } }),
      /problem matcher "bad": pattern\.regexp: not a valid regular expression/,
    );
    assert.match(
      specError({ name: 'bad', source: 's', pattern: { regexp: '^(a)$', file: 1, line: 4, message: 0 } }),
      /pattern\.line: group 4 does not exist \(the regular expression has 1 group\)/,
    );
    assert.match(
      specError({
        name: 'bad',
        source: 's',
        pattern: [
          { regexp: '^(a)$', file: 1, loop: true },
          { regexp: '^(\\d+) (.*)$', line: 1, message: 2 },
        ],
      }),
      /pattern\[0\]\.loop: only the last pattern of a multi-line matcher can loop/,
    );
    assert.match(
      specError({ name: 'bad', source: 's', pattern: [{ regexp: '^(a)$', line: 1, message: 1 }] }),
      /must capture at least a file and a message|group 1 is already/,
    );
    assert.match(
      specError({ name: 'bad', source: 's', pattern: [{ regexp: '^(a) (b)$', file: 1, message: 2 }] }),
      /must capture a line or a location, or use kind "file"/,
    );
    assert.match(specError({ name: 'bad', source: 's', parser: 'nope' }), /unknown parser "nope"/);
    assert.match(specError({ name: 'bad', source: 's' }), /needs a "pattern", a "testName" or a "parser"/);
    assert.match(specError({ name: 'bad', pattern: { regexp: 'x' } }), /needs a source/);
    assert.match(
      specError({ name: 'bad', source: 's', fileLocation: 'nearby', pattern: { regexp: '^(a):(1):(2) (x)$' } }),
      /fileLocation: unknown kind "nearby"/,
    );
  });

  it("explains a group used twice by VS Code's defaults (column defaults to 3)", () => {
    assert.match(
      specError({
        name: 'go-like',
        source: 's',
        pattern: { regexp: '^(\\S+):(\\d+): (.*)$', file: 1, line: 2, message: 3 },
      }),
      /pattern\.message: group 3 is already the column \(in a single-line pattern column defaults to group 3, as in VS Code: set column explicitly\)/,
    );
  });

  it('refuses two matchers with one name', () => {
    const m: MatcherSpec = { name: 'twin', source: 's', parser: 'pytest' };
    assert.throws(() => compileMatchers([m, { ...m }]), /"twin": name: two matchers have this name/);
  });

  it('accepts a RegExp from code and drops g/y flags that would carry lastIndex across lines', () => {
    const c = compileMatcher({ name: 'r', source: 's', pattern: { regexp: /^(\S+):(\d+):(\d+) (.*)$/g, message: 4 } });
    assert.equal(c.type, 'pattern');
    if (c.type === 'pattern') assert.equal(c.patterns[0]!.regexp.global, false);
  });

  describe('user-supplied matchers (zod schema)', () => {
    it('accepts a VS Code style pattern matcher', () => {
      const r = userMatcherSpecSchema.safeParse({
        name: 'my-lint',
        source: 'mylint',
        severity: 'warning',
        fileLocation: ['relative', v('workspaceFolder')],
        pattern: { regexp: '^(.*):(\\d+): (.*)$', file: 1, line: 2, message: 3 },
      });
      assert.ok(r.success, JSON.stringify(r.error?.issues));
    });

    it('refuses structured parsers, unknown keys, bad names and prototype keys', () => {
      for (const bad of [
        { name: 'x', source: 's', parser: 'pytest' },
        { name: 'x', source: 's', pattern: { regexp: 'a', file: 1, message: 0, extra: true } },
        { name: '../x', source: 's', pattern: { regexp: 'a', file: 1, line: 1, message: 0 } },
        JSON.parse('{"name":"x","source":"s","__proto__":{"polluted":true},"pattern":{"regexp":"a"}}'),
        { name: 'x', source: 's', pattern: { regexp: '', file: 1, message: 0 } },
      ]) {
        assert.equal(userMatcherSpecSchema.safeParse(bad).success, false, JSON.stringify(bad));
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });
});
