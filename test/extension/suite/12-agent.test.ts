import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../../src/extension/runs/run-controller';
import { apiKeyOf, FakeAnthropic, reply } from '../../support/fake-anthropic';
import { approveFixtureCommands, root, services } from './helpers';

const PRP = 'PRPs/sample-feature.md';

describe('Execute PRP with the Anthropic provider (a real SDK against a local fake Messages API)', () => {
  let fake: FakeAnthropic;
  const config = () => vscode.workspace.getConfiguration('contextForge');
  before(async () => {
    await approveFixtureCommands();
    fake = await FakeAnthropic.start({ apiKey: 'sk-ant-from-secret-storage' });
    await config().update('anthropic.baseUrl', fake.baseURL, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('contextForge.setApiKey', 'sk-ant-from-secret-storage');
  });
  after(async () => {
    await vscode.commands.executeCommand('contextForge.clearApiKey');
    await config().update('anthropic.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await fake.stop();
  });

  it('the agent implements with its tools, then the harness runs the gates; tokens and cost are shown', async () => {
    const s = await services();
    fake.enqueue(
      reply.toolUse('write_file', { path: 'src/feature.ts', content: 'export const feature = true;\n' }),
      reply.text('Implemented src/feature.ts.'),
    );
    const result = await vscode.commands.executeCommand<RunResult & { movedTo?: string }>(
      'contextForge.executePrp',
      PRP,
    );
    assert.equal(result.status, 'passed', JSON.stringify(result));
    assert.equal(result.movedTo, 'PRPs/completed/sample-feature.md', 'a passed PRP moves to PRPs/completed/');
    assert.ok(fs.existsSync(path.join(root(), 'PRPs/completed/sample-feature.md')));
    assert.equal(fs.readFileSync(path.join(root(), 'src/feature.ts'), 'utf8'), 'export const feature = true;\n');
    const requests = fake.messageRequests();
    assert.ok(requests.length >= 2);
    assert.equal(apiKeyOf(requests[0]!), 'sk-ant-from-secret-storage', 'the key came from SecretStorage');

    const loaded = (await s.runs.load(result.runId!))!;
    const u = loaded.state.usage;
    assert.ok(u.inputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens > 0, JSON.stringify(u));
    assert.ok(u.outputTokens > 0 && (u.costUsd ?? 0) > 0, JSON.stringify(u));
    const levels = loaded.state.steps.filter((st) => st.kind === 'level');
    assert.deepEqual(
      levels.map((l) => [l.name, l.status]),
      [
        ['Level 1: Syntax & Style', 'passed'],
        ['Level 2: Unit Tests', 'passed'],
      ],
    );
    const run = s.runs.activeRun(result.runId!)!;
    assert.match(run.terminal.transcript, /Agent: anthropic/);
    assert.match(run.terminal.transcript, /· write_file src\/feature\.ts/);

    const nodes = await s.runsTree.getChildren();
    const item = await Promise.all(nodes.map((n) => s.runsTree.getTreeItem(n))).then((items) =>
      items.find((i) => i.id === `run:${result.runId}`),
    );
    assert.match(String(item?.description), /passed · \d+\/\d+ · [\d.]+k? tok · \$\d/);
  });
});
