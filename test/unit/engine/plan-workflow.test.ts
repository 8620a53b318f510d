import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultOrchestrationSettings } from '../../../src/core/config/settings';
import type { ImplementStep, PlanStep } from '../../../src/core/engine/plan';
import { planCommandLine, planWorkflow } from '../../../src/core/engine/plan-workflow';
import { bindVariables } from '../../../src/core/workflow/bind';
import { parseWorkflows } from '../../../src/core/workflow/read-workflows';

const settings = defaultOrchestrationSettings();

function plan(yaml: string, name: string, vars: Record<string, string>): PlanStep[] {
  const file = parseWorkflows(yaml);
  assert.deepEqual(file.problems, []);
  const workflow = file.value!.workflows.find((w) => w.name === name)!;
  const bound = bindVariables(workflow, vars);
  assert.deepEqual(
    bound.problems.filter((p) => p.severity === 'error'),
    [],
  );
  return planWorkflow(bound.value!, settings);
}

describe('planning workflows', () => {
  it('plans the shipped feature_complete workflow: agent, shell, implement and if steps', () => {
    const yaml = readFileSync(path.resolve(__dirname, '../../../templates/claude/orchestration.yaml'), 'utf8');
    const steps = plan(yaml, 'feature_complete', {
      FEATURE: 'avatar-upload',
      DESCRIPTION: 'Let users upload "avatars"; max 2 MB',
    });
    assert.deepEqual(
      steps.map((s) => s.kind),
      ['agent', 'agent', 'shell', 'agent', 'implement', 'if', 'agent'],
    );
    const create = steps[1]!;
    assert.ok(create.kind === 'agent');
    assert.deepEqual(create.args, ['avatar-upload', 'Let users upload "avatars"; max 2 MB']);
    assert.equal(create.retry?.maxAttempts, 2);
    const lint = steps[2]!;
    assert.ok(lint.kind === 'shell');
    assert.equal(lint.script, 'codex-context-forge lint "PRPs/$FEATURE.md"', 'scripts are never rewritten');
    assert.equal(lint.env.FEATURE, 'avatar-upload', 'values travel as environment variables');
    const implement = steps[4] as ImplementStep;
    assert.equal(implement.prp, 'PRPs/avatar-upload.md');
    assert.equal(implement.maxRounds, 2, "the step's retry is the number of fix rounds");
    assert.equal(implement.retry, undefined, 'retry at one layer only');
    assert.equal(implement.timeoutMs, 90 * 60_000);
  });

  it('gives shell steps a default timeout and parallel/if children stable ids', () => {
    const yaml = [
      'workflows:',
      '  w:',
      '    steps:',
      '      - run: echo one',
      '      - parallel:',
      '          - run: echo a',
      '          - /doc-api $TARGET',
      '      - if: "techStack.database === \'postgresql\'"',
      '        then: [ { run: echo db } ]',
      '        else: [ { run: echo none } ]',
    ].join('\n');
    const steps = plan(yaml, 'w', { TARGET: 'src/api' });
    assert.equal(steps[0]!.timeoutMs, 30 * 60_000);
    const par = steps[1]!;
    assert.ok(par.kind === 'parallel');
    assert.deepEqual(
      par.children.map((c) => c.id),
      ['steps[1].parallel[0]', 'steps[1].parallel[1]'],
    );
    const cond = steps[2]!;
    assert.ok(cond.kind === 'if');
    assert.equal(cond.condition, "techStack.database === 'postgresql'");
    assert.deepEqual(
      [...cond.then, ...cond.else].map((c) => c.id),
      ['steps[2].then[0]', 'steps[2].else[0]'],
    );
  });

  it('plans a single slash-command line', () => {
    const one = planCommandLine('/prp-execute PRPs/x.md', settings);
    assert.ok('steps' in one);
    assert.equal(one.steps[0]!.kind, 'implement');
    const other = planCommandLine('/doc-api  src/api  --deep', settings);
    assert.ok('steps' in other && other.steps[0]!.kind === 'agent');
    assert.ok('error' in planCommandLine('prp-create x', settings));
  });
});
