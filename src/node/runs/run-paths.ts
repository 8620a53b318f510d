/** Where runs live: `.context-forge/runs/<id>/` with `events.jsonl`, `logs/`, `lock.json`, `header.json`. */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

export const RUNS_DIR = '.context-forge/runs';
export const EVENTS_FILE = 'events.jsonl';
export const HEADER_FILE = 'header.json';
export const LOGS_DIR = 'logs';

const RUN_ID = /^\d{8}-\d{6}-\d{3}[0-9a-f]{4}$/;

/** Sortable by start time to the millisecond: `20261127-153012-042a1b2` (UTC date, time, ms, 4 hex). */
export function newRunId(now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${stamp}-${p(now.getUTCMilliseconds(), 3)}${randomBytes(2).toString('hex')}`;
}

export function isRunId(text: string): boolean {
  return RUN_ID.test(text);
}

export function runsDirOf(root: string): string {
  return path.join(root, RUNS_DIR);
}

export function runDirOf(root: string, runId: string): string {
  if (!isRunId(runId)) throw new Error(`not a run id: ${JSON.stringify(runId)}`);
  return path.join(runsDirOf(root), runId);
}

/** A file name for a step's log: step ids hold brackets, dots and `#`; keep them readable but safe. */
export function logFileName(stepId: string, attempt: number): string {
  return `${
    stepId
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 120) || 'step'
  }.${attempt}.log`;
}
