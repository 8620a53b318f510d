import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { services } from './helpers';

describe('providers', () => {
  it('keeps the API key in SecretStorage (Set / Clear API Key)', async () => {
    const s = await services();
    delete process.env.ANTHROPIC_API_KEY;
    delete process.env.CLAUDE_API_KEY;
    await vscode.commands.executeCommand('contextForge.clearApiKey');
    assert.equal(await s.keys.get(), undefined);
    assert.equal(await vscode.commands.executeCommand('contextForge.setApiKey', 'sk-ant-test-123'), true);
    assert.deepEqual(await s.keys.get(), { apiKey: 'sk-ant-test-123', source: 'SecretStorage' });
    const snap = await s.project.snapshot();
    const choice = await s.agents.choose({
      workspace: s.workspace,
      approvals: s.approvals,
      settings: snap.settings.value!.orchestration,
    });
    assert.equal(choice.provider, 'anthropic');
    assert.ok(choice.agent, 'an agent is built from the stored key');
    assert.match(choice.description ?? '', /key from SecretStorage/);
    await vscode.commands.executeCommand('contextForge.clearApiKey');
    assert.equal(await s.keys.get(), undefined);
    const none = await s.agents.probe();
    assert.match(none.unavailable ?? '', /no Anthropic API key/);
  });

  it('offers vscode-lm only when a chat model exists', async () => {
    const s = await services();
    const config = vscode.workspace.getConfiguration('contextForge');
    await config.update('agent.provider', 'vscode-lm', vscode.ConfigurationTarget.Global);
    try {
      const models = await vscode.lm.selectChatModels({});
      const choice = await s.agents.probe();
      if (models.length === 0) assert.match(choice.unavailable ?? '', /no VS Code chat model is installed/);
      else assert.match(choice.description ?? '', /VS Code chat model/);
    } finally {
      await config.update('agent.provider', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
