/** What `init` writes must read back cleanly through every reader (the contract between them). */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readSlashCommands } from '../../../src/core/commands/read-slash-commands';
import { readSettings } from '../../../src/core/config/settings';
import { readWorkflows } from '../../../src/core/workflow/read-workflows';
import { Workspace } from '../../../src/core/workspace';
import { NodeFileSystem } from '../../../src/node/node-file-system';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

describe('init output reads back through the readers', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccf-contract-'));
    execFileSync(process.execPath, [CLI, 'init', '--cwd', dir], { stdio: 'pipe' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('settings: no problems, the shipped orchestration block', async () => {
    const result = await readSettings(new Workspace(dir, new NodeFileSystem()));
    assert.deepEqual(result.problems, []);
    assert.equal(result.value?.orchestration.maxConcurrent, 3);
    assert.deepEqual(result.value?.orchestration.validation.mandatory, ['syntax', 'unit']);
    assert.equal(result.value?.orchestration.contextRefreshIntervalMs, 30 * 60_000);
  });

  it('workflows: the four shipped workflows, no problems', async () => {
    const result = await readWorkflows(new Workspace(dir, new NodeFileSystem()));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.value?.workflows.map((w) => w.name).sort(), [
      'bug_fix',
      'feature_complete',
      'multi_feature',
      'performance',
    ]);
  });

  it('slash commands: all shipped commands, no problems', async () => {
    const result = await readSlashCommands(new Workspace(dir, new NodeFileSystem()));
    assert.deepEqual(result.problems, []);
    assert.ok((result.value?.length ?? 0) >= 24);
  });
});
