import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, manifest, services } from './helpers';

describe('activation and registration', () => {
  it('activates lazily and reports the own time of activate()', async () => {
    const m = manifest();
    assert.ok(!m.activationEvents.includes('*'), 'no "*" activation');
    const a = await api();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
    assert.equal(typeof a.activationMs, 'number');
    assert.ok(a.activationMs >= 0);
    console.log(`      activate() own time: ${a.activationMs.toFixed(2)} ms`);
    const s = await services();
    console.log(
      `      on first use: services bundle loaded in ${s.timings.servicesLoadMs.toFixed(1)} ms, constructed in ${s.timings.servicesMs.toFixed(1)} ms`,
    );
  });

  it('registers every command of the manifest, all in the "Context Forge" category', async () => {
    await services();
    const all = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest().contributes.commands;
    assert.ok(contributed.length >= 12);
    for (const c of contributed) {
      assert.ok(all.has(c.command), `${c.command} is not registered`);
      assert.equal(c.category, 'Context Forge');
    }
    const s = await services();
    assert.deepEqual([...s.commandIds].sort(), contributed.map((c) => c.command).sort());
    for (const title of [
      'Orchestrate',
      'Initialize Project',
      'Create PRP',
      'Execute PRP',
      'Validate PRP',
      'Lint PRP',
      'Resume Run',
      'Stop Run',
      'Show Execution Panel',
      'Set API Key',
      'Clear API Key',
      'Refresh',
    ]) {
      assert.ok(
        contributed.some((c) => c.title === title),
        `no command titled ${title}`,
      );
    }
  });

  it('writes to a LogOutputChannel and shows its status bar item', async () => {
    const s = await services();
    assert.equal(typeof s.log.info, 'function');
    assert.equal(typeof s.log.logLevel, 'number');
    assert.match(s.statusBar.item.text, /Context Forge/);
    assert.equal(s.statusBar.item.name, 'Context Forge');
  });

  it('the workspace is trusted in this suite', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });
});
