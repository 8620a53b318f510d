/**
 * The "PRPs & Workflows" tree: PRPs grouped active / completed / templates (each with the result of the last run
 * that executed or validated it), the workflows of `.claude/orchestration.yaml` with their steps, and the slash
 * commands. Reader problems appear as items at the place they belong, with their position.
 */
import * as vscode from 'vscode';
import type { SlashCommand } from '../../core/commands/slash-command';
import { formatProblem, type Problem } from '../../core/problems';
import type { RunState } from '../../core/run/fold';
import type { Step, Workflow } from '../../core/workflow/schema';
import type { DisplayStatus, LoadedRun } from '../../node/runs/run-store';
import type { ProjectModel, PrpFile, PrpGroup } from '../project/project-model';

export type PrpTreeNode =
  | { kind: 'section'; section: 'prps' | 'workflows' | 'commands' }
  | { kind: 'prpGroup'; group: PrpGroup }
  | {
      kind: 'prp';
      prp: PrpFile;
      lastRun?: { status: DisplayStatus; runId: string; at: number };
      findings?: { errors: number; warnings: number };
    }
  | { kind: 'workflow'; workflow: Workflow }
  | { kind: 'step'; workflow: Workflow; step: Step; label?: string }
  | { kind: 'command'; command: SlashCommand }
  | { kind: 'problem'; problem: Problem };

const GROUP_LABEL: Record<PrpGroup, string> = { active: 'Active', completed: 'Completed', templates: 'Templates' };

export const STATUS_ICON: Record<DisplayStatus | 'pending' | 'skipped', vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('sync~spin'),
  unresponsive: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  interrupted: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  parked: new vscode.ThemeIcon('clock'),
  passed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
  pending: new vscode.ThemeIcon('circle-outline'),
  skipped: new vscode.ThemeIcon('debug-step-over'),
};

/** The PRP a run was about: its target (`prp`/`validate` runs) or the PRP of an implement step. */
export function prpOfRun(state: RunState): string | undefined {
  if (state.kind === 'prp' || state.kind === 'validate') return state.target.split('#')[0];
  const implement = state.steps.find((s) => s.kind === 'implement');
  if (implement) {
    const plan = state.plan.find((p) => p.id === implement.id);
    if (plan?.kind === 'implement') return plan.prp;
  }
  const m = /^\/prp-execute\s+(\S+\.md)/.exec(state.target.trim());
  return m?.[1];
}

function stepChildren(step: Step): Array<{ step: Step; label?: string }> {
  if (step.kind === 'parallel') return step.steps.map((s) => ({ step: s }));
  if (step.kind === 'if') {
    return [
      ...step.thenSteps.map((s) => ({ step: s, label: `then: ${s.label}` })),
      ...step.elseSteps.map((s) => ({ step: s, label: `else: ${s.label}` })),
    ];
  }
  return [];
}

function positionUri(file: string, line: number): vscode.Command {
  return {
    command: 'contextForge.openItem',
    title: 'Open',
    arguments: [{ file, line }],
  };
}

export class PrpTreeProvider implements vscode.TreeDataProvider<PrpTreeNode> {
  private runs: LoadedRun[] = [];

  constructor(
    private readonly project: ProjectModel,
    private readonly loadRuns: () => Promise<LoadedRun[]>,
    private readonly findingsOf: (prp: PrpFile) => Promise<{ errors: number; warnings: number } | undefined>,
  ) {}

  async getChildren(node?: PrpTreeNode): Promise<PrpTreeNode[]> {
    const snap = await this.project.snapshot();
    if (!node) {
      if (!snap.initialized && snap.prps.length === 0) return [];
      this.runs = await this.loadRuns().catch(() => []);
      return [
        { kind: 'section', section: 'prps' },
        { kind: 'section', section: 'workflows' },
        { kind: 'section', section: 'commands' },
      ];
    }
    switch (node.kind) {
      case 'section':
        if (node.section === 'prps') {
          return (['active', 'completed', 'templates'] as const).map((group) => ({ kind: 'prpGroup', group }));
        }
        if (node.section === 'workflows') {
          const problems = snap.workflows.problems.filter((p) => p.severity === 'error');
          return [
            ...problems.map((problem) => ({ kind: 'problem' as const, problem })),
            ...(snap.workflows.value?.workflows ?? []).map((workflow) => ({ kind: 'workflow' as const, workflow })),
          ];
        }
        return [
          ...snap.commands.problems
            .filter((p) => p.severity === 'error')
            .map((problem) => ({ kind: 'problem' as const, problem })),
          ...(snap.commands.value ?? []).map((command) => ({ kind: 'command' as const, command })),
        ];
      case 'prpGroup':
        return Promise.all(
          snap.prps
            .filter((p) => p.group === node.group)
            .map(async (prp) => {
              const run = this.runs.find((r) => prpOfRun(r.state) === prp.path);
              const findings =
                prp.group === 'templates' ? undefined : await this.findingsOf(prp).catch(() => undefined);
              return {
                kind: 'prp' as const,
                prp,
                ...(run
                  ? {
                      lastRun: {
                        status: run.status,
                        runId: run.runId,
                        at: run.state.finishedAt ?? run.state.startedAt,
                      },
                    }
                  : {}),
                ...(findings ? { findings } : {}),
              };
            }),
        );
      case 'workflow':
        return node.workflow.steps.map((step) => ({ kind: 'step', workflow: node.workflow, step }));
      case 'step':
        return stepChildren(node.step).map((c) => ({
          kind: 'step' as const,
          workflow: node.workflow,
          step: c.step,
          ...(c.label ? { label: c.label } : {}),
        }));
      default:
        return [];
    }
  }

