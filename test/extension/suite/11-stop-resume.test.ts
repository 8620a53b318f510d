import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../../src/extension/runs/run-controller';
import { approveFixtureCommands, root, services, waitFor } from './helpers';

describe('Stop Run and Resume Run', () => {
  before(async () => {
    await approveFixtureCommands();
  });

  it('stops a running run (its process tree too), then resumes it from the step that was cut', async () => {
    const s = await services();
    const reviewOk = path.join(root(), 'review.ok');
    fs.rmSync(reviewOk, { force: true });
    const running = vscode.commands.executeCommand<RunResult>('contextForge.orchestrate', { workflow: 'fix_demo' });
    const run = await waitFor('the fix step waiting', () => {
      const r = s.runs.activeRuns().find((x) => x.outcome === undefined && x.target === 'fix_demo');
      return r?.state?.steps.find((st) => st.name === 'Review, then apply the fix')?.status === 'running' && r;
    });
    const message = await vscode.commands.executeCommand<string>('contextForge.stopRun', run.runId);
    assert.match(message, /Stopping run/);
    const stopped = await running;
    assert.equal(stopped.status, 'cancelled');
    assert.match(run.terminal.transcript, /Run cancelled/);
    const loaded = (await s.runs.load(run.runId))!;
    assert.equal(loaded.status, 'cancelled');
    assert.equal(loaded.state.steps[0]!.status, 'passed');

    fs.writeFileSync(reviewOk, 'ok');
    const resumed = await vscode.commands.executeCommand<RunResult>('contextForge.resumeRun', run.runId);
    assert.equal(resumed.status, 'passed', JSON.stringify(resumed));
    assert.equal(resumed.runId, run.runId);
    const after = (await s.runs.load(run.runId))!;
    assert.equal(after.state.resumes, 1);
    assert.deepEqual(
      after.state.steps.map((st) => [st.name, st.status, st.attempts]),
      [
        ['Type check', 'passed', 1],
        ['Review, then apply the fix', 'passed', 2],
        ['Type check again', 'passed', 1],
      ],
    );
  });

  it('re-runs a finished run as a new run', async () => {
    const s = await services();
    const last = (await s.runs.list(50)).find((r) => r.state.target === 'exit_three')!;
    const result = await vscode.commands.executeCommand<RunResult>('contextForge.rerun', last.runId);
    assert.equal(result.status, 'failed');
    assert.notEqual(result.runId, last.runId);
  });
});
