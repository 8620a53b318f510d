/**
 * The status bar item: `$(sync~spin) Context Forge: step 3/7 · Level 2` while a run is going (a click opens its
 * panel), the last run's result when idle.
 */
import * as vscode from 'vscode';
import { formatDuration } from '../../core/report/run-report';
import type { RunState } from '../../core/run/fold';
import type { DisplayStatus } from '../../node/runs/run-store';
import { progressText } from '../../protocol/run-view';

const ICONS: Record<DisplayStatus, string> = {
  running: '$(sync~spin)',
  unresponsive: '$(warning)',
  interrupted: '$(debug-pause)',
  parked: '$(clock)',
  passed: '$(pass)',
  failed: '$(error)',
  cancelled: '$(circle-slash)',
};

export class RunStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('contextForge.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Context Forge';
    this.idle(undefined);
    this.item.show();
  }

  running(state: RunState): void {
    this.item.text = `$(sync~spin) Context Forge: ${progressText(state)}`;
    this.item.tooltip = `${state.target} — running (run ${state.runId}). Click to open the execution panel.`;
    this.item.command = { command: 'contextForge.showPanel', title: 'Show Execution Panel', arguments: [state.runId] };
    this.item.backgroundColor = undefined;
  }

  idle(last: { state: RunState; status: DisplayStatus } | undefined): void {
    if (!last) {
      this.item.text = '$(beaker) Context Forge';
      this.item.tooltip = 'No run yet. Click to orchestrate a workflow, a slash command or a PRP.';
      this.item.command = 'contextForge.orchestrate';
      return;
    }
    const { state, status } = last;
    this.item.text = `${ICONS[status]} Context Forge: ${status}`;
    const when = state.finishedAt
      ? new Date(state.finishedAt).toLocaleString()
      : new Date(state.startedAt).toLocaleString();
    this.item.tooltip = `Last run: ${state.target} — ${status} (${formatDuration(state.durationMs)}, ${when}). Click to open its panel.`;
    this.item.command = { command: 'contextForge.showPanel', title: 'Show Execution Panel', arguments: [state.runId] };
  }

  dispose(): void {
    this.item.dispose();
  }
}
