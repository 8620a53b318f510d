import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../../src/extension/runs/run-controller';
import { approveFixtureCommands, root, services, waitFor } from './helpers';

describe('the execution panel (webview protocol)', () => {
  before(async () => {
    await approveFixtureCommands();
  });

  it('round trip: the webview asks (ready), renders the run the host sends, and acknowledges it', async () => {
    const s = await services();
    const last = (await s.runs.list(20)).find((r) => r.state.target === 'fix_demo')!;
    assert.ok(last, 'a fix_demo run from the runs tests');
    for (const p of s.panels.all()) p.panel.dispose();
    const runId = await vscode.commands.executeCommand<string>('contextForge.showPanel', last.runId);
    assert.equal(runId, last.runId);
    const panel = s.panels.get(last.runId)!;
    const ack = await waitFor(
      'an acknowledgement of the rendered run',
      () => panel.lastAck?.steps === 3 && panel.lastAck,
    );
    assert.equal(ack.steps, 3);
    assert.equal(panel.panel.title, 'Run: fix_demo');
  });

  it('accepts only the messages the protocol names', async () => {
    const s = await services();
    const last = (await s.runs.list(20)).find((r) => r.state.target === 'fix_demo')!;
    const panel = s.panels.get(last.runId) ?? s.panels.show(last.runId);
    const before = panel.rejected;
    for (const forged of [
      { command: 'workbench.action.terminal.new' },
      { type: 'run', cmd: 'rm -rf ~' },
      { type: 'openDiagnostic', stepId: 'steps[0]', command: 0, diagnostic: 0, file: '/etc/passwd' },
      { type: 'openLog', stepId: 'steps[0]', command: -1 },
      { type: 'cancel', extra: true },
      'ready',
      null,
    ]) {
      assert.equal(await panel.receive(forged), false, JSON.stringify(forged));
    }
    assert.equal(panel.rejected, before + 7);
  });

  it("opens a diagnostic at its file and line, resolved from the host's own evidence", async () => {
    const s = await services();
    const last = (await s.runs.list(20)).find((r) => r.state.target === 'fix_demo')!;
    const panel = s.panels.get(last.runId) ?? s.panels.show(last.runId);
    assert.equal(await panel.receive({ type: 'openDiagnostic', stepId: 'steps[0]', command: 0, diagnostic: 0 }), true);
    const editor = await waitFor(
      'the editor of src/app.ts',
      () =>
        vscode.window.activeTextEditor?.document.uri.fsPath === path.join(root(), 'src/app.ts') &&
        vscode.window.activeTextEditor,
    );
    assert.equal(editor.selection.active.line, 3);
    assert.equal(
      await panel.receive({ type: 'openDiagnostic', stepId: 'steps[0]', command: 0, diagnostic: 99 }),
      false,
    );
    assert.equal(await panel.receive({ type: 'openLog', stepId: 'steps[0]', command: 0 }), true);
    await waitFor('the log file', () => vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('.log'));
  });

  it('stays bounded when a step prints 100,000 lines: capped lines, few rows in the page', async () => {
    const s = await services();
    const result = await vscode.commands.executeCommand<RunResult>('contextForge.orchestrate', { workflow: 'flood' });
    assert.equal(result.status, 'passed');
    const panel = s.panels.get(result.runId!)!;
    const cap = vscode.workspace.getConfiguration('contextForge').get<number>('panel.maxOutputLines', 5000);
    const ack = await waitFor('all output sent and acknowledged', () => panel.idle && panel.lastAck, 60_000);
    assert.ok(ack.lines >= cap && ack.lines <= 20_000, `lines in the panel: ${ack.lines}`);
    assert.ok(ack.domRows > 0 && ack.domRows < 200, `rows in the page: ${ack.domRows}`);
    const run = s.runs.activeRun(result.runId!)!;
    const buffered = run.output.get('steps[0]')!;
    assert.equal(buffered.lines.at(-1), '100000');
    assert.equal(buffered.lines.length + buffered.dropped, 100_000);
  });
});
