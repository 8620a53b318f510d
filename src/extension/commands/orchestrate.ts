/**
 * "Context Forge: Orchestrate": a QuickPick of the project's workflows, slash commands and PRPs (with their
 * descriptions), then input boxes for the workflow's variables or the command's `$ARGUMENTS` (the argument-hint as
 * placeholder), then the plan and the run. Called programmatically, an argument skips the questions:
 * `{ workflow, variables }` or `{ command: "/name args" }` (still refused in Restricted Mode).
 */
import * as vscode from 'vscode';
import type { SlashCommand } from '../../core/commands/slash-command';
import { planCommandLine, planWorkflow } from '../../core/engine/plan-workflow';
import { formatProblem, hasErrors } from '../../core/problems';
import { bindVariables, workflowVariables } from '../../core/workflow/bind';
import { ORCHESTRATION_FILE } from '../../core/workflow/read-workflows';
import type { Workflow } from '../../core/workflow/schema';
import type { ProjectModel, PrpFile } from '../project/project-model';
import type { RunController, RunResult } from '../runs/run-controller';

export interface OrchestrateArgs {
  workflow?: string;
  variables?: Record<string, string>;
  command?: string;
}

type Pick =
  | { kind: 'workflow'; workflow: Workflow }
  | { kind: 'command'; command: SlashCommand }
  | { kind: 'prp'; prp: PrpFile };

export interface OrchestrateDeps {
  project: ProjectModel;
  runs: RunController;
  executePrp(prp: string): Promise<RunResult | undefined>;
}

async function pickTarget(deps: OrchestrateDeps): Promise<Pick | undefined> {
  const snap = await deps.project.snapshot();
  type Item = vscode.QuickPickItem & { pick?: Pick };
  const items: Item[] = [];
  const workflows = snap.workflows.value?.workflows ?? [];
  if (workflows.length) items.push({ label: 'Workflows', kind: vscode.QuickPickItemKind.Separator });
  for (const workflow of workflows) {
    items.push({
      label: `$(type-hierarchy-sub) ${workflow.name}`,
      description: workflow.description ?? '',
      detail: `${workflow.steps.length} step${workflow.steps.length === 1 ? '' : 's'}${
        workflow.variables.length ? ` · variables: ${workflow.variables.map((v) => v.name).join(', ')}` : ''
      }`,
      pick: { kind: 'workflow', workflow },
    });
  }
  const commands = snap.commands.value ?? [];
  if (commands.length) items.push({ label: 'Slash Commands', kind: vscode.QuickPickItemKind.Separator });
  for (const command of commands) {
    items.push({
      label: `$(symbol-event) /${command.name}`,
      description: command.argumentHint ?? '',
      detail: command.description ?? '',
      pick: { kind: 'command', command },
    });
  }
  const prps = snap.prps.filter((p) => p.group === 'active');
  if (prps.length) items.push({ label: 'PRPs', kind: vscode.QuickPickItemKind.Separator });
  for (const prp of prps) {
    items.push({
      label: `$(book) ${prp.name}`,
      description: prp.path,
      detail: 'Execute this PRP',
      pick: { kind: 'prp', prp },
    });
  }
  if (items.length === 0) {
    const init = await vscode.window.showWarningMessage(
      'Context Forge: this workspace has no workflows, slash commands or PRPs yet.',
      'Initialize Project',
    );
    if (init) await vscode.commands.executeCommand('contextForge.initProject');
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Context Forge: Orchestrate',
    placeHolder: 'Run a workflow, a slash command or a PRP',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen?.pick;
}

/** Asks for the workflow's variables (defaults prefilled); `undefined` when the user cancels. */
async function askVariables(
  workflow: Workflow,
  given: Record<string, string>,
): Promise<Record<string, string> | undefined> {
  const values: Record<string, string> = { ...given };
  const variables = workflowVariables(workflow);
  for (const [i, v] of variables.entries()) {
    if (v.name in values) continue;
    const answer = await vscode.window.showInputBox({
      title: `${workflow.name}: ${v.name} (${i + 1}/${variables.length})`,
      prompt: v.description ?? `Value of ${v.name}`,
      placeHolder: v.description ?? v.name,
      ...(v.default !== undefined ? { value: v.default } : {}),
      ignoreFocusOut: true,
      validateInput: (text) =>
        v.required && v.default === undefined && text.trim() === '' ? `${v.name} is required` : undefined,
    });
    if (answer === undefined) return undefined;
    if (answer !== '' || v.required) values[v.name] = answer;
  }
  return values;
}

export async function orchestrate(
  deps: OrchestrateDeps,
  args: OrchestrateArgs | undefined,
): Promise<RunResult | undefined> {
  let pick: Pick | undefined;
  const snap = await deps.project.snapshot();
  if (args?.workflow) {
    const workflow = snap.workflows.value?.workflows.find((w) => w.name === args.workflow);
    if (!workflow) throw new Error(`no workflow "${args.workflow}" in ${ORCHESTRATION_FILE}`);
    pick = { kind: 'workflow', workflow };
  } else if (args?.command) {
    return runCommandLine(deps, args.command);
  } else {
    pick = await pickTarget(deps);
  }
  if (!pick) return undefined;
  if (pick.kind === 'prp') return deps.executePrp(pick.prp.path);
  if (pick.kind === 'command') {
    const c = pick.command;
    let argsText = '';
    if (c.usesArguments || c.argumentHint) {
      const answer = await vscode.window.showInputBox({
        title: `/${c.name}`,
        prompt: c.description ?? 'Arguments ($ARGUMENTS)',
        placeHolder: c.argumentHint ?? 'arguments',
        ignoreFocusOut: true,
      });
      if (answer === undefined) return undefined;
      argsText = answer;
    }
    return runCommandLine(deps, `/${c.name}${argsText ? ` ${argsText}` : ''}`);
  }
  const workflow = pick.workflow;
  const values = args?.variables ? { ...args.variables } : await askVariables(workflow, {});
  if (!values) return undefined;
  const bound = bindVariables(workflow, values);
  if (hasErrors(bound.problems) || !bound.value) {
    const message = bound.problems.map(formatProblem).join('\n');
    void vscode.window.showErrorMessage(`Context Forge: ${workflow.name}: ${message}`);
    return { status: 'refused', message };
  }
  const settings = snap.settings.value;
  if (!settings) return { status: 'refused', message: 'settings could not be read' };
  return deps.runs.start({
    kind: 'workflow',
    target: workflow.name,
    plan: planWorkflow(bound.value, settings.orchestration),
    variables: bound.value.values,
    inputs: ['.claude/settings.local.json', ORCHESTRATION_FILE],
  });
}

async function runCommandLine(deps: OrchestrateDeps, line: string): Promise<RunResult> {
  const snap = await deps.project.snapshot();
  const settings = snap.settings.value;
  if (!settings) return { status: 'refused', message: 'settings could not be read' };
  const planned = planCommandLine(line, settings.orchestration);
  if ('error' in planned) {
    void vscode.window.showErrorMessage(`Context Forge: ${planned.error}`);
    return { status: 'refused', message: planned.error };
  }
  const name = line.trim().slice(1).split(/\s+/)[0]!;
  return deps.runs.start({
    kind: 'command',
    target: line.trim(),
    plan: planned.steps,
    variables: {},
    inputs: ['.claude/settings.local.json', `.claude/commands/${name.split(':').join('/')}.md`],
  });
}
