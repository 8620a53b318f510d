/** Shared by the extension-host tests: the extension's API, waiting, the fixture, approvals. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../../../src/core/config/settings';
import { planLevels } from '../../../src/core/engine/plan-prp';
import { projectCommandsOf } from '../../../src/core/engine/plan-render';
import { planWorkflow } from '../../../src/core/engine/plan-workflow';
import { readPrp } from '../../../src/core/prp';
import { commandHash } from '../../../src/core/trust/command-hash';
import { bindVariables, workflowVariables } from '../../../src/core/workflow/bind';
import { readWorkflows } from '../../../src/core/workflow/read-workflows';
import { Workspace } from '../../../src/core/workspace';
import type { ContextForgeApi } from '../../../src/extension/main';
import type { Services } from '../../../src/extension/services';
import { FileApprovalStore } from '../../../src/node/approval-store';
import { NodeFileSystem } from '../../../src/node/node-file-system';

export const EXTENSION_ID = 'codex-context-forge.codex-context-forge';

export function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need the fixture workspace open');
  return folder.uri.fsPath;
}

export async function api(): Promise<ContextForgeApi> {
  const ext = vscode.extensions.getExtension<ContextForgeApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} not found`);
  return ext.isActive ? ext.exports : ext.activate();
}

export async function services(): Promise<Services> {
  return (await api()).services();
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Approves every project command of the fixture's workflows (and hooks) on this machine, as "Always" would. */
export async function approveFixtureCommands(): Promise<string[]> {
  const ws = new Workspace(root(), new NodeFileSystem());
  const file = await readWorkflows(ws);
  const settings = await readSettings(ws);
  const commands = new Set<string>();
  for (const workflow of file.value?.workflows ?? []) {
    const values = Object.fromEntries(workflowVariables(workflow).map((v) => [v.name, 'x']));
    const bound = bindVariables(workflow, values);
    if (bound.value)
      for (const c of projectCommandsOf(planWorkflow(bound.value, settings.value!.orchestration))) commands.add(c);
  }
  for (const h of settings.value!.orchestration.hooks.onFileChange) if (h.kind === 'run') commands.add(h.script);
  for (const prp of ['PRPs/sample-feature.md']) {
    const read = await readPrp(ws, prp);
    for (const l of planLevels(read.value!, settings.value!.orchestration))
      for (const c of l.commands) commands.add(c.command);
  }
  const store = new FileApprovalStore();
  const key = fs.realpathSync(root());
  const at = new Date().toISOString();
  await store.remember(
    key,
    [...commands].map((command) => ({ hash: commandHash(command), command, approvedAt: at })),
  );
  return [...commands];
}

export function runsDir(): string {
  return path.join(root(), '.context-forge', 'runs');
}

export function runIds(): string[] {
  try {
    return fs.readdirSync(runsDir()).sort();
  } catch {
    return [];
  }
}

export function manifest(): {
  contributes: { commands: Array<{ command: string; title: string; category: string }> };
  activationEvents: string[];
} {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return ext.packageJSON;
}

/** Problems VS Code holds for a workspace file, from the Context Forge collection. */
export function problemsOf(relative: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(vscode.Uri.file(path.join(root(), relative)))
    .filter((d) => d.source !== undefined);
}
