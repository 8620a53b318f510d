/**
 * Reading runs back: every view (status, report, resume, the VS Code trees and panel) folds the journal.
 * A run whose lock belongs to a dead process is `interrupted`, never `running`.
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { Problem } from '../../core/problems';
import type { RunEvent } from '../../core/run/events';
import { foldRun, progressOf, type RunState } from '../../core/run/fold';
import type { LockState } from '../../core/run/run-lock';
import { readJsonlFile } from '../jsonl-file';
import { lockState, readRunLock } from '../run-lock';
import { EVENTS_FILE, isRunId, runDirOf, runsDirOf } from './run-paths';

/** What a user sees of a run: the folded status plus whether its process is still there. */
export type DisplayStatus = 'running' | 'unresponsive' | 'interrupted' | 'parked' | 'passed' | 'failed' | 'cancelled';

export interface LoadedRun {
  runId: string;
  runDir: string;
  state: RunState;
  status: DisplayStatus;
  lock?: { state: LockState; pid: number; pgid: number; tag: string };
  /** Journal lines that could not be read (a torn last line is a warning, never fatal). */
  problems: Problem[];
}

export interface RunSummary {
  runId: string;
  kind: string;
  target: string;
  status: DisplayStatus;
  startedAt: string;
  durationMs?: number;
  progress: { done: number; total: number };
  currentStep?: string;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  costUsd?: number;
  parkedUntil?: string;
}

export async function readRunEvents(runDir: string): Promise<{ events: RunEvent[]; problems: Problem[] }> {
  const result = await readJsonlFile<RunEvent>(path.join(runDir, EVENTS_FILE), { file: EVENTS_FILE });
  return { events: result.values, problems: result.problems };
}

export async function loadRun(root: string, runId: string): Promise<LoadedRun | undefined> {
  const runDir = runDirOf(root, runId);
  const { events, problems } = await readRunEvents(runDir);
  const state = foldRun(events);
  if (!state) return undefined;
  const lock = await readRunLock(runDir).catch(() => undefined);
  let status: DisplayStatus = state.status === 'running' ? 'interrupted' : state.status;
  let lockInfo: LoadedRun['lock'];
  if (lock) {
    const { state: ls } = await lockState(lock);
    lockInfo = { state: ls, pid: lock.pid, pgid: lock.pgid, tag: lock.tag };
    if (state.status === 'running' || state.status === 'parked') {
      if (ls === 'alive') status = 'running';
      else if (ls === 'unresponsive') status = 'unresponsive';
      else if (state.status === 'running') status = 'interrupted';
    }
  }
  return { runId, runDir, state, status, ...(lockInfo ? { lock: lockInfo } : {}), problems };
}

/** Run ids, newest first. */
export async function listRunIds(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(runsDirOf(root));
  } catch {
    return [];
  }
  return names.filter(isRunId).sort().reverse();
}

export async function listRuns(root: string, limit = 20): Promise<LoadedRun[]> {
  const out: LoadedRun[] = [];
  for (const id of await listRunIds(root)) {
    if (out.length >= limit) break;
    const run = await loadRun(root, id).catch(() => undefined);
    if (run) out.push(run);
  }
  return out;
}

export function summarize(run: LoadedRun): RunSummary {
  const s = run.state;
  const progress = progressOf(s);
  return {
    runId: run.runId,
    kind: s.kind,
    target: s.target,
    status: run.status,
    startedAt: new Date(s.startedAt).toISOString(),
    ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
    progress: { done: progress.done, total: progress.total },
    ...(progress.current ? { currentStep: progress.current.name } : {}),
    tokens: {
      input: s.usage.inputTokens,
      output: s.usage.outputTokens,
      cacheRead: s.usage.cacheReadInputTokens,
      cacheWrite: s.usage.cacheCreationInputTokens,
    },
    ...(s.usage.costUsd !== undefined ? { costUsd: s.usage.costUsd } : {}),
    ...(s.parkedUntil ? { parkedUntil: new Date(s.parkedUntil).toISOString() } : {}),
  };
}
