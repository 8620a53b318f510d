/** One execution panel per run; panels come back after a reload through the webview panel serializer. */
import * as vscode from 'vscode';
import { isRunId } from '../../node/runs/run-paths';
import { PANEL_VIEW_TYPE } from '../../protocol/panel-protocol';
import { type PanelDeps, RunPanel } from './run-panel';

export class PanelManager implements vscode.Disposable {
  private readonly panels = new Map<string, RunPanel>();

  constructor(private readonly deps: PanelDeps) {}

  get(runId: string): RunPanel | undefined {
    return this.panels.get(runId);
  }

  all(): RunPanel[] {
    return [...this.panels.values()];
  }

  show(runId: string, options: { preserveFocus?: boolean; column?: vscode.ViewColumn } = {}): RunPanel {
    const existing = this.panels.get(runId);
    if (existing) {
      existing.panel.reveal(options.column, options.preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      `Run ${runId}`,
      { viewColumn: options.column ?? vscode.ViewColumn.Active, preserveFocus: Boolean(options.preserveFocus) },
      { enableScripts: true, enableFindWidget: true },
    );
    return this.adopt(panel, runId);
  }

  /** Called by the serializer after a reload, with the state the panel saved (`{ runId }`). */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const runId = (state as { runId?: unknown } | undefined)?.runId;
    if (typeof runId !== 'string' || !isRunId(runId) || this.panels.has(runId)) {
      panel.dispose();
      return;
    }
    this.adopt(panel, runId);
  }

  private adopt(panel: vscode.WebviewPanel, runId: string): RunPanel {
    const host = new RunPanel(panel, runId, this.deps);
    this.panels.set(runId, host);
    host.onDidDispose(() => this.panels.delete(runId));
    return host;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
  }
}
