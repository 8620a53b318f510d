import * as assert from 'node:assert/strict';
import type { PrpTreeNode } from '../../../src/extension/trees/prp-tree';
import { services } from './helpers';

async function labels(nodes: PrpTreeNode[]): Promise<string[]> {
  const s = await services();
  return Promise.all(nodes.map(async (n) => String((await s.prpTree.getTreeItem(n)).label)));
}

describe('the PRPs & Workflows tree', () => {
  it('shows PRPs grouped active / completed / templates, workflows with their steps, and slash commands', async () => {
    const s = await services();
    const tree = s.prpTree;
    const top = await tree.getChildren();
    assert.deepEqual(await labels(top), ['PRPs', 'Workflows', 'Slash Commands']);

    const groups = await tree.getChildren(top[0]);
    assert.deepEqual(await labels(groups), ['Active', 'Completed', 'Templates']);
    assert.deepEqual(await labels(await tree.getChildren(groups[0])), ['sample-feature']);
    assert.deepEqual(await labels(await tree.getChildren(groups[1])), ['old-feature']);
    assert.deepEqual(await labels(await tree.getChildren(groups[2])), ['prp_base']);
    const prpItem = await tree.getTreeItem((await tree.getChildren(groups[0]))[0]!);
    assert.match(String(prpItem.contextValue), /^prp\.active/);
    assert.match(String(prpItem.description), /^✓ lint · not run yet$/);

    const workflows = await tree.getChildren(top[1]);
    assert.deepEqual(await labels(workflows), ['fix_demo', 'exit_three', 'flood', 'greet']);
    const steps = await tree.getChildren(workflows[0]);
    assert.deepEqual(await labels(steps), ['Type check', 'Review, then apply the fix', 'Type check again']);
    const greetSteps = await tree.getChildren(workflows[3]);
    assert.equal(greetSteps.length, 2);
    assert.deepEqual(await labels(await tree.getChildren(greetSteps[1])), ['echo left', 'echo right']);
    assert.equal((await tree.getTreeItem(workflows[0]!)).contextValue, 'workflow');

    const commands = await tree.getChildren(top[2]);
    assert.deepEqual(await labels(commands), ['/hello', '/prp-execute']);
    const hello = await tree.getTreeItem(commands[0]!);
    assert.equal(hello.description, 'Say hello to someone');
  });

  it('sets the context keys the welcome view and menus use', async () => {
    const s = await services();
    const snap = await s.project.snapshot();
    assert.equal(snap.initialized, true);
  });
});
