/**
 * `init`: sets a project up — slash commands, orchestration workflows and settings, CLAUDE.md, PRP
 * templates — filled from the detected stack. Idempotent; never overwrites a file the user changed
 * (reported as kept) unless `--force`; `--dry-run` writes nothing.
 */
import type { Command } from 'commander';
import { applyInit, hasChanges, summarize } from '../../core/init/apply';
import { type InitAction, planInit } from '../../core/init/plan';
import { packageVersion, templatesDir } from '../../node/package-root';
import { action } from '../command';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { ExitCode } from '../exit-codes';

interface InitFlags {
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

const LABEL: Record<InitAction, [now: string, dry: string]> = {
  created: ['created', 'would create'],
  updated: ['updated', 'would update'],
  kept: ['kept', 'would keep'],
  unchanged: ['unchanged', 'unchanged'],
};

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('set the project up: .claude/commands, orchestration, settings, CLAUDE.md, PRPs/ templates')
    .option('--force', 'overwrite files you changed (their changes are lost)')
    .option('--dry-run', 'show what would be written, and write nothing')
    .option('--json', 'print {"created":[],"updated":[],"kept":[],"unchanged":[]} instead of text')
    .action(action(runInit));
}

export async function runInit(ctx: CliContext, flags: InitFlags): Promise<number> {
  const real = await ctx.workspace.fs.realPath(ctx.root).catch(() => undefined);
  const rootStat = real === undefined ? undefined : await ctx.workspace.fs.stat(real);
  if (rootStat?.type !== 'directory')
    throw new UsageError(`${ctx.root} is not a folder; create it first or pass --cwd`);

  const plan = await planInit(ctx.workspace, {
    templatesRoot: templatesDir(),
    force: flags.force === true,
    tool: { name: 'codex-context-forge', version: packageVersion() },
  });
  const dryRun = flags.dryRun === true;
  const summary = dryRun ? summarize(plan) : await applyInit(ctx.workspace, plan);

  if (flags.json) {
    ctx.out.json({ ...summary, dryRun, techStack: plan.detected.techStack, warnings: plan.warnings });
    return ExitCode.Ok;
  }
  ctx.out.problems(plan.warnings);
  const stack = plan.detected.techStack;
  const detected = [
    stack.languages.join('+') || 'no language detected',
    stack.packageManager !== 'none' ? stack.packageManager : '',
    stack.frameworks.join(', '),
    stack.testRunner !== 'none' ? stack.testRunner : '',
    stack.database !== 'none' ? stack.databases.join(', ') : '',
  ].filter(Boolean);
  ctx.out.out(`${ctx.out.style('bold', 'Detected:')} ${detected.join(' · ')}`);
  const width = Math.max(...plan.files.map((f) => LABEL[f.action][dryRun ? 1 : 0].length));
  for (const f of plan.files) {
    const label = LABEL[f.action][dryRun ? 1 : 0].padEnd(width);
    const colour = f.action === 'kept' ? 'yellow' : f.action === 'unchanged' ? 'dim' : 'green';
    ctx.out.out(
      `  ${ctx.out.style(colour, label)}  ${f.path}${f.reason ? ctx.out.style('dim', `  (${f.reason})`) : ''}`,
    );
  }
  const counts = `${summary.created.length} created, ${summary.updated.length} updated, ${summary.kept.length} kept, ${summary.unchanged.length} unchanged`;
  if (!hasChanges(plan)) {
    ctx.out.out(`Nothing to do: the project is already set up (${counts}).`);
  } else if (dryRun) {
    ctx.out.out(`Dry run, nothing written: would be ${counts}.`);
  } else {
    ctx.out.out(`Done: ${counts}. Next: /prime-context, then /prp-create <feature-name> <description>.`);
  }
  return ExitCode.Ok;
}
