import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../../src/extension/runs/run-controller';
import { approveFixtureCommands, problemsOf, root, runIds, services, waitFor } from './helpers';

describe('runs: diagnostics, status bar, terminal, Problems', () => {
  before(async () => {
    await approveFixtureCommands();
  });

  it('refuses project commands nobody approved (the dialog was not answered) and runs nothing', async () => {
    const store = process.env.CCF_CONFIG_DIR!;
    const approvals = path.join(store, 'approvals.json');
    const saved = fs.readFileSync(approvals, 'utf8');
    fs.writeFileSync(approvals, JSON.stringify({ version: 1, projects: {} }));
    try {
      const before = runIds();
      const s = await services();
      const asked = s.approvals.asked.length;
      const result = await vscode.commands.executeCommand<RunResult>('contextForge.orchestrate', {
        workflow: 'exit_three',
      });
      assert.equal(result.status, 'refused');
      assert.match(result.message ?? '', /declined|not been approved/);
      assert.deepEqual(runIds(), before);
      const request = s.approvals.asked[asked]!;
      assert.equal(request.kind, 'project-commands');
      assert.ok(
        request.commands?.some((c) => c.includes('echo "about to exit with 3"; exit 3')),
        JSON.stringify(request),
      );
    } finally {
      fs.writeFileSync(approvals, saved);
    }
  });

  it('a failing gate fills the Problems view; the same gate passing clears it; status bar and terminal follow', async () => {
    const s = await services();
    const reviewOk = path.join(root(), 'review.ok');
    const running = vscode.commands.executeCommand<RunResult>('contextForge.orchestrate', { workflow: 'fix_demo' });

    // The first gate failed: its TS2322 is a problem at src/app.ts:4:31 (0-based line 3, column 30).
    const problems = await waitFor('the gate failure in the Problems view', () => {
      const list = problemsOf('src/app.ts');
      return list.length > 0 && list;
    });
    assert.equal(problems.length, 1);
    const d = problems[0]!;
    assert.equal(d.source, 'ts');
    assert.equal(d.code, 'TS2322');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 3);
    const source = fs.readFileSync(path.join(root(), 'src/app.ts'), 'utf8').split('\n')[3]!;
    assert.equal(d.range.start.character, source.indexOf('"forty-two"'));
    assert.match(d.message, /Type 'string' is not assignable to type 'number'/);

    // While the fix step waits for the review, the status bar shows the step.
    const run = await waitFor('the active run', () => s.runs.activeRuns().find((r) => r.target === 'fix_demo'));
    await waitFor('status bar "step 2/3"', () =>
      /^\$\(sync~spin\) Context Forge: step 2\/3 · Review, then apply the fix$/.test(s.statusBar.item.text),
    );
    assert.deepEqual(s.statusBar.item.command, {
      command: 'contextForge.showPanel',
      title: 'Show Execution Panel',
      arguments: [run.runId],
    });

    fs.writeFileSync(reviewOk, 'ok');
    const result = await running;
    assert.equal(result.status, 'passed', JSON.stringify(result));
    assert.equal(problemsOf('src/app.ts').length, 0, 'the passing gate cleared the problem');
    assert.match(s.statusBar.item.text, /^\$\(pass\) Context Forge: passed$/);

    const t = run.terminal.transcript;
    assert.match(t, /▶ Type check/);
    assert.match(t, /\$ node tools\/typecheck\.mjs/);
    assert.match(t, /src\/app\.ts\(4,31\): error TS2322/);
    assert.match(t, /exit code 2/);
    assert.match(t, /fixed src\/app\.ts/);
    assert.match(t, /No errors\./);
    assert.match(t, /Run passed/);
    const journal = fs.readFileSync(path.join(root(), '.context-forge/runs', result.runId!, 'events.jsonl'), 'utf8');
    assert.match(journal, /"type":"run-finished","ts":\d+,"status":"passed"/);
  });

  it("the run's Pseudoterminal reports exact exit codes and closes with the run's exit code", async () => {
    const s = await services();
    const result = await vscode.commands.executeCommand<RunResult>('contextForge.orchestrate', {
      workflow: 'exit_three',
    });
    assert.equal(result.status, 'failed');
    const run = s.runs.activeRun(result.runId!)!;
    assert.match(run.terminal.transcript, /about to exit with 3/);
    assert.match(run.terminal.transcript, /exit code 3/);
    assert.match(run.terminal.transcript, /Run failed/);
    const step = run.state!.steps.find((x) => x.name === 'Exit with 3')!;
    assert.equal(step.evidence?.[0]?.exitCode, 3);

    const closed = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidCloseTerminal((t) => {
        if (t === run.terminal.terminal) {
          sub.dispose();
          resolve(t);
        }
      });
    });
    run.terminal.terminal.sendText('x', false); // any key closes a finished run's terminal
    const terminal = await closed;
    assert.equal(terminal.exitStatus?.code, 1, 'a failed run closes with exit code 1');
  });

  it('a passing run closes its terminal with 0; variables reach the shell as data', async () => {
    const s = await services();
    const who = `Ada'; touch pwned; echo '$(id)`;
    const result = await vscode.commands.executeCommand<RunResult>('contextForge.orchestrate', {
      workflow: 'greet',
      variables: { WHO: who },
    });
    assert.equal(result.status, 'passed', JSON.stringify(result));
    const run = s.runs.activeRun(result.runId!)!;
    assert.ok(run.terminal.transcript.includes(`hello, ${who}`), run.terminal.transcript);
    assert.equal(fs.existsSync(path.join(root(), 'pwned')), false);
    const closed = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidCloseTerminal((t) => {
        if (t === run.terminal.terminal) {
          sub.dispose();
          resolve(t);
        }
      });
    });
    run.terminal.terminal.sendText('\r', false);
    assert.equal((await closed).exitStatus?.code, 0);
  });

  it('lists the runs in the Runs tree with their result and steps', async () => {
    const s = await services();
    const nodes = await s.runsTree.getChildren();
    assert.ok(nodes.length >= 3);
    const items = await Promise.all(nodes.map((n) => s.runsTree.getTreeItem(n)));
    const fix = items.find((i) => i.label === 'fix_demo')!;
    assert.match(String(fix.description), /^passed · 3\/3/);
    assert.equal(fix.contextValue, 'run.done');
    const failed = items.find((i) => i.label === 'exit_three')!;
    assert.equal(failed.contextValue, 'run.resumable');
    const fixNode = nodes[items.indexOf(fix)]!;
    const steps = await s.runsTree.getChildren(fixNode);
    const stepItems = await Promise.all(steps.map((n) => s.runsTree.getTreeItem(n)));
    assert.deepEqual(
      stepItems.map((i) => i.label),
      ['Type check', 'Review, then apply the fix', 'Type check again'],
    );
  });

  it('opens a Markdown report of a run', async () => {
    const s = await services();
    const last = (await s.runs.list(1))[0]!;
    const uri = await vscode.commands.executeCommand<vscode.Uri>('contextForge.openReport', last.runId);
    const text = fs.readFileSync(uri.fsPath, 'utf8');
    assert.match(text, new RegExp(last.state.target));
  });
});
