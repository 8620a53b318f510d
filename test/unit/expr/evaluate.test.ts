import * as assert from 'node:assert/strict';
import {
  checkExpression,
  evaluate,
  evaluateCondition,
  evaluateExpression,
  isTruthy,
  parseExpression,
  type Value,
} from '../../../src/core/expr';
import { emptyTechStack, type ProjectFacts } from '../../../src/core/project/facts';

const facts: ProjectFacts = {
  techStack: {
    ...emptyTechStack(),
    languages: ['typescript', 'javascript'],
    frameworks: ['express'],
    database: 'postgresql',
    databases: ['postgresql', 'redis'],
    testRunner: 'vitest',
    linters: ['eslint'],
    packageManager: 'pnpm',
  },
};

function value(text: string, scope: object = facts): Value {
  const r = evaluate(text, scope);
  if (!r.ok) assert.fail(`"${text}" failed: ${r.error.message} (column ${r.error.column})`);
  return r.value;
}

function failure(text: string, scope: object = facts): { kind: string; message: string; column: number } {
  const r = evaluate(text, scope);
  if (r.ok) assert.fail(`"${text}" should fail, gave ${JSON.stringify(r.value)}`);
  return r.error;
}

describe('expression evaluation', () => {
  it('reads facts by member access', () => {
    assert.equal(value('techStack.database'), 'postgresql');
    assert.equal(value(`techStack['packageManager']`), 'pnpm');
    assert.equal(value('techStack.languages[1]'), 'javascript');
    assert.equal(value('techStack.languages[5]'), null);
    assert.equal(value('techStack.languages.length'), 2);
    assert.deepEqual(value('techStack.frameworks'), ['express']);
  });

  it('=== and !== compare strictly', () => {
    assert.equal(value(`techStack.database === 'postgresql'`), true);
    assert.equal(value(`techStack.database === 'mysql'`), false);
    assert.equal(value(`techStack.database !== 'mysql'`), true);
    assert.equal(value(`1 === '1'`), false);
    assert.equal(value('null === null'), true);
    assert.equal(value('true !== false'), true);
  });

  it('== and != are loose only between near kinds', () => {
    assert.equal(value(`1 == '1'`), true);
    assert.equal(value(`'2.50' == 2.5`), true);
    assert.equal(value(`true == 'true'`), true);
    assert.equal(value(`'false' != false`), false);
    assert.equal(value(`0 == ''`), false);
    assert.equal(value('null == 0'), false);
    assert.equal(value('true == 1'), false);
    assert.equal(value(`'PostgreSQL' == 'postgresql'`), false);
    assert.equal(value(`1 != '2'`), true);
  });

  it('`in` tests list membership and own keys', () => {
    assert.equal(value(`'postgresql' in techStack.databases`), true);
    assert.equal(value(`'mongodb' in techStack.databases`), false);
    assert.equal(value(`'database' in techStack`), true);
    assert.equal(value(`'toString' in techStack`), false);
    assert.equal(value(`'__proto__' in techStack`), false);
    assert.equal(value(`'constructor' in techStack`), false);
  });

  it('!, && and || use truthiness and short-circuit', () => {
    assert.equal(value('!techStack.linters'), false);
    assert.equal(value('!techStack.databases.length'), false);
    assert.equal(value(`techStack.database === 'x' || 'fallback'`), 'fallback');
    assert.equal(value(`techStack.database && techStack.testRunner`), 'vitest');
    assert.equal(value(`'' && techStack.database`), '');
    // The right side is not evaluated when the left decides: a type error there is not reached.
    assert.equal(value(`false && (techStack.languages === 'x')`), false);
    assert.equal(value(`true || (techStack.languages === 'x')`), true);
  });

  it('isTruthy: false, null, 0, NaN, empty string and empty list are falsy', () => {
    for (const v of [false, null, 0, Number.NaN, '', []] as Value[]) assert.equal(isTruthy(v), false, String(v));
    for (const v of [true, 1, 'none', ['a'], {}] as Value[]) assert.equal(isTruthy(v), true, JSON.stringify(v));
  });

  it('evaluateCondition reduces to a boolean', () => {
    assert.deepEqual(evaluateCondition(`'redis' in techStack.databases`, facts), { ok: true, value: true });
    assert.deepEqual(evaluateCondition('techStack.linters.length', facts), { ok: true, value: true });
    assert.deepEqual(evaluateCondition('techStack.databases[9]', facts), { ok: true, value: false });
  });

  it('known fact names resolve even when nothing was detected', () => {
    const empty: ProjectFacts = { techStack: emptyTechStack() };
    assert.equal(value(`techStack.database === 'postgresql'`, empty), false);
    assert.equal(value(`'react' in techStack.frameworks`, empty), false);
    assert.equal(value('techStack.languages[0]', empty), null);
  });

  describe('errors', () => {
    it('an unknown root name, with its column and the known names', () => {
      const e = failure(`x && techstack.database === 'postgresql'`, { x: true, techStack: facts.techStack });
      assert.equal(e.kind, 'unknown-identifier');
      assert.equal(e.column, 6);
      assert.match(e.message, /unknown name "techstack"; known names: x, techStack/);
    });

    it('an unknown member, at the member’s column', () => {
      const e = failure(`techStack.databse === 'x'`);
      assert.equal(e.kind, 'unknown-identifier');
      assert.equal(e.column, 11);
      assert.match(e.message, /techStack\.databse.*known: languages, frameworks, database/);
    });

    it('is reported even in a branch that is not taken (names are checked before evaluating)', () => {
      const e = failure(`true || techStack.nope`);
      assert.equal(e.kind, 'unknown-identifier');
      assert.equal(e.column, 19);
    });

    it('refuses prototype access of every spelling', () => {
      for (const text of [
        'techStack.constructor',
        'techStack.__proto__',
        `techStack['__proto__']`,
        'techStack.prototype',
        'techStack.toString',
        'techStack.hasOwnProperty',
        'techStack.languages.constructor',
        'techStack.languages.push',
        'constructor',
        '__proto__',
        'toString',
      ]) {
        const e = failure(text);
        assert.equal(e.kind, 'unknown-identifier', text);
      }
    });

    it('never reaches the prototype even when the facts hold an own __proto__ key', () => {
      const hostile = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c"}') as object;
      assert.equal(failure('o.__proto__', { o: hostile }).kind, 'unknown-identifier');
      assert.equal(failure('o.constructor', { o: hostile }).kind, 'unknown-identifier');
      assert.equal(value(`'__proto__' in o`, { o: hostile }), false);
    });

    it('property access on a string is a type error', () => {
      const e = failure('techStack.database.length');
      assert.equal(e.kind, 'type');
      assert.equal(e.column, 20);
      assert.match(e.message, /techStack\.database, which is a string/);
    });

    it('comparing a list is a type error that suggests `in`', () => {
      const e = failure(`techStack.languages === 'typescript'`);
      assert.equal(e.kind, 'type');
      assert.equal(e.column, 1);
      assert.match(e.message, /'value' in techStack\.languages/);
    });

    it('`in` needs a list or object on the right and a primitive on the left', () => {
      const right = failure(`'p' in techStack.database`);
      assert.equal(right.kind, 'type');
      assert.equal(right.column, 8);
      const left = failure(`techStack.languages in techStack.frameworks`);
      assert.equal(left.kind, 'type');
      assert.equal(left.column, 1);
      assert.equal(failure(`1 in techStack`).kind, 'type');
    });

    it('functions in a scope are not values', () => {
      assert.equal(failure('f', { f: () => 1 }).kind, 'type');
    });

    it('syntax errors come through evaluate too', () => {
      assert.equal(failure(`techStack.database = 'x'`).kind, 'syntax');
    });
  });

  describe('checkExpression', () => {
    it('reports every unknown name, sorted by column, without evaluating', () => {
      const parsed = parseExpression(`techStack.a || techStack.database === 'x' || nope`);
      assert.ok(parsed.ok);
      const errors = checkExpression(parsed.value, facts);
      assert.deepEqual(
        errors.map((e) => e.column),
        [11, 46],
      );
    });

    it('is empty for a valid expression, and evaluateExpression then short-circuits', () => {
      const parsed = parseExpression(`techStack.database === 'postgresql' || techStack.languages === 'x'`);
      assert.ok(parsed.ok);
      assert.deepEqual(checkExpression(parsed.value, facts), []);
      assert.deepEqual(evaluateExpression(parsed.value, facts), { ok: true, value: true });
    });
  });

  it('is not a JavaScript evaluator: code-like input is a syntax error', () => {
    for (const text of [
      `techStack.database === 'x' || process.exit()`,
      'globalThis.process',
      '(() => 1)()',
      'a; b',
      '`template`',
    ]) {
      const r = evaluate(text, facts);
      assert.equal(r.ok, false, text);
    }
  });
});
