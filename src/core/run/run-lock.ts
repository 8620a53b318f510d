/**
 * The run lock (`.context-forge/runs/<id>/lock.json`) and stop request (`stop-request.json`): their shapes and
 * the pure rules for judging them. File I/O, heartbeats and process probing live in `src/node/run-lock.ts`.
 *
 * A lock is **alive** when its process is on this host, still exists (the same process: pid and start time),
 * and its heartbeat is fresh. A process that still exists but stopped heartbeating is **unresponsive** (event
 * loop blocked, stopped with SIGSTOP): not taken over, but `stop --force` can kill it. Anything else is
 * **dead** — the run was interrupted, and its lock may be taken over by a resume.
 */
import { z } from 'zod';
import { type Problem, problem } from '../problems';

export const RUN_LOCK_FILE = 'lock.json';
export const STOP_REQUEST_FILE = 'stop-request.json';

export const RunLockSchema = z.object({
  version: z.literal(1),
  runId: z.string().optional(),
  /** The process holding the run (the CLI, or the extension host). */
  pid: z.number().int().positive(),
  /** Its process group. `stop --force` signals the group only when the process leads it (pid === pgid). */
  pgid: z.number().int().positive(),
  host: z.string().min(1),
  /** ISO 8601. */
  startedAt: z.string().min(1),
  /** ISO 8601; refreshed every `heartbeatMs`. */
  heartbeatAt: z.string().min(1),
  heartbeatMs: z.number().int().positive(),
  /**
   * Unique per acquisition: identifies the holder (a heartbeat only rewrites a lock that still carries its tag)
   * and is put in the environment of every process the run spawns, so they can be found after a crash.
   */
  tag: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/),
  /** The process's start time (clock ticks since boot, Linux): tells the holder from a process that reused its pid. */
  procStart: z.string().optional(),
});
export type RunLock = z.infer<typeof RunLockSchema>;

export const StopRequestSchema = z.object({
  version: z.literal(1),
  /** ISO 8601. */
  requestedAt: z.string().min(1),
  by: z.object({ pid: z.number().int(), host: z.string() }),
  reason: z.string().optional(),
});
export type StopRequest = z.infer<typeof StopRequestSchema>;

export type LockState = 'alive' | 'unresponsive' | 'dead';

/** What the reader found out about the lock's process. */
export interface LockFacts {
  now: number;
  host: string;
  /**
   * On the same host: whether the lock's process exists and is the same process (start time matches when both
   * are known). `undefined` when it could not be checked.
   */
  processExists?: boolean;
}

/** How long without a heartbeat before a lock counts as stale: three beats, and never under 10 s. */
export function defaultStaleAfterMs(lock: Pick<RunLock, 'heartbeatMs'>): number {
  return Math.max(3 * lock.heartbeatMs, 10_000);
}

export function judgeLock(
  lock: RunLock,
  facts: LockFacts,
  staleAfterMs: number = defaultStaleAfterMs(lock),
): { state: LockState; reason: string } {
  const beat = Date.parse(lock.heartbeatAt);
  const age = Number.isNaN(beat) ? Number.POSITIVE_INFINITY : facts.now - beat;
  const fresh = age <= staleAfterMs;
  const ageText = Number.isFinite(age) ? `${Math.round(age / 1000)} s ago` : 'never';
  if (lock.host !== facts.host) {
    // The pid means nothing here: the heartbeat is all we can judge by.
    return fresh
      ? { state: 'alive', reason: `held by pid ${lock.pid} on ${lock.host}; last heartbeat ${ageText}` }
      : { state: 'dead', reason: `held by pid ${lock.pid} on ${lock.host}, which stopped heartbeating ${ageText}` };
  }
  if (facts.processExists === false) {
    return { state: 'dead', reason: `process ${lock.pid} is gone (last heartbeat ${ageText})` };
  }
  if (!fresh) {
    return {
      state: 'unresponsive',
      reason: `process ${lock.pid} exists but its last heartbeat was ${ageText} (limit ${Math.round(staleAfterMs / 1000)} s)`,
    };
  }
  return { state: 'alive', reason: `held by pid ${lock.pid}; last heartbeat ${ageText}` };
}

function parseJsonFile<T>(
  text: string,
  file: string,
  schema: z.ZodType<T>,
  rule: string,
): { value: T | undefined; problems: Problem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { value: undefined, problems: [problem(file, 1, 1, rule, `not valid JSON: ${(err as Error).message}`)] };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    return {
      value: undefined,
      problems: [problem(file, 1, 1, rule, `unexpected content${where}: ${first?.message ?? 'invalid'}`)],
    };
  }
  return { value: parsed.data, problems: [] };
}

export function parseRunLock(text: string, file: string = RUN_LOCK_FILE) {
  return parseJsonFile(text, file, RunLockSchema, 'run-lock-invalid');
}

export function parseStopRequest(text: string, file: string = STOP_REQUEST_FILE) {
  return parseJsonFile(text, file, StopRequestSchema, 'stop-request-invalid');
}
