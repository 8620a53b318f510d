/**
 * `stop [runId] [--force]`: asks a running run to cancel cleanly (it stops its steps' process trees and
 * journals `cancelled`); `--force` kills the run's whole process tree and journals the cancellation itself.
 */
import { appendFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { RunEvent } from '../../core/run/events';
import { forceStopRun, requestStop, waitForRelease } from '../../node/run-lock';
import { EVENTS_FILE } from '../../node/runs/run-paths';
import { listRuns, loadRun } from '../../node/runs/run-store';
import { action } from '../command';
import { CliError, UsageError } from '../errors';
import { ExitCode } from '../exit-codes';

export function registerStop(program: Command): void {
  program
    .command('stop [runId]')
    .description('stop a running run (default: the newest running one)')
    .option('--force', 'kill the run and its whole process tree instead of asking it to stop')
    .option('--wait <seconds>', 'how long to wait for a clean stop', '20')
    .action(
      action(async (ctx, runId: string | undefined, opts: { force?: boolean; wait: string }) => {
        const run = runId
          ? await loadRun(ctx.root, runId)
          : (await listRuns(ctx.root, 50)).find((r) => r.status === 'running' || r.status === 'unresponsive');
        if (!run) throw new UsageError(runId ? `no run ${runId} in this project` : 'no running run in this project');
        const live = run.status === 'running' || run.status === 'unresponsive';
        if (!opts.force) {
          if (!live) throw new UsageError(`run ${run.runId} is not running (${run.status})`);
          await requestStop(run.runDir, { reason: 'codex-context-forge stop' });
          ctx.out.out(`Asked run ${run.runId} to stop…`);
          const released = await waitForRelease(run.runDir, { timeoutMs: Number(opts.wait) * 1000 });
          if (!released) {
            throw new CliError(
              `run ${run.runId} did not stop within ${opts.wait} s; use \`stop --force ${run.runId}\``,
              ExitCode.Failed,
            );
          }
          const after = await loadRun(ctx.root, run.runId);
          ctx.out.out(`Run ${run.runId} stopped: ${after?.status ?? 'unknown'}.`);
          return ExitCode.Ok;
        }
        const result = await forceStopRun(run.runDir);
        // The killed process cannot journal its end: do it for it, unless it already finished.
        const state = (await loadRun(ctx.root, run.runId))?.state;
        if (state && (state.status === 'running' || state.status === 'parked')) {
          const now = Date.now();
          const events: RunEvent[] = [
            { type: 'cancel-requested', ts: now, force: true },
            {
              type: 'run-finished',
              ts: now,
              status: 'cancelled',
              durationMs: now - state.startedAt,
              reason: 'stopped with --force',
            },
          ];
          await appendFile(path.join(run.runDir, EVENTS_FILE), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
        }
        if (result.survivors.length > 0) {
          throw new CliError(`processes survived SIGKILL: ${result.survivors.join(', ')}`, ExitCode.Failed);
        }
        ctx.out.out(
          `Run ${run.runId} killed (${result.signalled} process${result.signalled === 1 ? '' : 'es'}); recorded as cancelled.`,
        );
        return ExitCode.Ok;
      }),
    );
}
