/**
 * The "Runs" tree: recent runs from their journals (this window's and the CLI's), newest first, with live
 * progress, result, tokens and cost; each run's steps below it with their status.
 */
import * as vscode from 'vscode';
import { formatCost, formatDuration } from '../../core/report/run-report';
import { progressOf, type RunState, type StepState } from '../../core/run/fold';
import type { DisplayStatus, LoadedRun } from '../../node/runs/run-store';
import { STATUS_ICON } from './prp-tree';

export type RunTreeNode = { kind: 'run'; run: LoadedRun } | { kind: 'step'; run: LoadedRun; step: StepState };

function tokens(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

/** `passed · 3/3 · 12.4k tok · $0.08` */
export function runDescription(state: RunState, status: DisplayStatus): string {
  const p = progressOf(state);
  const u = state.usage;
  const total = u.inputTokens + u.outputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens;
  const parts: string[] = [status, `${p.done}/${p.total}`];
  if (total > 0) parts.push(`${tokens(total)} tok`, formatCost(u));
  if (state.durationMs !== undefined) parts.push(formatDuration(state.durationMs));
  return parts.join(' · ');
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunTreeNode> {
  constructor(
    private readonly loadRuns: () => Promise<LoadedRun[]>,
    private readonly isLive: (runId: string) => boolean,
  ) {}

  async getChildren(node?: RunTreeNode): Promise<RunTreeNode[]> {
    if (!node) {
      const runs = await this.loadRuns().catch(() => []);
      await vscode.commands.executeCommand('setContext', 'contextForge.hasRuns', runs.length > 0);
      return runs.map((run) => ({ kind: 'run', run }));
    }
    if (node.kind === 'run') {
      const steps = node.run.state.steps;
      return steps.filter((s) => !s.parent).map((step) => ({ kind: 'step', run: node.run, step }));
    }
    return node.run.state.steps
      .filter((s) => s.parent === node.step.id)
      .map((step) => ({ kind: 'step', run: node.run, step }));
  }

  getTreeItem(node: RunTreeNode): vscode.TreeItem {
    if (node.kind === 'run') {
      const { state, status, runId } = node.run;
      const item = new vscode.TreeItem(state.target, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `run:${runId}`;
      item.description = runDescription(state, status);
      item.iconPath = STATUS_ICON[status];
      const u = state.usage;
      item.tooltip = new vscode.MarkdownString(
        [
          `**${state.target}** — ${status}`,
          `Run \`${runId}\` (${state.kind}), started ${new Date(state.startedAt).toLocaleString()}`,
          `Tokens: ${u.inputTokens} in · ${u.outputTokens} out · ${u.cacheReadInputTokens} cached · cost ${formatCost(u)}`,
          state.reason ? `Reason: ${state.reason}` : '',
        ]
          .filter(Boolean)
          .join('\n\n'),
      );
      item.contextValue =
        status === 'running' || status === 'unresponsive'
          ? 'run.running'
          : status === 'passed'
            ? 'run.done'
            : 'run.resumable';
      item.command = { command: 'contextForge.showPanel', title: 'Show Execution Panel', arguments: [runId] };
      if (this.isLive(runId)) item.description = `${item.description} · this window`;
      return item;
    }
    const s = node.step;
    const hasChildren = node.run.state.steps.some((c) => c.parent === s.id);
    const item = new vscode.TreeItem(
      s.name,
      hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `run:${node.run.runId}:${s.id}`;
    const status = s.status === 'running' && node.run.status !== 'running' ? 'interrupted' : s.status;
    item.iconPath = STATUS_ICON[status];
    item.description = [
      s.attempts > 1 ? `attempt ${s.attempts}` : '',
      s.durationMs ? formatDuration(s.durationMs) : '',
      s.reason && s.status !== 'passed' ? s.reason : '',
    ]
      .filter(Boolean)
      .join(' · ');
    item.contextValue = 'runStep';
    item.command = {
      command: 'contextForge.showPanel',
      title: 'Show Execution Panel',
      arguments: [node.run.runId],
    };
    return item;
  }
}
