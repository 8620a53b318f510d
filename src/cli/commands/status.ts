/** `status [runId] [--json]`: live and recent runs; a run whose process died shows as interrupted. */
import type { Command } from 'commander';
import { formatDuration } from '../../core/report/run-report';
import { listRuns, loadRun, summarize } from '../../node/runs/run-store';
import { action } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exit-codes';

export function registerStatus(program: Command): void {
  program
    .command('status [runId]')
    .description('show live and recent runs (or one run) with progress, tokens and cost')
    .option('--json', 'print JSON')
    .option('-n, --limit <n>', 'how many recent runs', '10')
    .action(
      action(async (ctx, runId: string | undefined, opts: { json?: boolean; limit: string }) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
        const runs = runId
          ? [await loadRun(ctx.root, runId)].filter((r) => r !== undefined)
          : await listRuns(ctx.root, limit);
        if (runId && runs.length === 0) throw new UsageError(`no run ${runId} in this project`);
        const summaries = runs.map(summarize);
        if (opts.json) {
          ctx.out.json({ runs: summaries });
          return ExitCode.Ok;
        }
        if (summaries.length === 0) {
          ctx.out.out('No runs yet. Start one with `codex-context-forge orchestrate <workflow>` or `run-prp <prp>`.');
          return ExitCode.Ok;
        }
        for (const s of summaries) {
          const mark = ctx.out.style(
            s.status === 'passed'
              ? 'green'
              : s.status === 'running'
                ? 'cyan'
                : s.status === 'parked'
                  ? 'yellow'
                  : 'red',
            s.status.padEnd(11),
          );
          const cost = s.costUsd !== undefined ? ` · $${s.costUsd.toFixed(4)}` : '';
          const tokens =
            s.tokens.input + s.tokens.output + s.tokens.cacheRead > 0
              ? ` · ${s.tokens.input + s.tokens.cacheRead + s.tokens.cacheWrite} in / ${s.tokens.output} out tokens${cost}`
              : '';
          ctx.out.out(
            `${s.runId}  ${mark} ${s.kind} ${s.target}  step ${s.progress.done}/${s.progress.total}${s.currentStep ? ` · ${s.currentStep}` : ''} · ${formatDuration(s.durationMs)}${tokens}${s.parkedUntil ? ` · parked until ${s.parkedUntil}` : ''}`,
          );
        }
        return ExitCode.Ok;
      }),
    );
}
