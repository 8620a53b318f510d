/**
 * `run-prp <prp>` (`/prp-execute`): the agent implements the PRP, the harness runs its Validation Loop after
 * each round and feeds failures back, for at most `retry.maxAttempts` rounds. `--batch a,b,c` runs several
 * (one run each, in order); `--shard i/n` takes the i-th of n shares of the batch for a CI job matrix.
 */
import type { Command } from 'commander';
import { conditionEvaluator } from '../../core/engine/conditions';
import { EngineEvents } from '../../core/engine/engine-events';
import type { ImplementStep } from '../../core/engine/plan';
import { planLevels } from '../../core/engine/plan-prp';
import { renderPlan } from '../../core/engine/plan-render';
import { PRP_EXECUTE } from '../../core/engine/plan-workflow';
import { Semaphore } from '../../core/engine/semaphore';
import { hasErrors, InputError } from '../../core/problems';
import { loadProjectFacts } from '../../core/project/load-facts';
import { readPrp } from '../../core/prp';
import { parseBatch, parseShard, shardOf } from '../../core/run/shard';
import { type RunOutcome, resumeRun, startRun } from '../../node/runs/run-host';
import { listRuns } from '../../node/runs/run-store';
import { type AgentFlags, addAgentOptions, createCliAgent, finishPrp, preflightOrRefuse } from '../agent-setup';
import { action } from '../command';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { requireProjectApproval } from '../project-trust';
import { resolvePrpArgument } from '../prp-argument';
import { agentRerunConfirmer, attachPrinter, exitCodeOf, hookScripts, printOutcome } from '../run-support';
import { loadSettingsOrFail } from '../settings-loader';
import { rethrowHostError } from './orchestrate';
import { packageScripts } from './validate';

interface RunPrpOptions extends AgentFlags {
  batch?: string;
  shard?: string;
  resume?: string | boolean;
  force?: boolean;
  yes?: boolean;
  verbose?: boolean;
  dryRun?: boolean;
  json?: boolean;
  move?: boolean;
}

export function registerRunPrp(program: Command): void {
  const cmd = program
    .command('run-prp [prp]')
    .description('execute a PRP: an agent implements it, the harness runs its gates and feeds failures back')
    .option('--batch <prps>', 'comma-separated PRPs to execute, up to maxConcurrent at once (one run each)')
    .option('--shard <i/n>', 'with --batch: run only the i-th of n shares (for a CI job matrix)')
    .option('--resume [runId]', 'continue an interrupted, failed or parked run (default: the newest of this PRP)')
    .option('--force', 'resume even though an input file changed since the run started')
    .option('-y, --yes', "approve the PRP's gate commands for this invocation, and re-running interrupted agent steps")
    .option('-v, --verbose', 'stream every line of output')
    .option('--dry-run', 'print the plan and run nothing')
    .option('--json', 'print the final result as JSON (progress goes to stderr)')
    .option('--no-move', 'keep a completed PRP where it is (default: move it to PRPs/completed/)');
  addAgentOptions(cmd);
  cmd.action(action((ctx, prp: string | undefined, opts: RunPrpOptions) => runPrp(ctx, prp, opts)));
}

