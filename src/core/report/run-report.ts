/**
 * A run's report, built from its folded state: what ran, what the gates decided, tokens and cost,
 * retries, work-tree changes, and the slowest steps. Rendered as JSON, Markdown or terminal text.
 */

import type { Usage } from '../run/events';
import { addUsage, emptyUsage, type RunState, type StepState } from '../run/fold';

export interface StepReport {
  id: string;
  name: string;
  kind: string;
  status: string;
  attempts: number;
  durationMs: number;
  retries: number;
  usage: Usage;
  reason?: string;
  failureClass?: string;
  commands: Array<{
    command: string;
    exitCode: number | null;
    durationMs: number;
    diagnostics: number;
    logFile?: string;
  }>;
}

export interface RunReport {
  runId: string;
  kind: string;
  target: string;
  status: string;
  startedAt: string;
  durationMs?: number;
  steps: StepReport[];
  metrics: {
    stepsCompleted: number;
    stepsTotal: number;
    validationsPassed: number;
    validationsFailed: number;
    retries: number;
    usage: Usage;
    models: Record<string, Usage>;
    filesCreated: string[];
    filesModified: string[];
    filesDeleted: string[];
    testsAdded: number;
  };
  /** The slowest work steps, with their share of the run's time. */
  bottlenecks: Array<{ id: string; name: string; durationMs: number; share: number }>;
  parkedUntil?: string;
  reason?: string;
}

const isWork = (s: StepState): boolean => s.kind !== 'parallel' && s.kind !== 'if';

export function buildReport(state: RunState): RunReport {
  const work = state.steps.filter(isWork);
  const total = state.durationMs ?? Math.max(1, state.lastEventAt - state.startedAt);
  const bottlenecks = [...work]
    .filter((s) => s.durationMs > 0)
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, 3)
    .map((s) => ({
      id: s.id,
      name: s.name,
      durationMs: s.durationMs,
      share: total > 0 ? Math.min(1, s.durationMs / total) : 0,
    }));
  return {
    runId: state.runId,
    kind: state.kind,
    target: state.target,
    status: state.status,
    startedAt: new Date(state.startedAt).toISOString(),
    ...(state.durationMs !== undefined ? { durationMs: state.durationMs } : {}),
    steps: state.steps.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      status: s.status,
      attempts: s.attempts,
      durationMs: s.durationMs,
      retries: s.retries,
      usage: s.usage,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.failureClass ? { failureClass: s.failureClass } : {}),
      commands: (s.evidence ?? []).map((e) => ({
        command: e.command,
        exitCode: e.exitCode,
        durationMs: e.durationMs,
        diagnostics: e.diagnostics.length,
        ...(e.logFile ? { logFile: e.logFile } : {}),
      })),
    })),
    metrics: {
      stepsCompleted: work.filter((s) => s.status === 'passed' || s.status === 'skipped').length,
      stepsTotal: work.length,
      validationsPassed: state.validations.passed,
      validationsFailed: state.validations.failed,
      retries: state.retries,
      usage: state.usage,
      models: state.models,
      filesCreated: state.workTree?.created ?? [],
      filesModified: state.workTree?.modified ?? [],
      filesDeleted: state.workTree?.deleted ?? [],
      testsAdded: state.workTree?.testsAdded ?? 0,
    },
    bottlenecks,
    ...(state.parkedUntil ? { parkedUntil: new Date(state.parkedUntil).toISOString() } : {}),
    ...(state.reason ? { reason: state.reason } : {}),
  };
}

