import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { expandArguments } from '../../../src/core/commands/expand-arguments';
import { type BoundStep, bindVariables, workflowVariables } from '../../../src/core/workflow/bind';
import { parseWorkflows } from '../../../src/core/workflow/read-workflows';
import type { Workflow } from '../../../src/core/workflow/schema';

function workflow(yaml: string): Workflow {
  const r = parseWorkflows(yaml);
  assert.deepEqual(r.problems, []);
  return r.value!.workflows[0]!;
}

const WF = `workflows:
  ship:
    variables:
      FEATURE_NAME: { description: Short name }
      BRANCH: { default: main }
      NOTE: { required: false }
      TICKET: { required: true }
    steps:
      - /prp-create $FEATURE_NAME "about \${FEATURE_NAME}" $NOTE
      - run: printf '%s|%s|%s' "$FEATURE_NAME" "$BRANCH" "$HOME"
      - if: $FEATURE_NAME != ''
        then:
          - /deploy $TARGET
`;

function flat(steps: BoundStep[]): BoundStep[] {
  return steps.flatMap((s) => [
    s,
    ...(s.kind === 'parallel' ? flat(s.steps) : []),
    ...(s.kind === 'if' ? [...flat(s.thenSteps), ...flat(s.elseSteps)] : []),
  ]);
}

describe('workflow variables: listing and binding', () => {
  it('lists declared variables (in order) then undeclared ones used by commands; run-only $HOME is not one', () => {
    const vars = workflowVariables(workflow(WF));
    assert.deepEqual(
      vars.map((v) => [v.name, v.declared, v.required, v.default, v.uses.map((u) => `${u.stepId}:${u.context}`)]),
      [
        [
          'FEATURE_NAME',
          true,
          true,
          undefined,
          ['steps[0]:command', 'steps[0]:command', 'steps[1]:run', 'steps[2]:if'],
        ],
        ['BRANCH', true, false, 'main', ['steps[1]:run']],
        ['NOTE', true, false, undefined, ['steps[0]:command']],
        ['TICKET', true, true, undefined, []],
        ['TARGET', false, true, undefined, ['steps[2].then[0]:command']],
      ],
    );
    assert.equal(vars[0]!.description, 'Short name');
    assert.deepEqual([vars[0]!.uses[0]!.position.line, vars[0]!.uses[0]!.position.column], [9, 21]);
  });

  it('reports every undefined variable at each use (or its declaration) before anything runs', () => {
    const r = bindVariables(workflow(WF), {});
    assert.equal(r.value, undefined);
    assert.deepEqual(
      r.problems.map((p) => `${p.line}:${p.column} ${p.rule} ${p.message.split(';')[0]}`),
      [
        '9:21 workflow-variable-undefined variable FEATURE_NAME has no value',
        '9:42 workflow-variable-undefined variable FEATURE_NAME has no value',
        '10:33 workflow-variable-undefined variable FEATURE_NAME has no value',
        '11:13 workflow-variable-undefined variable FEATURE_NAME has no value',
        '7:7 workflow-variable-undefined variable TICKET is required but has no value',
        '13:21 workflow-variable-undefined variable TARGET has no value',
      ],
    );
  });

  it('substitutes command lines in one pass and keeps each value inside its written argument', () => {
    const hostile = `x" "y $(id) \`id\` $BRANCH $1 $ARGUMENTS '`;
    const r = bindVariables(workflow(WF), { FEATURE_NAME: hostile, TICKET: 'T-1', TARGET: 'prod' });
    assert.deepEqual(r.problems, []);
    const steps = flat(r.value!.steps);
    const create = steps[0]!;
    assert.ok(create.kind === 'command');
    assert.equal(create.resolvedLine, `/prp-create ${hostile} "about ${hostile}" `);
    assert.equal(create.resolvedArgsText, `${hostile} "about ${hostile}" `);
    assert.deepEqual(create.args, [hostile, `about ${hostile}`, '']);
    const body = expandArguments('1=<$1> 2=<$2> all=<$ARGUMENTS>', create.resolvedArgsText, create.args);
    assert.equal(body.text, `1=<${hostile}> 2=<about ${hostile}> all=<${create.resolvedArgsText}>`);
    const deploy = steps[3]!;
    assert.ok(deploy.kind === 'command');
    assert.deepEqual(deploy.args, ['prod']);
    assert.deepEqual(r.value!.values, {
      FEATURE_NAME: hostile,
      BRANCH: 'main',
      NOTE: '',
      TICKET: 'T-1',
      TARGET: 'prod',
    });
  });

  it('never pastes values into run: scripts: they travel as env vars, and /bin/sh sees them as data', () => {
    const hostile = `'; touch /tmp/ccf-pwned-$$; echo '\n$(id) \`id\` "quoted" \\ $HOME`;
    const r = bindVariables(workflow(WF), { FEATURE_NAME: hostile, TICKET: 't', TARGET: 'p' });
    const run = flat(r.value!.steps)[1]!;
    assert.ok(run.kind === 'run');
    assert.equal(run.script, `printf '%s|%s|%s' "$FEATURE_NAME" "$BRANCH" "$HOME"`);
    assert.deepEqual(run.env, { FEATURE_NAME: hostile, BRANCH: 'main' });
    const out = execFileSync('/bin/sh', ['-c', run.script], {
      env: { ...process.env, ...run.env, HOME: '/home/test' },
      encoding: 'utf8',
    });
    assert.equal(out, `${hostile}|main|/home/test`);
  });

  it('keeps if: expressions as written and exposes the values for the evaluator', () => {
    const r = bindVariables(workflow(WF), { FEATURE_NAME: 'f', TICKET: 't', TARGET: 'p' });
    const cond = flat(r.value!.steps)[2]!;
    assert.ok(cond.kind === 'if');
    assert.equal(cond.condition.expression, "$FEATURE_NAME != ''");
    assert.equal(r.value!.values.FEATURE_NAME, 'f');
  });

  it('warns about values for unknown variables and refuses bad names and NUL', () => {
    const r = bindVariables(workflow(WF), {
      FEATURE_NAME: 'a\0b',
      TICKET: 't',
      TARGET: 'p',
      FEATUR_NAME: 'typo',
      'bad-name': 'x',
    });
    assert.equal(r.value, undefined);
    assert.deepEqual(
      r.problems.map((p) => [p.severity, p.message.split(';')[0]!.split(',')[0]]),
      [
        ['error', 'the value of FEATURE_NAME contains a NUL character'],
        ['warning', 'a value was given for FEATUR_NAME'],
        ['error', '`bad-name` is not a variable name: names are UPPER_SNAKE_CASE'],
      ],
    );
  });

  it('accepts a Map of values', () => {
    const r = bindVariables(
      workflow(WF),
      new Map([
        ['FEATURE_NAME', 'f'],
        ['TICKET', 't'],
        ['TARGET', 'p'],
      ]),
    );
    assert.equal(r.value!.values.FEATURE_NAME, 'f');
  });

  it('handles $$ in command lines as a literal dollar', () => {
    const wf = workflow('workflows:\n  w:\n    steps:\n      - /pay "$$5 to $$NAME for $WHO"\n');
    const r = bindVariables(wf, { WHO: 'bob' });
    const step = r.value!.steps[0]!;
    assert.ok(step.kind === 'command');
    assert.equal(step.resolvedArgsText, '"$5 to $NAME for bob"');
    assert.deepEqual(step.args, ['$5 to $NAME for bob']);
  });
});
