/**
 * `orchestrate <workflow | "/command args">`: runs a workflow from `.claude/orchestration.yaml` (variables
 * from `--var`, or asked for on a terminal) or a single slash command, journaled and resumable.
 */
import type { Command } from 'commander';
import { readSlashCommands } from '../../core/commands/read-slash-commands';
import { conditionEvaluator } from '../../core/engine/conditions';
import { EngineEvents } from '../../core/engine/engine-events';
import type { PlanStep } from '../../core/engine/plan';
import { projectCommandsOf, renderPlan } from '../../core/engine/plan-render';
import { planCommandLine, planWorkflow } from '../../core/engine/plan-workflow';
import { hasErrors, InputError } from '../../core/problems';
import { loadProjectFacts } from '../../core/project/load-facts';
import { bindVariables, workflowVariables } from '../../core/workflow/bind';
import { ORCHESTRATION_FILE, readWorkflows } from '../../core/workflow/read-workflows';
import { RunHostError, resumeRun, startRun } from '../../node/runs/run-host';
import { listRuns, loadRun } from '../../node/runs/run-store';
import { type AgentFlags, addAgentOptions, createCliAgent, preflightOrRefuse } from '../agent-setup';
import { action } from '../command';
import type { CliContext } from '../context';
import { CliError, UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { createLevelLoader } from '../level-loader';
import { requireProjectApproval } from '../project-trust';
import {
  agentRerunConfirmer,
  attachPrinter,
  exitCodeOf,
  hookScripts,
  parseVars,
  printOutcome,
  promptForVariables,
} from '../run-support';
import { loadSettingsOrFail } from '../settings-loader';

interface OrchestrateOptions extends AgentFlags {
  var?: string[];
  dryRun?: boolean;
  resume?: string | boolean;
  force?: boolean;
  yes?: boolean;
  verbose?: boolean;
  json?: boolean;
}

export function registerOrchestrate(program: Command): void {
  const cmd = program
    .command('orchestrate [target]')
    .description('run a workflow from .claude/orchestration.yaml, or a slash command such as "/prp-create add login"')
    .option('--var <NAME=value...>', 'a workflow variable (repeatable)')
    .option('--dry-run', 'print the plan and run nothing')
    .option(
      '--resume [runId]',
      'continue an interrupted, failed or parked run (default: the newest one of this target)',
    )
    .option('--force', 'resume even though an input file changed since the run started')
    .option('-y, --yes', "approve the project's commands for this invocation, and re-running interrupted agent steps")
    .option('-v, --verbose', 'stream every line of output')
    .option('--json', 'print the final report as JSON (progress goes to stderr)');
  addAgentOptions(cmd);
  cmd.action(action((ctx, target: string | undefined, opts: OrchestrateOptions) => orchestrate(ctx, target, opts)));
}

async function orchestrate(ctx: CliContext, target: string | undefined, opts: OrchestrateOptions): Promise<number> {
  const settings = await loadSettingsOrFail(ctx);
  const events = new EngineEvents();
  attachPrinter(ctx, events, { verbose: Boolean(opts.verbose), quiet: Boolean(opts.json) });
  const yes = Boolean(opts.yes);
  const facts = await loadProjectFacts(ctx.workspace);
  const created = await createCliAgent(ctx, opts, settings);
  const agent = created?.agent;
  const common = {
    settings: settings.orchestration,
    ...(agent ? { agent } : {}),
    events,
    signal: ctx.signal,
    loadLevels: createLevelLoader(ctx, settings, facts, { yes }),
    trackWorkTree: true,
  };

  if (opts.resume !== undefined) {
    const runId = typeof opts.resume === 'string' ? opts.resume : await newestResumable(ctx, target);
    const state = (await loadRun(ctx.root, runId).catch(() => undefined))?.state;
    const outcome = await resumeRun({
      ...common,
      root: ctx.root,
      runId,
      force: Boolean(opts.force),
      confirmAgentRerun: agentRerunConfirmer(ctx, yes),
      evaluateCondition: conditionEvaluator(facts, state?.variables ?? {}),
    }).catch(rethrowHostError);
    return finish(ctx, outcome, opts);
  }

  if (!target)
    throw new UsageError(
      'name a workflow or a slash command, e.g. `orchestrate feature_complete` or `orchestrate "/prime-context"`',
    );
  let plan: PlanStep[];
  let variables: Record<string, string> = {};
  const inputs = ['.claude/settings.local.json'];
  if (target.trimStart().startsWith('/')) {
    const planned = planCommandLine(target, settings.orchestration);
    if ('error' in planned) throw new UsageError(planned.error);
    plan = planned.steps;
    const name = target.trim().slice(1).split(/\s+/)[0]!;
    // A broken command file is bad input: refused here (exit 2, nothing written), not when its step is reached.
    const commandFile = `.claude/commands/${name.split(':').join('/')}.md`;
    const fileErrors = (await readSlashCommands(ctx.workspace)).problems.filter(
      (p) => p.file === commandFile && p.severity === 'error',
    );
    if (fileErrors.length > 0) throw new InputError(fileErrors);
    const first = plan[0];
    if (created && first && (first.kind === 'agent' || first.kind === 'implement')) {
      await preflightOrRefuse(created, first.command, first.argsText);
    }
    inputs.push(commandFile);
  } else {
    const file = await readWorkflows(ctx.workspace);
    if (hasErrors(file.problems) || !file.value) throw new InputError(file.problems);
    ctx.out.problems(file.problems);
    const workflow = file.value.workflows.find((w) => w.name === target);
    if (!workflow) {
      const names = file.value.workflows.map((w) => w.name).join(', ') || 'none';
      throw new UsageError(`no workflow "${target}" in ${ORCHESTRATION_FILE} (workflows: ${names})`);
    }
    const given = parseVars(opts.var);
    const missing = workflowVariables(workflow).filter(
      (v) => v.required && v.default === undefined && !(v.name in given),
    );
    Object.assign(given, await promptForVariables(ctx, missing));
    const bound = bindVariables(workflow, given);
    if (hasErrors(bound.problems) || !bound.value) throw new InputError(bound.problems);
    ctx.out.problems(bound.problems);
    plan = planWorkflow(bound.value, settings.orchestration);
    variables = bound.value.values;
    inputs.push(ORCHESTRATION_FILE);
  }

  if (opts.dryRun) {
    if (opts.json) ctx.out.json({ target, variables, plan });
    else ctx.out.out([`Plan for ${target} (nothing runs in a dry run):`, ...renderPlan(plan)].join('\n'));
    return ExitCode.Ok;
  }
  const commands = [...projectCommandsOf(plan), ...hookScripts(settings)];
  if (commands.length > 0) await requireProjectApproval(ctx, commands, { yes, context: `orchestrate ${target}` });
  const outcome = await startRun({
    ...common,
    root: ctx.root,
    kind: target.trimStart().startsWith('/') ? 'command' : 'workflow',
    target,
    plan,
    variables,
    inputs,
    evaluateCondition: conditionEvaluator(facts, variables),
    onStarted: ({ runId }) => (opts.json ? ctx.out.err : ctx.out.out)(`Run ${runId}`),
  }).catch(rethrowHostError);
  return finish(ctx, outcome, opts);
}

function finish(ctx: CliContext, outcome: Awaited<ReturnType<typeof startRun>>, opts: { json?: boolean }): number {
  printOutcome(ctx, outcome, { quiet: Boolean(opts.json) });
  if (opts.json) ctx.out.json({ runId: outcome.runId, status: outcome.status });
  if (ctx.signal.aborted) return ExitCode.Interrupted;
  return exitCodeOf(outcome.status);
}

async function newestResumable(ctx: CliContext, target: string | undefined): Promise<string> {
  const runs = await listRuns(ctx.root, 200);
  const match = runs.find(
    (r) => r.status !== 'passed' && r.status !== 'running' && (!target || r.state.target === target),
  );
  if (!match) throw new UsageError(`no run${target ? ` of ${target}` : ''} to resume`);
  return match.runId;
}

export function rethrowHostError(err: unknown): never {
  if (err instanceof RunHostError) throw new CliError(err.message, err.exitCode);
  if (err instanceof Error && err.name === 'RunLockedError') throw new CliError(err.message, ExitCode.Usage);
  throw err;
}
