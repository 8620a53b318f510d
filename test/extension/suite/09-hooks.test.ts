import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HookFired } from '../../../src/extension/hooks/file-change-hooks';
import type { RunResult } from '../../../src/extension/runs/run-controller';
import { approveFixtureCommands, root, services, waitFor } from './helpers';

describe('onFileChange hooks from the workspace file watcher', () => {
  const config = () => vscode.workspace.getConfiguration('contextForge');
  before(async () => {
    await approveFixtureCommands();
    await config().update('hooks.onFileChange', true, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('hooks.onFileChange', undefined, vscode.ConfigurationTarget.Global);
  });

  it("runs the hook once per burst of the user's changes, with the changed files", async () => {
    const s = await services();
    assert.equal(await s.hooks.reconfigure(), 1);
    await new Promise((r) => setTimeout(r, 1500)); // the new watcher is registered with the file service
    const fired: HookFired[] = [];
    const sub = s.hooks.onDidFire((f) => fired.push(f));
    try {
      fs.writeFileSync(path.join(root(), 'src', 'one.ts'), 'export const one = 1;\n');
      fs.writeFileSync(path.join(root(), 'src', 'two.ts'), 'export const two = 2;\n');
      await waitFor('the hook', () => fired.length > 0);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(fired.length, 1, JSON.stringify(fired));
      assert.deepEqual(fired[0]!.files, ['src/one.ts', 'src/two.ts']);
      assert.equal(fired[0]!.exitCode, 0);
      assert.equal(fs.readFileSync(path.join(root(), '.hook-log'), 'utf8'), 'src/one.ts\nsrc/two.ts\n');
    } finally {
      sub.dispose();
    }
  });

  it('ignores the writes of a run (the fix step rewrites src/app.ts)', async () => {
    const s = await services();
    const app = path.join(root(), 'src', 'app.ts');
    fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace(': number = 42', ': number = "forty-two"'));
    const fired: HookFired[] = [];
    const sub = s.hooks.onDidFire((f) => fired.push(f));
    try {
      await waitFor('the hook for the user edit', () => fired.length === 1);
      fs.writeFileSync(path.join(root(), 'review.ok'), 'ok');
      const result = await vscode.commands.executeCommand<RunResult>('contextForge.orchestrate', {
        workflow: 'fix_demo',
      });
      assert.equal(result.status, 'passed');
      assert.match(fs.readFileSync(app, 'utf8'), /: number = 42/);
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(fired.length, 1, `the run's own write fired the hook: ${JSON.stringify(fired)}`);
    } finally {
      sub.dispose();
    }
  });
});
