import * as assert from 'node:assert/strict';
import type { Expr } from '../../../src/core/expr';
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, parseExpression } from '../../../src/core/expr';

/** A compact, parenthesised rendering of the tree, so precedence is visible in assertions. */
function show(e: Expr): string {
  switch (e.type) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'identifier':
      return e.name;
    case 'member':
      return typeof e.property === 'number' ? `${show(e.object)}[${e.property}]` : `${show(e.object)}.${e.property}`;
    case 'unary':
      return `(!${show(e.argument)})`;
    case 'binary':
    case 'logical':
      return `(${show(e.left)} ${e.operator} ${show(e.right)})`;
  }
}

function parsed(text: string): string {
  const r = parseExpression(text);
  if (!r.ok) assert.fail(`expected "${text}" to parse, got: ${r.error.message} at column ${r.error.column}`);
  return show(r.value);
}

function error(text: string): { kind: string; message: string; column: number } {
  const r = parseExpression(text);
  if (r.ok) assert.fail(`expected "${text}" to fail, got ${show(r.value)}`);
  return r.error;
}

describe('expression parser', () => {
  describe('literals and names', () => {
    it('reads single- and double-quoted strings with escapes', () => {
      assert.equal(parsed(`'it\\'s'`), JSON.stringify("it's"));
      assert.equal(parsed(`"a\\"b"`), JSON.stringify('a"b'));
      assert.equal(parsed(`'tab\\tnew\\nline\\\\'`), JSON.stringify('tab\tnew\nline\\'));
      assert.equal(parsed(`'\\u0041\\u{1F600}'`), JSON.stringify('A😀'));
    });

    it('reads numbers, booleans and null', () => {
      assert.equal(parsed('42'), '42');
      assert.equal(parsed('3.5'), '3.5');
      assert.equal(parsed('1e3'), '1000');
      assert.equal(parsed('true'), 'true');
      assert.equal(parsed('false'), 'false');
      assert.equal(parsed('null'), 'null');
    });

    it('reads member access by dot, by quoted name and by index', () => {
      assert.equal(parsed('techStack.database'), 'techStack.database');
      assert.equal(parsed(`techStack['database']`), 'techStack.database');
      assert.equal(parsed('techStack.languages[0]'), 'techStack.languages[0]');
      const r = parseExpression(`a["b"]`);
      assert.ok(r.ok && r.value.type === 'member' && r.value.computed && r.value.propertyStart === 2);
    });

    it('records 0-based offsets of every node', () => {
      const r = parseExpression(`  techStack.database === 'x'`);
      assert.ok(r.ok && r.value.type === 'binary');
      assert.equal(r.value.start, 2);
      assert.equal(r.value.end, 28);
      assert.equal(r.value.left.start, 2);
      assert.equal(r.value.right.start, 25);
    });
  });

  describe('precedence', () => {
    it('binds && tighter than ||', () => {
      assert.equal(parsed('a || b && c'), '(a || (b && c))');
      assert.equal(parsed('a && b || c'), '((a && b) || c)');
    });

    it('binds equality tighter than && and `in` tighter than equality', () => {
      assert.equal(parsed(`a === 'x' && b !== 'y'`), '((a === "x") && (b !== "y"))');
      assert.equal(parsed(`'x' in a === true`), '(("x" in a) === true)');
      assert.equal(parsed(`a == 1 || b != 2`), '((a == 1) || (b != 2))');
    });

    it('binds ! tighter than everything but member access', () => {
      assert.equal(parsed('!a.b && c'), '((!a.b) && c)');
      assert.equal(parsed('!!a'), '(!(!a))');
      assert.equal(parsed(`!('x' in a)`), '(!("x" in a))');
    });

    it('groups with parentheses and is left-associative for && and ||', () => {
      assert.equal(parsed('(a || b) && c'), '((a || b) && c)');
      assert.equal(parsed('a || b || c'), '((a || b) || c)');
      assert.equal(parsed('a && b && c'), '((a && b) && c)');
    });
  });

  describe('errors carry the 1-based column', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['', 1, /empty expression/],
      ['a ===', 6, /end of the expression/],
      ["techStack.database = 'x'", 20, /compare with ===/],
      ['a & b', 3, /use &&/],
      ['a | b', 3, /use \|\|/],
      ['a > 1', 3, /only === !== == != && \|\| ! and in/],
      ["'unterminated", 1, /unterminated string/],
      ["'bad \\q escape'", 6, /unknown escape/],
      ['(a || b', 8, /expected "\)" to close the "\(" at column 1/],
      ['a b', 3, /unexpected "b" after the end/],
      ['a.', 3, /property name/],
      ['a[b]', 3, /quoted name or an index/],
      ["a['b'", 6, /expected "]"/],
      ['a[1.5]', 3, /whole number/],
      ['a === b === c', 9, /do not chain/],
      ["'x' in a in b", 10, /does not chain/],
      ['12abc', 1, /invalid number/],
      ['a # b', 3, /unexpected character "#"/],
      ['a\u200b', 2, /U\+200B/],
      ['in a', 1, /value before `in`/],
      [')', 1, /unexpected "\)"/],
    ];
    for (const [text, column, message] of cases) {
      it(`${JSON.stringify(text)} → column ${column}`, () => {
        const e = error(text);
        assert.equal(e.column, column, e.message);
        assert.match(e.message, message);
        assert.equal(e.kind, 'syntax');
      });
    }
  });

  describe('limits', () => {
    it(`refuses deeply nested parentheses with a positioned error (cap ${MAX_EXPRESSION_DEPTH})`, () => {
      const e = error(`${'('.repeat(2000)}a${')'.repeat(2000)}`);
      assert.equal(e.kind, 'too-deep');
      assert.equal(e.column, MAX_EXPRESSION_DEPTH + 1);
    });

    it('refuses parentheses 100,000 deep without overflowing the stack', () => {
      const e = error(`${'('.repeat(100_000)}a${')'.repeat(100_000)}`);
      assert.equal(e.kind, 'too-long');
    });

    it('refuses 100,000 leading ! without overflowing the stack', () => {
      // Past the length cap this is "too-long"; under it, "too-deep": either way a clear error, not a crash.
      assert.equal(error('!'.repeat(100_000) + 'a').kind, 'too-long');
      assert.equal(error('!'.repeat(1000) + 'a').kind, 'too-deep');
    });

    it('caps long operator chains and member chains too', () => {
      assert.equal(error(Array.from({ length: 200 }, () => 'a').join(' && ')).kind, 'too-deep');
      assert.equal(error(`a${'.b'.repeat(200)}`).kind, 'too-deep');
      assert.ok(parseExpression(Array.from({ length: 30 }, () => 'a').join(' || ')).ok);
    });

    it(`refuses expressions longer than ${MAX_EXPRESSION_LENGTH} characters`, () => {
      const e = error(`'${'x'.repeat(MAX_EXPRESSION_LENGTH)}'`);
      assert.equal(e.kind, 'too-long');
    });

    it('accepts exactly the maximum depth', () => {
      const depth = MAX_EXPRESSION_DEPTH;
      assert.ok(parseExpression(`${'('.repeat(depth)}a${')'.repeat(depth)}`).ok);
      assert.equal(error(`${'('.repeat(depth + 1)}a${')'.repeat(depth + 1)}`).kind, 'too-deep');
    });
  });
});
