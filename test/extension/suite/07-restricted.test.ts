import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { root, runIds, services } from './helpers';

// Runs only in the suite started with Workspace Trust enabled (CCF_EXT_SUITE=restricted): the fixture is untrusted.
describe('[restricted] Restricted Mode', () => {
  it('the workspace is untrusted and the extension is active (limited support)', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const s = await services();
    assert.ok(s);
  });

  it('still shows the trees and CodeLens, and reads everything', async () => {
    const s = await services();
    const top = await s.prpTree.getChildren();
    assert.equal(top.length, 3);
    const workflows = await s.prpTree.getChildren(top[1]);
    assert.equal(workflows.length, 4);
    const uri = vscode.Uri.file(path.join(root(), 'PRPs/sample-feature.md'));
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(lenses.some((l) => l.command?.title === '▶ Execute PRP'));
  });

  for (const [id, args] of [
    ['contextForge.orchestrate', [{ workflow: 'exit_three' }]],
    ['contextForge.orchestrate', [{ command: '/hello world' }]],
    ['contextForge.executePrp', ['PRPs/sample-feature.md']],
    ['contextForge.validatePrp', ['PRPs/sample-feature.md']],
    ['contextForge.runLevel', ['PRPs/sample-feature.md', 1]],
    ['contextForge.createPrp', [{ feature: 'x', description: 'y' }]],
    ['contextForge.resumeRun', ['20260101-000000-abcdef']],
    ['contextForge.rerun', ['20260101-000000-abcdef']],
  ] as const) {
    it(`refuses ${id} when invoked programmatically, with a clear message, and runs nothing`, async () => {
      await services();
      const before = runIds();
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand(id, ...args)),
        (err: Error) => /Restricted Mode/.test(err.message) && /Nothing was run/.test(err.message),
      );
      assert.deepEqual(runIds(), before);
      assert.equal(fs.existsSync(path.join(root(), '.context-forge')), false);
    });
  }

  it('does not watch files for onFileChange hooks', async () => {
    const s = await services();
    await vscode.workspace
      .getConfiguration('contextForge')
      .update('hooks.onFileChange', true, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await s.hooks.reconfigure(), 0);
    } finally {
      await vscode.workspace
        .getConfiguration('contextForge')
        .update('hooks.onFileChange', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