/** Combines the reports of a batch's shards into one (for `report --merge`). */
export function mergeReports(reports: RunReport[]): {
  runs: RunReport[];
  status: string;
  totals: RunReport['metrics'] & { runs: number; passed: number; failed: number };
} {
  const totals = {
    runs: reports.length,
    passed: reports.filter((r) => r.status === 'passed').length,
    failed: reports.filter((r) => r.status !== 'passed').length,
    stepsCompleted: 0,
    stepsTotal: 0,
    validationsPassed: 0,
    validationsFailed: 0,
    retries: 0,
    usage: emptyUsage(),
    models: {} as Record<string, Usage>,
    filesCreated: [] as string[],
    filesModified: [] as string[],
    filesDeleted: [] as string[],
    testsAdded: 0,
  };
  for (const r of reports) {
    const m = r.metrics;
    totals.stepsCompleted += m.stepsCompleted;
    totals.stepsTotal += m.stepsTotal;
    totals.validationsPassed += m.validationsPassed;
    totals.validationsFailed += m.validationsFailed;
    totals.retries += m.retries;
    addUsage(totals.usage, m.usage);
    for (const [model, u] of Object.entries(m.models)) {
      totals.models[model] ??= emptyUsage();
      addUsage(totals.models[model], u);
    }
    totals.filesCreated.push(...m.filesCreated);
    totals.filesModified.push(...m.filesModified);
    totals.filesDeleted.push(...m.filesDeleted);
    totals.testsAdded += m.testsAdded;
  }
  totals.filesCreated = [...new Set(totals.filesCreated)].sort();
  totals.filesModified = [...new Set(totals.filesModified)].sort();
  totals.filesDeleted = [...new Set(totals.filesDeleted)].sort();
  return { runs: reports, status: totals.failed === 0 ? 'passed' : 'failed', totals };
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m}m ${Math.round(s - m * 60)}s`;
}

/** `$0.0123`, `unknown` (no price for these tokens), or `≥ $0.0123 (some unknown)` when only part is priced. */
export function formatCost(usage: Usage): string {
  const tokens = usage.inputTokens + usage.outputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens;
  if (usage.costUsd === undefined) return tokens > 0 ? 'unknown' : '$0.00';
  if (usage.costIncomplete) return `≥ $${usage.costUsd.toFixed(4)} (some unknown)`;
  return `$${usage.costUsd.toFixed(4)}`;
}

function tokens(u: Usage): string {
  return `${u.inputTokens} in / ${u.outputTokens} out / ${u.cacheReadInputTokens} cache read / ${u.cacheCreationInputTokens} cache write`;
}

/** The share of input tokens read from the prompt cache. */
export function cachedShare(u: Usage): number {
  const all = u.inputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens;
  return all === 0 ? 0 : u.cacheReadInputTokens / all;
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderMarkdown(r: RunReport): string {
  const m = r.metrics;
  const lines = [
    `# Run ${r.runId}: ${r.status}`,
    '',
    `- **Target:** ${r.kind} \`${r.target}\``,
    `- **Started:** ${r.startedAt} · **Duration:** ${formatDuration(r.durationMs)}`,
    `- **Steps:** ${m.stepsCompleted}/${m.stepsTotal} completed · **Validations:** ${m.validationsPassed} passed, ${m.validationsFailed} failed · **Retries:** ${m.retries}`,
    `- **Tokens:** ${tokens(m.usage)} (${Math.round(cachedShare(m.usage) * 100)} % of input from cache) · **Cost:** ${formatCost(m.usage)}`,
    `- **Files:** ${m.filesCreated.length} created, ${m.filesModified.length} modified, ${m.filesDeleted.length} deleted · **Tests added:** ${m.testsAdded}`,
  ];
  if (r.parkedUntil) lines.push(`- **Parked until:** ${r.parkedUntil}`);
  if (r.reason) lines.push(`- **Reason:** ${r.reason}`);
  lines.push(
    '',
    '## Steps',
    '',
    '| Step | Status | Attempts | Duration | Tokens (in/out) | Cost |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const s of r.steps) {
    lines.push(
      `| ${mdCell(s.name)} | ${s.status}${s.reason ? ` — ${mdCell(s.reason)}` : ''} | ${s.attempts} | ${formatDuration(s.durationMs)} | ${s.usage.inputTokens}/${s.usage.outputTokens} | ${formatCost(s.usage)} |`,
    );
  }
  if (r.bottlenecks.length > 0) {
    lines.push('', '## Bottlenecks', '');
    for (const b of r.bottlenecks)
      lines.push(`- ${b.name}: ${formatDuration(b.durationMs)} (${Math.round(b.share * 100)} %)`);
  }
  const failures = r.steps.filter((s) => s.status === 'failed');
  if (failures.length > 0) {
    lines.push('', '## Failures', '');
    for (const s of failures) {
      lines.push(`### ${s.name}`, '');
      for (const c of s.commands.filter((c) => c.exitCode !== 0)) {
        lines.push(
          `- \`${c.command}\` → exit ${c.exitCode ?? 'signal'} in ${formatDuration(c.durationMs)}, ${c.diagnostics} diagnostics${c.logFile ? ` (log: \`${c.logFile}\`)` : ''}`,
        );
      }
    }
  }
  if (m.filesCreated.length + m.filesModified.length > 0) {
    lines.push('', '## Files', '');
    for (const f of m.filesCreated) lines.push(`- created \`${f}\``);
    for (const f of m.filesModified) lines.push(`- modified \`${f}\``);
  }
  return `${lines.join('\n')}\n`;
}

export function renderText(r: RunReport): string {
  const m = r.metrics;
  const lines = [
    `Run ${r.runId} (${r.kind} ${r.target}): ${r.status.toUpperCase()} in ${formatDuration(r.durationMs)}`,
    `  steps ${m.stepsCompleted}/${m.stepsTotal} · validations ${m.validationsPassed} passed, ${m.validationsFailed} failed · retries ${m.retries}`,
    `  tokens ${tokens(m.usage)} · cost ${formatCost(m.usage)}`,
    `  files ${m.filesCreated.length} created, ${m.filesModified.length} modified · tests added ${m.testsAdded}`,
  ];
  if (r.parkedUntil) lines.push(`  parked until ${r.parkedUntil}`);
  for (const s of r.steps) {
    const mark =
      s.status === 'passed'
        ? '✓'
        : s.status === 'failed'
          ? '✗'
          : s.status === 'skipped'
            ? '–'
            : s.status === 'cancelled'
              ? '⊘'
              : '·';
    lines.push(
      `  ${mark} ${s.name}  ${s.status}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}  ${formatDuration(s.durationMs)}${s.reason && s.status !== 'passed' ? `  — ${s.reason}` : ''}`,
    );
  }
  if (r.bottlenecks.length > 0) {
    lines.push('  slowest:');
    for (const b of r.bottlenecks)
      lines.push(`    ${b.name}  ${formatDuration(b.durationMs)} (${Math.round(b.share * 100)} %)`);
  }
  return `${lines.join('\n')}\n`;
}
