import * as assert from 'node:assert/strict';
import { emptyTechStack, type ProjectFacts, type TechStack } from '../../../src/core/project/facts';
import { MAX_CONDITIONAL_NESTING, parsePrp, resolveConditionals, scanConditionals } from '../../../src/core/prp';
import { fixture } from '../../support/fixtures';

function facts(stack: Partial<TechStack> = {}): ProjectFacts {
  return { techStack: { ...emptyTechStack(), ...stack } };
}

/** The kept, non-blank lines of a resolved text. */
function kept(text: string, scope: ProjectFacts = facts()): string[] {
  return resolveConditionals(text, 'c.md', scope)
    .text.split('\n')
    .filter((l) => l.trim() !== '');
}

function problems(text: string, scope: ProjectFacts = facts()): Array<[number, number, string, string]> {
  return resolveConditionals(text, 'c.md', scope).structure.problems.map((p) => [p.line, p.column, p.rule, p.message]);
}

describe('conditional blocks', () => {
  const ifElse = [
    'before',
    "## IF techStack.database === 'postgresql'",
    'pg',
    "## ELSE IF 'mongodb' in techStack.databases",
    'mongo',
    '## ELSE',
    'other',
    '## ENDIF',
    'after',
  ].join('\n');

  it('keeps the first true branch, drops the others and the directives', () => {
    assert.deepEqual(kept(ifElse, facts({ database: 'postgresql', databases: ['postgresql', 'mongodb'] })), [
      'before',
      'pg',
      'after',
    ]);
    assert.deepEqual(kept(ifElse, facts({ database: 'mongodb', databases: ['mongodb'] })), [
      'before',
      'mongo',
      'after',
    ]);
    assert.deepEqual(kept(ifElse, facts()), ['before', 'other', 'after']);
  });

  it('keeps length, lines and columns: dropped characters become spaces', () => {
    const text = 'a\r\n## IF false\r\nxyz\r\n## ENDIF\r\nb';
    const r = resolveConditionals(text, 'c.md', facts());
    assert.equal(r.text.length, text.length);
    assert.equal(r.text, 'a\r\n           \r\n   \r\n        \r\nb');
    assert.deepEqual(r.droppedLines, [2, 3, 4]);
  });

  it('returns the text untouched when nothing is dropped', () => {
    const text = '# t\n## IF true\nx\n## ENDIF\n';
    assert.equal(resolveConditionals('# plain\n', 'c.md', facts()).text, '# plain\n');
    assert.notEqual(resolveConditionals(text, 'c.md', facts()).text, text);
  });

  it('nests: an inner block only counts inside a kept branch', () => {
    const text = [
      '## IF true',
      'outer',
      '### IF false',
      'inner-no',
      '### ELSE',
      'inner-yes',
      '### ENDIF',
      '## ENDIF',
    ].join('\n');
    assert.deepEqual(kept(text), ['outer', 'inner-yes']);
    const dropped = ['## IF false', 'outer', '### IF true', 'inner', '### ENDIF', '## ENDIF', 'tail'].join('\n');
    assert.deepEqual(kept(dropped), ['tail']);
  });

  it('reports the structure: branches, body ranges, taken flags and expression columns', () => {
    const r = resolveConditionals(ifElse, 'c.md', facts({ database: 'mongodb', databases: ['mongodb'] }));
    const [block] = r.structure.blocks;
    assert.equal(block!.line, 2);
    assert.equal(block!.endLine, 8);
    assert.deepEqual(
      block!.branches.map((b) => [b.kind, b.line, b.bodyStart, b.bodyEnd, b.taken, b.expression?.column]),
      [
        ['if', 2, 3, 3, false, 7],
        ['elseif', 4, 5, 5, true, 12],
        ['else', 6, 7, 7, false, undefined],
      ],
    );
    assert.equal(block!.branches[0]!.expression?.ast?.type, 'binary');
    assert.deepEqual(
      r.structure.directives.map((d) => [d.kind, d.line, d.column]),
      [
        ['if', 2, 4],
        ['elseif', 4, 4],
        ['else', 6, 4],
        ['endif', 8, 4],
      ],
    );
  });

  it('scanConditionals gives the structure without deciding anything', () => {
    const s = scanConditionals(ifElse, 'c.md', facts());
    assert.equal(
      s.blocks[0]!.branches.every((b) => b.taken === undefined),
      true,
    );
    assert.deepEqual(s.problems, []);
  });

  it('is not fooled by lookalikes: fenced examples, lower-case headings, IF-prefixed words, HTML comments', () => {
    const text = [
      '```markdown',
      '## IF techStack.database === "x"',
      '```',
      '## If you need help',
      '## IFFY heading',
      '<!--',
      '## ENDIF',
      '-->',
      '  ## IF indented',
    ].join('\n');
    assert.deepEqual(scanConditionals(text, 'c.md', facts()).directives, []);
    assert.deepEqual(problems(text), []);
  });

  it('accepts ELSEIF, END IF and a closing sequence of #s', () => {
    const text = ['## IF false ##', 'a', '## ELSEIF true', 'b', '## END IF', 'c'].join('\n');
    assert.deepEqual(kept(text), ['b', 'c']);
    assert.deepEqual(problems(text), []);
  });

  describe('errors, each with line and column', () => {
    it('IF without ENDIF (the rest of the file belongs to it)', () => {
      assert.deepEqual(problems('a\n## IF false\nb\nc'), [
        [2, 1, 'prp-conditional-unbalanced', 'IF on line 2 is never closed: add "## ENDIF" where the block ends'],
      ]);
      assert.deepEqual(kept('a\n## IF false\nb\nc'), ['a']);
    });

    it('ENDIF, ELSE and ELSE IF without IF', () => {
      assert.deepEqual(problems('## ENDIF\n## ELSE\n### ELSE IF true'), [
        [1, 4, 'prp-conditional-unbalanced', 'ENDIF without a matching IF'],
        [2, 4, 'prp-conditional-unbalanced', 'ELSE without a matching IF above it'],
        [3, 5, 'prp-conditional-unbalanced', 'ELSE IF without a matching IF above it'],
      ]);
    });

    it('ELSE IF or a second ELSE after ELSE', () => {
      const text = ['## IF false', 'a', '## ELSE', 'b', '## ELSE IF true', 'c', '## ELSE', 'd', '## ENDIF'].join('\n');
      const p = problems(text);
      assert.deepEqual(
        p.map(([line, col, rule]) => [line, col, rule]),
        [
          [5, 4, 'prp-conditional-unbalanced'],
          [7, 4, 'prp-conditional-unbalanced'],
        ],
      );
      assert.match(p[0]![3], /after the ELSE of the IF on line 1/);
      // Only the first ELSE's content is kept.
      assert.deepEqual(kept(text), ['b']);
    });

    it('text after ELSE or ENDIF', () => {
      assert.deepEqual(problems('## IF true\n## ELSE techStack.x\n## ENDIF now'), [
        [2, 9, 'prp-conditional-unbalanced', 'unexpected text after ELSE: "techStack.x" (did you mean ELSE IF?)'],
        [3, 10, 'prp-conditional-unbalanced', 'unexpected text after ENDIF: "now" (did you mean ELSE IF?)'],
      ]);
    });

    it('a syntax error, at the column of the offending character in the file', () => {
      const p = problems("## IF techStack.database = 'postgresql'\nx\n## ENDIF");
      assert.deepEqual(
        p.map(([l, c, r]) => [l, c, r]),
        [[1, 26, 'prp-conditional-expression']],
      );
      assert.match(p[0]![3], /compare with ===/);
    });

    it('an unknown identifier, even in a branch that is not evaluated', () => {
      const text = ['## IF true', 'a', '## ELSE IF techStack.databse === "x"', 'b', '## ENDIF'].join('\n');
      const p = problems(text);
      assert.deepEqual(
        p.map(([l, c, r]) => [l, c, r]),
        [[3, 22, 'prp-conditional-expression']],
      );
      assert.match(p[0]![3], /unknown name "techStack\.databse"/);
    });

    it('an unknown identifier inside a dropped outer branch', () => {
      const text = ['## IF false', '### IF nope', 'x', '### ENDIF', '## ENDIF'].join('\n');
      assert.deepEqual(
        problems(text).map(([l, c]) => [l, c]),
        [[2, 8]],
      );
    });

    it('a type error while evaluating; the branch counts as false', () => {
      const text = ["## IF techStack.languages === 'x'", 'a', '## ELSE', 'b', '## ENDIF'].join('\n');
      assert.deepEqual(
        problems(text).map(([l, c, r]) => [l, c, r]),
        [[1, 7, 'prp-conditional-expression']],
      );
      assert.deepEqual(kept(text), ['b']);
    });

    it('an IF without a condition', () => {
      assert.deepEqual(
        problems('## IF\n## ENDIF').map(([l, c, r]) => [l, c, r]),
        [[1, 6, 'prp-conditional-expression']],
      );
    });

    it(`IF blocks nested deeper than ${MAX_CONDITIONAL_NESTING} are refused and dropped, without recursion`, () => {
      const depth = 10_000;
      const text = `${'## IF true\n'.repeat(depth)}deep\n${'## ENDIF\n'.repeat(depth)}after`;
      const r = resolveConditionals(text, 'c.md', facts());
      assert.deepEqual(
        r.structure.problems.map((p) => [p.line, p.rule]),
        [[MAX_CONDITIONAL_NESTING + 1, 'prp-conditional-unbalanced']],
      );
      assert.deepEqual(
        r.text.split('\n').filter((l) => l.trim()),
        ['after'],
      );
    });
  });

  describe('in a PRP', () => {
    const text = fixture('conditional-db.md');
    const levels = (scope: ProjectFacts) => {
      const r = parsePrp(text, 'PRPs/c.md', { facts: scope });
      assert.deepEqual(r.problems, []);
      return r.value!.validationLevels.map((l) => [l.level, l.name, l.commands.map((c) => `${c.line}:${c.text}`)]);
    };

    it('keeps the PostgreSQL level (and the nested redis check) for a PostgreSQL project', () => {
      assert.deepEqual(levels(facts({ database: 'postgresql', databases: ['postgresql', 'redis'] })), [
        [1, 'Syntax & Style', ['38:npm run lint']],
        [
          2,
          'Database checks (PostgreSQL)',
          [
            `45:psql "$DATABASE_URL" -c "EXPLAIN DELETE FROM audit_log WHERE created_at < now() - interval '90 days'"`,
            '50:redis-cli ping',
          ],
        ],
        [3, 'Unit tests', ['70:npm test']],
      ]);
    });

    it('keeps the MongoDB level for a MongoDB project (loose == on a string)', () => {
      assert.deepEqual(levels(facts({ database: 'mongodb', databases: ['mongodb'] }))[1], [
        2,
        'Database checks (MongoDB)',
        ["57:mongosh --eval 'db.audit_log.getIndexes()'"],
      ]);
    });

    it('keeps the ELSE level when nothing was detected', () => {
      assert.deepEqual(levels(facts())[1], [2, 'Database checks', ['63:npm run db:check']]);
    });

    it('reports conditional problems next to a model', () => {
      const r = parsePrp('# t\n## IF nope\nx\n', 'PRPs/c.md');
      assert.ok(r.value);
      assert.deepEqual(
        r.problems.map((p) => [p.line, p.column, p.rule]),
        [
          [2, 1, 'prp-conditional-unbalanced'],
          [2, 7, 'prp-conditional-expression'],
        ],
      );
    });
  });
});
