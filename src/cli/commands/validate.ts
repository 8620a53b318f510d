/**
 * `validate <prp>`: the harness runs the PRP's Validation Loop level by level — no model involved. A level
 * passes iff every command exits 0; `validation.mandatory/recommended/stopOnFailure` decide what a failure
 * means. Evidence (exit code, duration, full log, output tail, parsed diagnostics) is journaled.
 */
import type { Command } from 'commander';
import { EngineEvents } from '../../core/engine/engine-events';
import { planLevels } from '../../core/engine/plan-prp';
import { renderPlan } from '../../core/engine/plan-render';
import { hasErrors, InputError } from '../../core/problems';
import { loadProjectFacts } from '../../core/project/load-facts';
import { readPrp } from '../../core/prp';
import type { RunState } from '../../core/run/fold';
import { type RunOutcome, startRun } from '../../node/runs/run-host';
import { action } from '../command';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { requireProjectApproval } from '../project-trust';
import { resolvePrpArgument } from '../prp-argument';
import { attachPrinter, exitCodeOf, printGithubAnnotations, printOutcome } from '../run-support';
import { loadSettingsOrFail } from '../settings-loader';
import { rethrowHostError } from './orchestrate';

interface ValidateOptions {
  level?: string;
  skipValidation?: string;
  json?: boolean;
  format?: string;
  yes?: boolean;
  verbose?: boolean;
  dryRun?: boolean;
}

export function registerValidate(program: Command): void {
  program
    .command('validate <prp>')
    .description("run a PRP's validation gates level by level (the harness decides, from exit codes)")
    .option('--level <n>', 'run only this level')
    .option(
      '--skip-validation <names>',
      'comma-separated levels to skip: syntax, unit, integration, domain, a number or a name',
    )
    .option('--json', 'print the result as JSON')
    .option('--format <format>', 'sarif: print the diagnostics as SARIF 2.1.0')
    .option('-y, --yes', "approve the PRP's gate commands for this invocation")
    .option('-v, --verbose', 'stream every line of output')
    .option('--dry-run', 'print the levels and commands and run nothing')
    .action(action((ctx, prp: string, opts: ValidateOptions) => validate(ctx, prp, opts)));
}

/** The `validate --json` shape: a contract CI scripts rely on. */
export function validationJson(state: RunState, runId: string) {
  const levels = state.steps
    .filter((s) => s.kind === 'level')
    .map((s) => ({
      level: s.level ?? 0,
      name: s.name.replace(/^Level \d+:\s*/, ''),
      passed: s.status === 'passed',
      skipped: s.status === 'skipped' || s.status === 'pending',
      ...(s.status === 'skipped' && s.reason ? { reason: s.reason } : {}),
      ...(s.status === 'pending' ? { reason: 'not run: an earlier mandatory level failed' } : {}),
      commands: (s.evidence ?? []).map((e) => ({
        command: e.command,
        exitCode: e.exitCode,
        durationMs: e.durationMs,
        ...(e.logFile ? { logFile: e.logFile } : {}),
        diagnostics: e.diagnostics.map((d) => ({
          file: d.file,
          line: d.line,
          column: d.column,
          endLine: d.endLine,
          endColumn: d.endColumn,
          severity: d.severity,
          code: d.code ?? null,
          message: d.message,
          source: d.source,
        })),
      })),
    }));
  return { passed: state.status === 'passed', runId, levels };
}

async function validate(ctx: CliContext, prpArg: string, opts: ValidateOptions): Promise<number> {
  if (opts.format !== undefined && opts.format !== 'sarif')
    throw new UsageError(`unknown --format "${opts.format}" (supported: sarif)`);
  const only = opts.level === undefined ? undefined : Number(opts.level);
  if (only !== undefined && (!Number.isInteger(only) || only < 1))
    throw new UsageError('--level must be a level number such as 2');
  const settings = await loadSettingsOrFail(ctx);
  const facts = await loadProjectFacts(ctx.workspace);
  const prpPath = await resolvePrpArgument(ctx, prpArg);
  const read = await readPrp(ctx.workspace, prpPath, { facts });
  if (!read.value || hasErrors(read.problems)) throw new InputError(read.problems);
  const selection = {
    ...(only !== undefined ? { only } : {}),
    ...(opts.skipValidation ? { skip: opts.skipValidation.split(',') } : {}),
  };
  const levels = planLevels(read.value, settings.orchestration, { selection });
  if (only !== undefined && !levels.some((l) => l.level === only))
    throw new UsageError(`${prpPath} has no Level ${only}`);
  if (levels.length === 0)
    throw new UsageError(`${prpPath} has no Validation Loop levels (### Level N: Name with bash fences)`);
  if (opts.dryRun) {
    ctx.out.out([`Validation of ${prpPath} (nothing runs in a dry run):`, ...renderPlan(levels)].join('\n'));
    for (const l of levels.filter((l) => l.skip)) ctx.out.out(`  (${l.name} skipped: ${l.skip})`);
    return ExitCode.Ok;
  }
  const commands = levels.filter((l) => !l.skip).flatMap((l) => l.commands.map((c) => c.command));
  if (commands.length > 0)
    await requireProjectApproval(ctx, commands, { yes: Boolean(opts.yes), context: `validate ${prpPath}` });
  const machine = Boolean(opts.json || opts.format);
  const events = new EngineEvents();
  attachPrinter(ctx, events, { verbose: Boolean(opts.verbose), quiet: machine });
  const outcome: RunOutcome = await startRun({
    root: ctx.root,
    kind: 'validate',
    target: prpPath,
    plan: levels,
    variables: {},
    inputs: [prpPath, '.claude/settings.local.json'],
    settings: settings.orchestration,
    events,
    signal: ctx.signal,
    evaluateCondition: () => ({ error: 'conditions are not used in validation' }),
    scripts: await packageScripts(ctx),
    trackWorkTree: false,
  }).catch(rethrowHostError);
  if (opts.format === 'sarif') {
    const { gateDiagnosticsSarif } = await import('../../core/report/gate-sarif');
    ctx.out.json(gateDiagnosticsSarif(outcome.state));
    printGithubAnnotations(ctx, outcome.state);
  } else if (opts.json) {
    ctx.out.json(validationJson(outcome.state, outcome.runId));
    printGithubAnnotations(ctx, outcome.state);
  } else printOutcome(ctx, outcome);
  if (ctx.signal.aborted) return ExitCode.Interrupted;
  return exitCodeOf(outcome.status);
}

/** package.json scripts, so `npm test` gate output is read with the matchers of what the script runs. */
export async function packageScripts(ctx: CliContext): Promise<Record<string, string>> {
  try {
    const bytes = await ctx.workspace.fs.readFile(ctx.workspace.abs('package.json'));
    const pkg = JSON.parse(new TextDecoder().decode(bytes)) as { scripts?: unknown };
    if (!pkg.scripts || typeof pkg.scripts !== 'object') return {};
    return Object.fromEntries(
      Object.entries(pkg.scripts as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
  } catch {
    return {};
  }
}
