import * as assert from 'node:assert/strict';
import type { PlanStep } from '../../../src/core/engine/plan';
import type { RunEvent } from '../../../src/core/run/events';
import { foldRun } from '../../../src/core/run/fold';
import { parseHostMessage } from '../../../src/protocol/panel-protocol';
import { progressText, runView } from '../../../src/protocol/run-view';

const plan: PlanStep[] = [
  { kind: 'shell', id: 'steps[0]', name: 'Build', script: 'npm run build', env: {} },
  {
    kind: 'level',
    id: 'level-2',
    name: 'Level 2: Unit Tests',
    level: 2,
    levelName: 'Unit Tests',
    mandatory: true,
    commands: [{ command: 'npm test', line: 20 }],
  },
];

function events(): RunEvent[] {
  return [
    {
      type: 'run-started',
      ts: 1000,
      runId: '20261127-120000-abcdef',
      kind: 'prp',
      target: 'PRPs/x.md',
      inputHashes: {},
      variables: {},
      plan,
      pid: 1,
      host: 'h',
    },
    { type: 'step-started', ts: 1001, stepId: 'steps[0]', attempt: 1 },
    {
      type: 'step-finished',
      ts: 1500,
      stepId: 'steps[0]',
      attempt: 1,
      status: 'failed',
      durationMs: 499,
      reason: 'exit code 2: <b>npm run build</b>\u001b[31m',
      evidence: [
        {
          command: 'npm run build',
          exitCode: 2,
          durationMs: 490,
          outputTail: [],
          logFile: '.context-forge/runs/x/logs/a.1.log',
          diagnostics: [
            {
              file: 'src/a.ts',
              line: 3,
              column: 5,
              endLine: 3,
              endColumn: 9,
              severity: 'error',
              code: 'TS2322',
              message: 'bad',
              source: 'ts',
            },
            {
              file: '/usr/include/stdio.h',
              line: 1,
              column: 1,
              endLine: 1,
              endColumn: 2,
              severity: 'error',
              message: 'outside',
              source: 'gcc',
            },
          ],
        },
      ],
    },
    { type: 'step-started', ts: 1600, stepId: 'level-2', attempt: 1 },
  ];
}

describe('the run view sent to the panel', () => {
  it('is a valid protocol message, with sanitized text and only in-project diagnostics', () => {
    const state = foldRun(events())!;
    const view = runView(state, { status: 'running', live: true, trusted: true });
    assert.equal(parseHostMessage({ type: 'state', seq: 1, run: view }).ok, true);
    const build = view.steps[0]!;
    assert.equal(build.status, 'failed');
    assert.equal(build.reason, 'exit code 2: <b>npm run build</b>');
    assert.equal(build.commands[0]!.diagnostics.length, 1);
    assert.equal(build.commands[0]!.diagnostics[0]!.file, 'src/a.ts');
    assert.equal(build.commands[0]!.hasLog, true);
    assert.equal(view.steps[1]!.status, 'running');
    assert.equal(view.steps[1]!.level, 2);
    assert.deepEqual(view.actions, { cancel: true, resume: false, rerun: false, report: true });
    assert.equal(view.usage.costUsd, null);
  });

  it('disables every action that runs something in Restricted Mode', () => {
    const state = foldRun(events())!;
    assert.deepEqual(runView(state, { status: 'failed', live: false, trusted: false }).actions, {
      cancel: false,
      resume: false,
      rerun: false,
      report: true,
    });
    assert.deepEqual(runView(state, { status: 'failed', live: false, trusted: true }).actions, {
      cancel: false,
      resume: true,
      rerun: true,
      report: true,
    });
  });

  it('words the status bar progress: step n/total · Level N', () => {
    const state = foldRun(events())!;
    assert.equal(progressText(state), 'step 2/2 · Level 2');
    const first = foldRun(events().slice(0, 2))!;
    assert.equal(progressText(first), 'step 1/2 · Build');
  });
});
