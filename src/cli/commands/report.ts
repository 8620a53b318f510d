/**
 * `report [runId] [--json|--md]`: what a run did — steps, gate evidence, tokens, cost, retries, files, tests
 * added, bottlenecks. `--merge <dirs…>` combines the runs of a sharded batch (each dir a project root or a
 * `.context-forge/runs` folder copied from a CI shard).
 */
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import { buildReport, mergeReports, type RunReport, renderMarkdown, renderText } from '../../core/report/run-report';
import { foldRun } from '../../core/run/fold';
import { isRunId, RUNS_DIR } from '../../node/runs/run-paths';
import { listRuns, loadRun, readRunEvents } from '../../node/runs/run-store';
import { action } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exit-codes';

async function reportsUnder(dir: string): Promise<RunReport[]> {
  const candidates = [path.join(dir, RUNS_DIR), dir];
  for (const runsDir of candidates) {
    let names: string[];
    try {
      names = await readdir(runsDir);
    } catch {
      continue;
    }
    const reports: RunReport[] = [];
    for (const name of names.filter(isRunId).sort()) {
      const { events } = await readRunEvents(path.join(runsDir, name));
      const state = foldRun(events);
      if (state) reports.push(buildReport(state));
    }
    if (reports.length > 0) return reports;
  }
  // A single run folder given directly.
  if ((await stat(path.join(dir, 'events.jsonl')).catch(() => undefined))?.isFile()) {
    const state = foldRun((await readRunEvents(dir)).events);
    return state ? [buildReport(state)] : [];
  }
  return [];
}

export function registerReport(program: Command): void {
  program
    .command('report [runId]')
    .description('report on a run (default: the newest): steps, gates, tokens, cost, files, bottlenecks')
    .option('--json', 'print JSON')
    .option('--md', 'print Markdown (e.g. for $GITHUB_STEP_SUMMARY)')
    .option('--merge <dirs...>', "combine the runs found in these folders (a sharded batch's artifacts)")
    .action(
      action(async (ctx, runId: string | undefined, opts: { json?: boolean; md?: boolean; merge?: string[] }) => {
        if (opts.json && opts.md) throw new UsageError('choose one of --json and --md');
        if (opts.merge) {
          const reports: RunReport[] = [];
          for (const dir of opts.merge) reports.push(...(await reportsUnder(path.resolve(ctx.root, dir))));
          if (reports.length === 0) throw new UsageError(`no runs found in ${opts.merge.join(', ')}`);
          const merged = mergeReports(reports);
          if (opts.json) ctx.out.json(merged);
          else {
            const t = merged.totals;
            const head = `${t.runs} runs: ${t.passed} passed, ${t.failed} failed · validations ${t.validationsPassed} passed, ${t.validationsFailed} failed · retries ${t.retries}`;
            const body = reports.map((r) => (opts.md ? renderMarkdown(r) : renderText(r))).join('\n');
            ctx.out.out(opts.md ? `# Batch: ${merged.status}\n\n${head}\n\n${body}` : `${head}\n\n${body}`);
          }
          return merged.status === 'passed' ? ExitCode.Ok : ExitCode.Failed;
        }
        const run = runId ? await loadRun(ctx.root, runId) : (await listRuns(ctx.root, 1))[0];
        if (!run) throw new UsageError(runId ? `no run ${runId} in this project` : 'no runs in this project yet');
        const report = buildReport(run.state);
        report.status = run.status;
        if (opts.json) ctx.out.json(report);
        else ctx.out.out(opts.md ? renderMarkdown(report) : renderText(report));
        return ExitCode.Ok;
      }),
    );
}
