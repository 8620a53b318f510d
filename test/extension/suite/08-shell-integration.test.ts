import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../../src/extension/runs/run-controller';
import { approveFixtureCommands, root, services, waitFor } from './helpers';

describe('terminal mode "shellIntegration": steps in a real shell', () => {
  const config = () => vscode.workspace.getConfiguration('contextForge');
  before(async () => {
    await approveFixtureCommands();
    await config().update('terminal.mode', 'shellIntegration', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('terminal.mode', undefined, vscode.ConfigurationTarget.Global);
  });

  it("gets the command's exit code and output from the shell", async () => {
    const s = await services();
    const result = await vscode.commands.executeCommand<RunResult>('contextForge.orchestrate', {
      workflow: 'exit_three',
    });
    assert.equal(result.status, 'failed', JSON.stringify(result));
    const run = s.runs.activeRun(result.runId!)!;
    assert.ok(run.shell?.shellTerminal, 'a real shell terminal was used');
    const ev = run.state!.steps.find((x) => x.name === 'Exit with 3')!.evidence![0]!;
    assert.equal(ev.exitCode, 3, JSON.stringify(ev));
    assert.ok(
      ev.outputTail.some((l) => l.includes('about to exit with 3')),
      JSON.stringify(ev.outputTail),
    );
    run.shell?.dispose();
  });

  it('counts a terminal closed mid-command as a failure', async () => {
    const s = await services();
    fs.rmSync(path.join(root(), 'review.ok'), { force: true });
    const running = vscode.commands.executeCommand<RunResult>('contextForge.orchestrate', { workflow: 'fix_demo' });
    const run = await waitFor('the fix step waiting in the shell', () => {
      const r = s.runs.activeRuns().find((x) => x.outcome === undefined && x.target === 'fix_demo');
      return r?.state?.steps.find((st) => st.name === 'Review, then apply the fix')?.status === 'running' && r;
    });
    await new Promise((r) => setTimeout(r, 500));
    run.shell!.shellTerminal!.dispose();
    const result = await running;
    assert.equal(result.status, 'failed');
    const step = (await s.runs.load(result.runId!))!.state.steps.find(
      (st) => st.name === 'Review, then apply the fix',
    )!;
    assert.equal(step.status, 'failed');
    assert.ok(
      step.evidence?.[0]?.outputTail.some((l) => /terminal was closed/.test(l)),
      JSON.stringify(step.evidence),
    );
  });
});
