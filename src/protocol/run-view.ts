/**
 * Builds the panel's view of a run from its folded journal state (host side; pure). Every text goes through
 * `displayText`, lists are capped, and diagnostics outside the project are dropped (the panel links each one
 * to a file in the workspace).
 */
import { isOutsideProject } from '../core/gates/diagnostic';
import type { CommandEvidence, Usage } from '../core/run/events';
import { progressOf, type RunState, type StepState } from '../core/run/fold';
import type { CommandView, RunView, RunViewStatus, StepView, UsageView } from './panel-protocol';
import { displayBlock, displayText } from './sanitize';

export const MAX_DIAGNOSTICS_PER_COMMAND = 200;

export interface RunViewContext {
  /** The status as shown to the user (a run whose process died is `interrupted`, not `running`). */
  status: RunViewStatus;
  live: boolean;
  trusted: boolean;
}

export function usageView(u: Usage): UsageView {
  return {
    input: u.inputTokens,
    output: u.outputTokens,
    cacheRead: u.cacheReadInputTokens,
    cacheWrite: u.cacheCreationInputTokens,
    costUsd: u.costUsd ?? null,
  };
}

function hasUsage(u: Usage): boolean {
  return u.inputTokens + u.outputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens > 0;
}

/** The diagnostics the panel lists for a command, in order (a panel message names one by its index here). */
export function viewDiagnostics(ev: CommandEvidence): CommandEvidence['diagnostics'] {
  return ev.diagnostics.filter((d) => !isOutsideProject(d)).slice(0, MAX_DIAGNOSTICS_PER_COMMAND);
}

export function commandView(ev: CommandEvidence): CommandView {
  const inside = ev.diagnostics.filter((d) => !isOutsideProject(d));
  const shown = viewDiagnostics(ev);
  return {
    command: displayText(ev.command, 10_000),
    exitCode: ev.exitCode,
    ...(ev.signal ? { signal: displayText(ev.signal, 40) } : {}),
    ...(ev.timedOut ? { timedOut: true } : {}),
    ...(ev.spawnError ? { spawnError: displayText(ev.spawnError) } : {}),
    durationMs: Math.max(0, Math.round(ev.durationMs)),
    hasLog: Boolean(ev.logFile),
    diagnostics: shown.map((d) => ({
      file: displayText(d.file, 1000),
      line: d.line,
      column: d.column,
      severity: d.severity,
      message: displayText(d.message),
      ...(d.code ? { code: displayText(d.code, 200) } : {}),
      source: displayText(d.source, 100),
    })),
    moreDiagnostics: inside.length - shown.length,
    failingTests: (ev.failingTests ?? []).slice(0, 200).map((t) => displayText(t, 500)),
    ...(ev.failureClass ? { failureClass: ev.failureClass } : {}),
  };
}

function depthOf(step: StepState, byId: ReadonlyMap<string, StepState>): number {
  let depth = 0;
  let parent = step.parent ? byId.get(step.parent) : undefined;
  while (parent && depth < 50) {
    depth++;
    parent = parent.parent ? byId.get(parent.parent) : undefined;
  }
  return depth;
}

export function stepView(step: StepState, byId: ReadonlyMap<string, StepState>): StepView {
  return {
    id: displayText(step.id, 500),
    name: displayText(step.name, 500),
    kind: step.kind,
    depth: depthOf(step, byId),
    status: step.status,
    attempts: step.attempts,
    retries: step.retries,
    durationMs: Math.max(0, Math.round(step.durationMs)),
    ...(step.level !== undefined && step.level >= 1 ? { level: step.level } : {}),
    ...(step.reason ? { reason: displayBlock(step.reason, 4000) } : {}),
    ...(step.failureClass ? { failureClass: step.failureClass } : {}),
    ...(hasUsage(step.usage) ? { usage: usageView(step.usage) } : {}),
    commands: (step.evidence ?? []).slice(0, 200).map(commandView),
  };
}

export function runView(state: RunState, context: RunViewContext): RunView {
  const progress = progressOf(state);
  const finished = !['running', 'unresponsive'].includes(context.status);
  const resumable = ['failed', 'cancelled', 'interrupted', 'parked'].includes(context.status);
  return {
    runId: state.runId,
    kind: state.kind,
    target: displayText(state.target, 1000),
    status: context.status,
    live: context.live,
    startedAt: state.startedAt,
    ...(state.durationMs !== undefined ? { durationMs: Math.max(0, Math.round(state.durationMs)) } : {}),
    progress: {
      done: progress.done,
      total: progress.total,
      ...(progress.current ? { current: displayText(progress.current.name, 500) } : {}),
    },
    usage: usageView(state.usage),
    ...(state.reason ? { reason: displayBlock(state.reason, 4000) } : {}),
    ...(state.parkedUntil ? { parkedUntil: state.parkedUntil } : {}),
    actions: {
      cancel: context.trusted && context.status === 'running',
      resume: context.trusted && resumable,
      rerun: context.trusted && finished,
      report: true,
    },
    trusted: context.trusted,
    steps: state.steps.slice(0, 5000).map((s) => stepView(s, state.stepsById)),
  };
}

/** `step 3/7 · Level 2` — the status bar's words for a running run. */
export function progressText(state: RunState): string {
  const p = progressOf(state);
  const current = p.current;
  const n = Math.min(p.total, p.done + (current ? 1 : 0)) || p.done;
  const where = current
    ? current.level !== undefined
      ? ` · Level ${current.level}`
      : ` · ${displayText(current.name, 40)}`
    : '';
  return `step ${n}/${p.total}${where}`;
}