  getTreeItem(node: PrpTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'section': {
        const labels = { prps: 'PRPs', workflows: 'Workflows', commands: 'Slash Commands' };
        const icons = { prps: 'book', workflows: 'type-hierarchy', commands: 'symbol-event' };
        const item = new vscode.TreeItem(labels[node.section], vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon(icons[node.section]);
        item.id = `section:${node.section}`;
        item.contextValue = `section.${node.section}`;
        return item;
      }
      case 'prpGroup': {
        const item = new vscode.TreeItem(
          GROUP_LABEL[node.group],
          node.group === 'active'
            ? vscode.TreeItemCollapsibleState.Expanded
            : vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `prpGroup:${node.group}`;
        item.iconPath = new vscode.ThemeIcon(
          node.group === 'active' ? 'folder-active' : node.group === 'completed' ? 'archive' : 'files',
        );
        item.contextValue = `prpGroup.${node.group}`;
        return item;
      }
      case 'prp': {
        const item = new vscode.TreeItem(node.prp.name, vscode.TreeItemCollapsibleState.None);
        item.id = `prp:${node.prp.path}`;
        item.resourceUri = node.prp.uri;
        const last = node.lastRun;
        const f = node.findings;
        const lint = !f
          ? ''
          : f.errors + f.warnings === 0
            ? '✓ lint'
            : `${f.errors} error${f.errors === 1 ? '' : 's'}, ${f.warnings} warning${f.warnings === 1 ? '' : 's'}`;
        const run = last ? `last run ${last.status}` : node.prp.group === 'templates' ? 'template' : 'not run yet';
        item.description = [lint, run].filter(Boolean).join(' · ');
        item.iconPath = last
          ? STATUS_ICON[last.status]
          : new vscode.ThemeIcon(node.prp.group === 'templates' ? 'file-code' : 'file-text');
        item.tooltip = new vscode.MarkdownString(
          `**${node.prp.title ?? node.prp.name}** — \`${node.prp.path}\`\n\n${last ? `Last run: ${last.status} (${new Date(last.at).toLocaleString()}, run \`${last.runId}\`)` : 'Not executed or validated yet.'}`,
        );
        item.contextValue =
          node.prp.group === 'templates' ? 'prpTemplate' : `prp.${node.prp.group}${last ? '.withRun' : ''}`;
        item.command = { command: 'vscode.open', title: 'Open', arguments: [node.prp.uri] };
        return item;
      }
      case 'workflow': {
        const wf = node.workflow;
        const item = new vscode.TreeItem(wf.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `workflow:${wf.name}`;
        item.description = wf.description ?? '';
        item.iconPath = new vscode.ThemeIcon('type-hierarchy-sub');
        const vars = wf.variables.map((v) => `\`${v.name}\`${v.description ? ` — ${v.description}` : ''}`).join('\n\n');
        item.tooltip = new vscode.MarkdownString(
          `**${wf.name}** (${wf.steps.length} steps)\n\n${wf.description ?? ''}${vars ? `\n\nVariables:\n\n${vars}` : ''}`,
        );
        item.contextValue = 'workflow';
        item.command = positionUri(wf.file, wf.position.line);
        return item;
      }
      case 'step': {
        const s = node.step;
        const item = new vscode.TreeItem(
          node.label ?? s.label,
          s.kind === 'parallel' || s.kind === 'if'
            ? vscode.TreeItemCollapsibleState.Collapsed
            : vscode.TreeItemCollapsibleState.None,
        );
        item.id = `step:${node.workflow.name}:${s.id}:${node.label ?? ''}`;
        const icons = { command: 'symbol-event', run: 'terminal', parallel: 'split-horizontal', if: 'question' };
        item.iconPath = new vscode.ThemeIcon(icons[s.kind]);
        item.description =
          s.kind === 'command'
            ? s.name
              ? s.line
              : ''
            : s.kind === 'run'
              ? s.name
                ? 'run'
                : ''
              : s.kind === 'if'
                ? s.condition.expression
                : `${s.steps.length} in parallel`;
        item.contextValue = 'workflowStep';
        item.command = positionUri(node.workflow.file, s.position.line);
        return item;
      }
      case 'command': {
        const c = node.command;
        const item = new vscode.TreeItem(`/${c.name}`, vscode.TreeItemCollapsibleState.None);
        item.id = `command:${c.name}`;
        item.description = c.description ?? '';
        item.tooltip = new vscode.MarkdownString(
          `**/${c.name}** ${c.argumentHint ?? ''}\n\n${c.description ?? ''}\n\n\`${c.file}\``,
        );
        item.iconPath = new vscode.ThemeIcon('symbol-event');
        item.contextValue = 'slashCommand';
        item.command = positionUri(c.file, 1);
        return item;
      }
      case 'problem': {
        const p = node.problem;
        const item = new vscode.TreeItem(p.message, vscode.TreeItemCollapsibleState.None);
        item.description = `${p.file}:${p.line}:${p.column}`;
        item.tooltip = formatProblem(p);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        item.contextValue = 'problem';
        item.command = positionUri(p.file, p.line);
        return item;
      }
    }
  }
}
