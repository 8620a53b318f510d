import * as assert from 'node:assert/strict';
import type { PlanStep } from '../../../src/core/engine/plan';
import {
  buildReport,
  cachedShare,
  mergeReports,
  renderMarkdown,
  renderText,
} from '../../../src/core/report/run-report';
import type { RunEvent } from '../../../src/core/run/events';
import { foldRun } from '../../../src/core/run/fold';
import { countTestCases, diffSnapshots, type FileFingerprint } from '../../../src/core/worktree/snapshot';

const plan: PlanStep[] = [
  { kind: 'shell', id: 's0', name: 'install', script: 'npm ci', env: {} },
  { kind: 'agent', id: 'a1', name: '/prp-create x', command: 'prp-create', argsText: 'x' },
  {
    kind: 'level',
    id: 'l2',
    name: 'Level 2: Unit',
    level: 2,
    levelName: 'Unit',
    mandatory: true,
    commands: [{ command: 'npm test', line: 3 }],
  },
];

const events: RunEvent[] = [
  {
    type: 'run-started',
    ts: 0,
    runId: 'r1',
    kind: 'workflow',
    target: 'feature',
    inputHashes: {},
    variables: {},
    plan,
    pid: 1,
    host: 'h',
  },
  { type: 'step-started', ts: 0, stepId: 's0', attempt: 1 },
  { type: 'step-finished', ts: 7000, stepId: 's0', attempt: 1, status: 'passed', durationMs: 7000 },
  { type: 'step-started', ts: 7000, stepId: 'a1', attempt: 1 },
  {
    type: 'usage',
    ts: 8000,
    stepId: 'a1',
    model: 'claude-x',
    usage: {
      inputTokens: 100,
      outputTokens: 50,
      cacheCreationInputTokens: 200,
      cacheReadInputTokens: 700,
      costUsd: 0.5,
    },
  },
  { type: 'step-finished', ts: 9000, stepId: 'a1', attempt: 1, status: 'passed', durationMs: 2000 },
  { type: 'step-started', ts: 9000, stepId: 'l2', attempt: 1 },
  {
    type: 'step-finished',
    ts: 10000,
    stepId: 'l2',
    attempt: 1,
    status: 'failed',
    durationMs: 1000,
    reason: 'exit code 1',
    evidence: [
      { command: 'npm test', exitCode: 1, durationMs: 1000, outputTail: [], diagnostics: [], logFile: 'l.log' },
    ],
  },
  {
    type: 'work-tree-changes',
    ts: 10000,
    created: ['src/a.ts', 'test/a.test.ts'],
    modified: ['README.md'],
    deleted: [],
    testsAdded: 3,
  },
  { type: 'run-finished', ts: 10000, status: 'failed', durationMs: 10000 },
];

describe('run report', () => {
  const report = buildReport(foldRun(events)!);

  it('carries metrics folded from the journal', () => {
    assert.equal(report.status, 'failed');
    assert.equal(report.metrics.stepsCompleted, 2);
    assert.equal(report.metrics.stepsTotal, 3);
    assert.equal(report.metrics.validationsFailed, 1);
    assert.equal(report.metrics.usage.costUsd, 0.5);
    assert.equal(report.metrics.models['claude-x']!.cacheReadInputTokens, 700);
    assert.equal(report.metrics.testsAdded, 3);
    assert.equal(cachedShare(report.metrics.usage), 0.7);
  });

  it('names the slowest steps as bottlenecks with their share', () => {
    assert.deepEqual(
      report.bottlenecks.map((b) => [b.id, b.share]),
      [
        ['s0', 0.7],
        ['a1', 0.2],
        ['l2', 0.1],
      ],
    );
  });

  it('renders markdown and text with the failure and its log', () => {
    const md = renderMarkdown(report);
    assert.match(md, /# Run r1: failed/);
    assert.match(md, /`npm test` → exit 1 .*log: `l\.log`/);
    assert.match(md, /70 % of input from cache/);
    const text = renderText(report);
    assert.match(text, /✗ Level 2: Unit {2}failed/);
    assert.match(text, /cost \$0\.5000/);
  });

  it('merges shard reports', () => {
    const merged = mergeReports([report, { ...report, runId: 'r2', status: 'passed' }]);
    assert.equal(merged.totals.runs, 2);
    assert.equal(merged.totals.failed, 1);
    assert.equal(merged.totals.usage.inputTokens, 200);
    assert.deepEqual(merged.totals.filesCreated, ['src/a.ts', 'test/a.test.ts']);
    assert.equal(merged.status, 'failed');
  });
});

describe('work-tree snapshots', () => {
  const fp = (path: string, hash: string, testCases = 0): [string, FileFingerprint] => [
    path,
    { path, size: hash.length, hash, testCases },
  ];

  it('counts test cases per language', () => {
    assert.equal(
      countTestCases('test/a.test.ts', "it('a', () => {});\n  test('b', () => {});\ndescribe('x', () => {})"),
      2,
    );
    assert.equal(countTestCases('tests/test_x.py', 'def test_a():\n    pass\nasync def test_b():\n'), 2);
    assert.equal(countTestCases('pkg/x_test.go', 'func TestA(t *testing.T) {}\nfunc helper() {}'), 1);
    assert.equal(countTestCases('src/lib.ts', "it('not a test file', () => {})"), 0);
  });

  it('diffs created, modified and deleted files and counts added tests', () => {
    const before = { files: new Map([fp('a.ts', '1'), fp('b.ts', '2'), fp('t/x.test.ts', '3', 2)]) };
    const after = {
      files: new Map([fp('a.ts', '1'), fp('t/x.test.ts', '4', 5), fp('t/y.test.ts', '5', 1), fp('c.ts', '6')]),
    };
    assert.deepEqual(diffSnapshots(before, after), {
      created: ['c.ts', 't/y.test.ts'],
      modified: ['t/x.test.ts'],
      deleted: ['b.ts'],
      testsAdded: 4,
    });
  });
});

describe('cost with an unpriced model', () => {
  it('is reported as a lower bound, never as if complete', () => {
    const withUnknown: RunEvent[] = [
      ...events.slice(0, 5),
      {
        type: 'usage',
        ts: 8500,
        stepId: 'a1',
        model: 'mystery-model',
        usage: { inputTokens: 10, outputTokens: 5, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
      },
      ...events.slice(5),
    ];
    const r = buildReport(foldRun(withUnknown)!);
    assert.equal(r.metrics.usage.costIncomplete, true);
    assert.match(renderText(r), /cost ≥ \$0\.5000 \(some unknown\)/);
  });
});
