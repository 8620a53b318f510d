/**
 * The VS Code extension entry. `activate()` only registers; services are built on first use.
 * This is the only folder that imports `vscode`.
 */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Context Forge', { log: true });
  context.subscriptions.push(log);
  log.info('Context Forge activated');
}

export function deactivate(): void {
  // Disposables registered in activate() are disposed by VS Code.
}
