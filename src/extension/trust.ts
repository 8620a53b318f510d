/**
 * Workspace Trust: in Restricted Mode Context Forge reads, shows and lints, and runs nothing. Every command that
 * would run something calls `requireTrust` first — also when another extension or a test calls it through
 * `vscode.commands.executeCommand`, where no menu `when` clause applies.
 */
import * as vscode from 'vscode';

export class UntrustedWorkspaceError extends Error {
  constructor(readonly action: string) {
    super(
      `Context Forge: "${action}" runs commands from this workspace, and the workspace is in Restricted Mode. ` +
        'Nothing was run. Trust the workspace (Manage Workspace Trust) if you trust its authors, then try again.',
    );
    this.name = 'UntrustedWorkspaceError';
  }
}

/** Refuses (with a message offering to manage trust) unless the workspace is trusted. */
export function requireTrust(action: string): void {
  if (vscode.workspace.isTrusted) return;
  const error = new UntrustedWorkspaceError(action);
  void vscode.window.showErrorMessage(error.message, 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  throw error;
}
