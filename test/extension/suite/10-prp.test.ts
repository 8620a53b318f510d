import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../../src/extension/runs/run-controller';
import { approveFixtureCommands, root, services, waitFor } from './helpers';

const PRP = 'PRPs/sample-feature.md';

describe('PRPs: Validate, Run Level N, Execute, live findings', () => {
  before(async () => {
    await approveFixtureCommands();
  });

  it('"Run Level 2" (the CodeLens command) runs only that level, through the harness', async () => {
    const s = await services();
    const uri = vscode.Uri.file(path.join(root(), PRP));
    const result = await vscode.commands.executeCommand<RunResult>('contextForge.runLevel', uri, 2);
    assert.equal(result.status, 'passed', JSON.stringify(result));
    const state = (await s.runs.load(result.runId!))!.state;
    assert.equal(state.kind, 'validate');
    assert.deepEqual(
      state.steps.map((st) => [st.name, st.status]),
      [
        ['Level 1: Syntax & Style', 'skipped'],
        ['Level 2: Unit Tests', 'passed'],
      ],
    );
  });

  it('"Validate PRP" runs every level; a failing level 1 gate shows in Problems and in the PRP tree', async () => {
    const s = await services();
    const app = path.join(root(), 'src', 'app.ts');
    const fixed = fs.readFileSync(app, 'utf8');
    fs.writeFileSync(app, fixed.replace(': number = 42', ': number = "forty-two"'));
    try {
      const result = await vscode.commands.executeCommand<RunResult>('contextForge.validatePrp', PRP);
      assert.equal(result.status, 'failed');
      const state = (await s.runs.load(result.runId!))!.state;
      assert.equal(state.steps[0]!.status, 'failed');
      assert.equal(state.steps[0]!.evidence?.[0]?.exitCode, 2);
      const problems = vscode.languages.getDiagnostics(vscode.Uri.file(app)).filter((d) => d.source === 'ts');
      assert.equal(problems.length, 1);
      await vscode.commands.executeCommand('contextForge.refresh');
      const groups = await s.prpTree.getChildren((await s.prpTree.getChildren())[0]);
      const item = await s.prpTree.getTreeItem((await s.prpTree.getChildren(groups[0]))[0]!);
      assert.match(String(item.description), /last run failed/);
      assert.match(String(item.contextValue), /withRun/);
    } finally {
      fs.writeFileSync(app, fixed);
    }
    const again = await vscode.commands.executeCommand<RunResult>('contextForge.validatePrp', PRP);
    assert.equal(again.status, 'passed');
    assert.equal(
      vscode.languages.getDiagnostics(vscode.Uri.file(app)).filter((d) => d.source === 'ts').length,
      0,
      'the passing gate cleared the problem',
    );
  });

  it('"Execute PRP" without a model provider runs nothing of the agent and says what to do', async () => {
    const s = await services();
    await vscode.commands.executeCommand('contextForge.clearApiKey');
    const result = await vscode.commands.executeCommand<RunResult>('contextForge.executePrp', PRP);
    assert.equal(result.status, 'failed');
    const run = s.runs.activeRun(result.runId!)!;
    assert.match(run.terminal.transcript, /Agent steps: no Anthropic API key/);
    const state = (await s.runs.load(result.runId!))!.state;
    assert.equal(state.kind, 'prp');
    const implement = state.steps.find((st) => st.kind === 'implement')!;
    assert.equal(implement.status, 'failed');
    assert.match(implement.reason ?? '', /no model provider/);
  });

  it('shows PRP findings live as you type (debounced), in the Problems view and the CodeLens', async () => {
    const s = await services();
    const uri = vscode.Uri.file(path.join(root(), PRP));
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const clean = await waitFor('the first check', () => s.prpProblems.summary(uri));
    assert.equal(clean.errors, 0);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(
      lenses.some((l) => l.command?.title === 'Lint: clean'),
      JSON.stringify(lenses.map((l) => l.command?.title)),
    );

    await editor.edit((e) => e.insert(new vscode.Position(4, 0), "## IF techStack.database === 'postgresql'\n"));
    const found = await waitFor('the unbalanced IF', () => {
      const list = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'context-forge');
      return list.length > 0 && list;
    });
    assert.ok(
      found.some((d) => d.range.start.line === 4 && /conditional/.test(String(d.code))),
      JSON.stringify(found.map((d) => [d.range.start.line, d.code, d.message])),
    );
    const after = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(
      after.some((l) => /^Lint: [1-9]\d* errors?/.test(l.command?.title ?? '')),
      JSON.stringify(after.map((l) => l.command?.title)),
    );

    await editor.edit((e) => e.delete(new vscode.Range(4, 0, 5, 0)));
    await waitFor(
      'the finding cleared',
      () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'context-forge').length === 0,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('"Lint PRP" checks a PRP on demand', async () => {
    const findings = await vscode.commands.executeCommand<{ errors: number; warnings: number }>(
      'contextForge.lintPrp',
      PRP,
    );
    assert.deepEqual([findings.errors, findings.warnings], [0, 0]);
  });
});
