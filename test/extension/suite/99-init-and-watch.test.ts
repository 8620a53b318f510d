import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { root, services, waitFor } from './helpers';

// Last on purpose: "Initialize Project" adds the shipped commands and templates to the fixture.
describe('file watching and Initialize Project', () => {
  it('refreshes the PRP tree when a PRP appears (debounced watcher, no polling, no Refresh)', async () => {
    const s = await services();
    const groups = await s.prpTree.getChildren((await s.prpTree.getChildren())[0]);
    fs.writeFileSync(path.join(root(), 'PRPs', 'new-idea.md'), '# PRP: New idea\n\n## Goal\n\nSomething.\n');
    await waitFor('the new PRP in the tree', async () => {
      const items = await Promise.all((await s.prpTree.getChildren(groups[0])).map((n) => s.prpTree.getTreeItem(n)));
      return items.some((i) => i.label === 'new-idea');
    });
  });

  it('writes the shipped commands and templates, keeping the files the user changed', async () => {
    const s = await services();
    const summary = await vscode.commands.executeCommand<{ created: string[]; kept: string[]; updated: string[] }>(
      'contextForge.initProject',
    );
    assert.ok(summary.created.includes('.claude/commands/prp-create.md'), JSON.stringify(summary));
    assert.ok(!summary.created.includes('.claude/orchestration.yaml'));
    assert.match(fs.readFileSync(path.join(root(), '.claude/orchestration.yaml'), 'utf8'), /fix_demo/);
    await waitFor('the new slash commands in the tree', async () => {
      const commands = await s.prpTree.getChildren((await s.prpTree.getChildren())[2]);
      const labels = await Promise.all(commands.map(async (n) => String((await s.prpTree.getTreeItem(n)).label)));
      return labels.includes('/prp-create') && labels.length > 20;
    });
  });
});