async function runPrp(ctx: CliContext, prpArg: string | undefined, opts: RunPrpOptions): Promise<number> {
  const settings = await loadSettingsOrFail(ctx);
  const facts = await loadProjectFacts(ctx.workspace);
  const yes = Boolean(opts.yes);
  const events = new EngineEvents();
  attachPrinter(ctx, events, { verbose: Boolean(opts.verbose), quiet: Boolean(opts.json) });
  const created = opts.dryRun ? undefined : await createCliAgent(ctx, opts, settings);
  const agent = created?.agent;
  const scripts = await packageScripts(ctx);
  const common = {
    settings: settings.orchestration,
    ...(agent ? { agent } : {}),
    events,
    signal: ctx.signal,
    scripts,
    trackWorkTree: true,
    evaluateCondition: conditionEvaluator(facts, {}),
  };

  if (opts.resume !== undefined) {
    const runs = await listRuns(ctx.root, 200);
    const target = prpArg ? await resolvePrpArgument(ctx, prpArg).catch(() => prpArg) : undefined;
    const runId =
      typeof opts.resume === 'string'
        ? opts.resume
        : runs.find(
            (r) =>
              r.state.kind === 'prp' &&
              r.status !== 'passed' &&
              r.status !== 'running' &&
              (!target || r.state.target === target),
          )?.runId;
    if (!runId) throw new UsageError(`no PRP run${target ? ` of ${target}` : ''} to resume`);
    const outcome = await resumeRun({
      ...common,
      root: ctx.root,
      runId,
      force: Boolean(opts.force),
      confirmAgentRerun: agentRerunConfirmer(ctx, yes),
    }).catch(rethrowHostError);
    return finish(ctx, [outcome], opts);
  }

  let targets: string[];
  if (opts.batch) {
    if (prpArg) throw new UsageError('give either a PRP or --batch, not both');
    targets = parseBatch(opts.batch);
    if (opts.shard) {
      const shard = parseShard(opts.shard);
      if ('error' in shard) throw new UsageError(shard.error);
      targets = shardOf(targets, shard);
      ctx.out.err(
        `Shard ${opts.shard}: ${targets.length} of ${parseBatch(opts.batch).length} PRPs (${targets.join(', ') || 'none'})`,
      );
    }
  } else {
    if (opts.shard) throw new UsageError('--shard needs --batch');
    if (!prpArg) throw new UsageError('name a PRP (path or name), or pass --batch a,b,c');
    targets = [prpArg];
  }

  // Read and plan every PRP before anything runs: a bad one stops the batch with exit 2 up front.
  const plans: Array<{ prp: string; step: ImplementStep }> = [];
  for (const t of targets) {
    const prp = await resolvePrpArgument(ctx, t);
    const read = await readPrp(ctx.workspace, prp, { facts });
    if (!read.value || hasErrors(read.problems)) throw new InputError(read.problems);
    const levels = planLevels(read.value, settings.orchestration, { idPrefix: 'implement' });
    if (!levels.some((l) => !l.skip))
      throw new UsageError(`${prp} has no validation level to run: nothing could prove the work`);
    plans.push({
      prp,
      step: {
        kind: 'implement',
        id: 'implement',
        name: `/${PRP_EXECUTE} ${prp}`,
        command: PRP_EXECUTE,
        argsText: prp,
        prp,
        levels,
        maxRounds: Math.max(1, settings.orchestration.retry.maxAttempts),
      },
    });
  }
  if (created) for (const p of plans) await preflightOrRefuse(created, PRP_EXECUTE, p.prp);
  if (opts.dryRun) {
    for (const p of plans)
      ctx.out.out([`Plan for ${p.prp} (nothing runs in a dry run):`, ...renderPlan([p.step])].join('\n'));
    return ExitCode.Ok;
  }
  const commands = [
    ...plans.flatMap((p) =>
      (p.step.levels ?? []).filter((l) => !l.skip).flatMap((l) => l.commands.map((c) => c.command)),
    ),
    ...hookScripts(settings),
  ];
  if (commands.length > 0)
    await requireProjectApproval(ctx, commands, { yes, context: `run-prp ${targets.join(', ')}` });

  // A batch runs under `maxConcurrent` (one run, one agent and one journal each; output lines are prefixed).
  // A recording or a replay is one conversation file: those batches run one PRP at a time.
  const concurrent = plans.length > 1 && settings.orchestration.parallelExecution && !opts.record && !opts.cassette;
  const limit = concurrent ? settings.orchestration.maxConcurrent : 1;
  const slots = new Semaphore(Math.max(1, limit));
  const outcomes: RunOutcome[] = [];
  const say = opts.json ? ctx.out.err : ctx.out.out;
  await Promise.all(
    plans.map((p) =>
      slots
        .use(ctx.signal, async () => {
          const runEvents = limit > 1 ? new EngineEvents() : events;
          if (limit > 1)
            attachPrinter(ctx, runEvents, {
              verbose: Boolean(opts.verbose),
              quiet: Boolean(opts.json),
              prefix: `[${p.prp}] `,
            });
          // Each concurrent run gets its own agent: conversations are kept per step, and every run's step is `implement`.
          const runAgent = limit > 1 && agent ? (await createCliAgent(ctx, opts, settings))?.agent : agent;
          const outcome = await startRun({
            ...common,
            ...(runAgent ? { agent: runAgent } : {}),
            events: runEvents,
            root: ctx.root,
            kind: 'prp',
            target: p.prp,
            plan: [p.step],
            variables: {},
            inputs: [p.prp, '.claude/settings.local.json', '.claude/commands/prp-execute.md'],
            onStarted: ({ runId }) => say(`Run ${runId}: ${p.prp}`),
          }).catch(rethrowHostError);
          outcomes.push(outcome);
          if (outcome.status === 'passed' && opts.move !== false) {
            const moved = await finishPrp(ctx, p.prp);
            if (moved) say(`Moved ${p.prp} → ${moved}`);
          }
        })
        .catch((err) => {
          if (!ctx.signal.aborted) throw err;
        }),
    ),
  );
  outcomes.sort(
    (a, b) => plans.findIndex((p) => p.prp === a.state.target) - plans.findIndex((p) => p.prp === b.state.target),
  );
  return finish(ctx, outcomes, opts);
}

function finish(ctx: CliContext, outcomes: RunOutcome[], opts: { json?: boolean }): number {
  for (const o of outcomes) printOutcome(ctx, o, { quiet: Boolean(opts.json) });
  if (opts.json)
    ctx.out.json({ runs: outcomes.map((o) => ({ runId: o.runId, target: o.state.target, status: o.status })) });
  if (ctx.signal.aborted) return ExitCode.Interrupted;
  return outcomes.every((o) => o.status === 'passed')
    ? ExitCode.Ok
    : exitCodeOf(outcomes.find((o) => o.status !== 'passed')!.status);
}
