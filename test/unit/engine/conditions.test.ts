import * as assert from 'node:assert/strict';
import { conditionEvaluator, variablesToMembers } from '../../../src/core/engine/conditions';
import { emptyTechStack } from '../../../src/core/project/facts';

describe('workflow conditions', () => {
  const facts = { techStack: { ...emptyTechStack(), database: 'postgresql', databases: ['postgresql', 'redis'] } };

  it('rewrites variables outside string literals only', () => {
    assert.equal(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the workflow syntax `${NAME}` is the subject here.
      variablesToMembers("$ENV === 'prod' && ${MODE} !== '$ENV'"),
      "vars.ENV === 'prod' && vars.MODE !== '$ENV'",
    );
    assert.equal(variablesToMembers('"a\\"$X" == $Y'), '"a\\"$X" == vars.Y');
  });

  it('evaluates facts and variables; values never become code', () => {
    const evaluate = conditionEvaluator(facts, { ENV: "prod' || true || '", TARGET: 'api' });
    assert.deepEqual(evaluate("techStack.database === 'postgresql'"), { value: true });
    assert.deepEqual(evaluate("'redis' in techStack.databases && $TARGET === 'api'"), { value: true });
    assert.deepEqual(evaluate("$ENV === 'prod'"), { value: false }, 'a hostile value is data');
    const bad = evaluate('techStack.nope === 1');
    assert.ok('error' in bad && /nope/.test(bad.error));
    assert.ok('error' in evaluate('techStack.constructor'));
  });
});
