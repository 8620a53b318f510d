/**
 * The run lock with heartbeat, and cross-process stop requests, for a run folder `.context-forge/runs/<id>/`.
 *
 * - `acquireRunLock` creates `lock.json` exclusively and complete (written to a temp file, fsync'd, then
 *   hard-linked into place — `link` fails if the name exists, so two processes can never both hold it). A lock
 *   whose process is dead is taken over (and, by default, whatever that run left running is killed by its tag);
 *   an alive or unresponsive one is refused with `RunLockedError`.
 * - The holder refreshes `heartbeatAt` every `heartbeatMs` (atomic rewrite; unref'd timer, so it never keeps
 *   the process alive), and only while the file still carries its tag — if someone took the lock over, the
 *   heartbeat stops and `onLost` is called. `release()` deletes it.
 * - `requestStop` writes `stop-request.json` atomically; the run's `watchStopRequests` polls for it and aborts an
 *   AbortSignal, which the engine hands to the runner (SIGINT → SIGTERM → SIGKILL to each step's tree).
 * - `forceStopRun` SIGKILLs the run's whole tree from another process (`stop --force`).
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import {
  judgeLock,
  type LockState,
  parseRunLock,
  parseStopRequest,
  RUN_LOCK_FILE,
  type RunLock,
  STOP_REQUEST_FILE,
  type StopRequest,
} from '../core/run/run-lock';
import { readProcess } from './process-table';
import { forceKillTree, type TerminationResult, type TreeTarget } from './process-tree';

export const DEFAULT_HEARTBEAT_MS = 5000;

export class RunLockedError extends Error {
  constructor(
    readonly runDir: string,
    readonly lock: RunLock | undefined,
    readonly state: LockState | 'invalid' | 'contended',
    reason: string,
  ) {
    super(`run in ${runDir} is locked: ${reason}`);
    this.name = 'RunLockedError';
  }
}

/** The abort reason of a `watchStopRequests` signal. */
export class StopRequestedError extends Error {
  constructor(readonly request: StopRequest) {
    super(
      `stop requested by pid ${request.by.pid} on ${request.by.host} at ${request.requestedAt}` +
        (request.reason ? `: ${request.reason}` : ''),
    );
    this.name = 'StopRequestedError';
  }
}

export interface AcquireOptions {
  runId?: string;
  /** Default 5 s. */
  heartbeatMs?: number;
  /** Overrides the staleness bound used to judge an existing lock (default: 3 beats, at least 10 s). */
  staleAfterMs?: number;
  /** Called once if the lock file stops carrying our tag (taken over, deleted). */
  onLost?: (current: RunLock | undefined) => void;
  /** When taking over a dead run's lock, SIGKILL what it left running (found by its tag). Default true. */
  killLeftovers?: boolean;
}

export interface HeldRunLock {
  readonly runDir: string;
  readonly lock: RunLock;
  /** The dead run's lock this one replaced, if any. */
  readonly previous?: RunLock;
  /** Processes of the previous (dead) run still running at takeover, which were killed. */
  readonly leftoversKilled: number;
  /** Refreshes the heartbeat now (the timer does it every `heartbeatMs`). Resolves false if the lock was lost. */
  heartbeat(): Promise<boolean>;
  /** Stops the heartbeat and deletes the lock (if it is still ours). Idempotent. */
  release(): Promise<void>;
}

const lockPath = (runDir: string) => path.join(runDir, RUN_LOCK_FILE);
const stopPath = (runDir: string) => path.join(runDir, STOP_REQUEST_FILE);

/** Reads and validates `lock.json`; `undefined` when there is none. Throws RunLockedError('invalid') on garbage. */
export async function readRunLock(runDir: string): Promise<RunLock | undefined> {
  const text = await readText(lockPath(runDir));
  if (text === undefined) return undefined;
  const { value, problems } = parseRunLock(text, lockPath(runDir));
  if (!value) {
    throw new RunLockedError(
      runDir,
      undefined,
      'invalid',
      `${problems.map((p) => p.message).join('; ')}; delete ${lockPath(runDir)} if no run is active`,
    );
  }
  return value;
}

/** Whether the lock's process exists and is the same process (start time). `undefined` for another host. */
export async function lockProcessExists(
  lock: Pick<RunLock, 'pid' | 'host' | 'procStart'>,
): Promise<boolean | undefined> {
  if (lock.host !== hostname()) return undefined;
  if (!pidExists(lock.pid)) return false;
  const info = await readProcess(lock.pid).catch(() => undefined);
  if (info && (info.state === 'Z' || info.state === 'X')) return false;
  if (info?.startTime !== undefined && lock.procStart !== undefined && info.startTime !== lock.procStart) return false;
  return true;
}

/** Judges a lock: `alive`, `unresponsive` (process there, no heartbeat) or `dead` (interrupted). */
export async function lockState(
  lock: RunLock,
  options: { staleAfterMs?: number; now?: number } = {},
): Promise<{ state: LockState; reason: string }> {
  const facts = { now: options.now ?? Date.now(), host: hostname(), processExists: await lockProcessExists(lock) };
  return judgeLock(lock, facts, options.staleAfterMs);
}

/** Same host, same live process, fresh heartbeat. */
export async function isAlive(lock: RunLock, options: { staleAfterMs?: number } = {}): Promise<boolean> {
  return (await lockState(lock, options)).state === 'alive';
}

/** `process.kill(pid, 0)`: ESRCH means gone; EPERM means it exists but belongs to another user. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireRunLock(runDir: string, options: AcquireOptions = {}): Promise<HeldRunLock> {
  await mkdir(runDir, { recursive: true });
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const self = await readProcess(process.pid).catch(() => undefined);
  const now = new Date().toISOString();
  const lock: RunLock = {
    version: 1,
    ...(options.runId !== undefined ? { runId: options.runId } : {}),
    pid: process.pid,
    pgid: self?.pgid ?? process.pid,
    host: hostname(),
    startedAt: now,
    heartbeatAt: now,
    heartbeatMs,
    tag: `ccf-${randomUUID()}`,
    ...(self?.startTime !== undefined ? { procStart: self.startTime } : {}),
  };
  let previous: RunLock | undefined;
  const tokens: string[] = [];
  try {
    for (let attempt = 0; ; attempt++) {
      if (await createExclusive(lockPath(runDir), `${JSON.stringify(lock, null, 2)}\n`)) break;
      const existing = await readRunLock(runDir);
      if (!existing) continue; // released meanwhile: try again
      const { state, reason } = await lockState(existing, { staleAfterMs: options.staleAfterMs });
      if (state !== 'dead') throw new RunLockedError(runDir, existing, state, reason);
      if (attempt >= 3) throw new RunLockedError(runDir, existing, 'contended', 'another process is taking it over');
      if (await takeOver(runDir, existing, tokens)) previous = existing;
    }
  } finally {
    for (const token of tokens) await unlink(token).catch(() => {});
  }

  let leftoversKilled = 0;
  if (previous && previous.host === lock.host && (options.killLeftovers ?? true)) {
    const result = await forceKillTree({ tag: previous.tag });
    leftoversKilled = result.signalled;
  }
  return new Holder(runDir, lock, previous, leftoversKilled, options.onLost);
}

const TokenSchema = z.object({ pid: z.number().int(), host: z.string(), procStart: z.string().optional() });

/**
 * Removes a dead lock so that exactly one contender does it. Renaming or deleting by name alone is racy (a
 * slow contender could remove the *new* lock), so each dead lock (by its unique tag) has takeover tokens,
 * created exclusively: `lock.json.takeover-<tag>.<n>`. Only the creator of the first token whose predecessors'
 * holders are all dead (crashed mid-takeover) may delete the lock — and only while it still carries that tag,
 * which nobody else can change (the dead holder is dead; other contenders hold no token). Returns whether it
 * removed the lock. Token files are deleted by the caller once its own lock exists.
 */
async function takeOver(runDir: string, judged: RunLock, tokens: string[]): Promise<boolean> {
  const procStart = (await readProcess(process.pid).catch(() => undefined))?.startTime;
  const me = `${JSON.stringify({ pid: process.pid, host: hostname(), procStart })}\n`;
  for (let n = 1; n < 100; ) {
    const token = `${lockPath(runDir)}.takeover-${judged.tag}.${n}`;
    if (await createExclusive(token, me)) {
      tokens.push(token);
      const current = await readText(lockPath(runDir));
      if (current === undefined || parseRunLock(current).value?.tag !== judged.tag) return false;
      await unlink(lockPath(runDir));
      return true;
    }
    const text = await readText(token);
    if (text === undefined) continue; // its holder finished and cleaned up: look again
    let holder: z.infer<typeof TokenSchema> | undefined;
    try {
      holder = TokenSchema.parse(JSON.parse(text));
    } catch {
      holder = undefined;
    }
    const holderGone = holder !== undefined && (await lockProcessExists(holder)) === false;
    if (!holderGone) {
      throw new RunLockedError(runDir, judged, 'contended', 'another process is taking the lock over');
    }
    tokens.push(token); // abandoned: cleaned up along with ours
    n++; // that contender died mid-takeover: the next token decides
  }
  throw new RunLockedError(runDir, judged, 'contended', 'too many abandoned takeover attempts');
}

class Holder implements HeldRunLock {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<boolean> | undefined;
  private released = false;
  private lost = false;
  private current: RunLock;

  constructor(
    readonly runDir: string,
    readonly lock: RunLock,
    readonly previous: RunLock | undefined,
    readonly leftoversKilled: number,
    private readonly onLost: ((current: RunLock | undefined) => void) | undefined,
  ) {
    this.current = lock;
    this.timer = setInterval(() => {
      void this.heartbeat().catch(() => {});
    }, lock.heartbeatMs);
    this.timer.unref();
  }

  heartbeat(): Promise<boolean> {
    if (this.released || this.lost) return Promise.resolve(false);
    this.beating ??= this.beat().finally(() => {
      this.beating = undefined;
    });
    return this.beating;
  }

  private async beat(): Promise<boolean> {
    const onDisk = await readRunLock(this.runDir).catch(() => undefined);
    if (this.released) return false;
    if (onDisk?.tag !== this.lock.tag) {
      this.lose(onDisk);
      return false;
    }
    this.current = { ...this.current, heartbeatAt: new Date().toISOString() };
    await writeFileAtomic(lockPath(this.runDir), `${JSON.stringify(this.current, null, 2)}\n`, { fsync: true });
    return true;
  }

  private lose(onDisk: RunLock | undefined): void {
    if (this.lost) return;
    this.lost = true;
    clearInterval(this.timer);
    this.onLost?.(onDisk);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.beating?.catch(() => {});
    const onDisk = await readRunLock(this.runDir).catch(() => undefined);
    if (onDisk?.tag === this.lock.tag) await unlink(lockPath(this.runDir)).catch(() => {});
  }
}

/** Asks the run in `runDir` to stop cleanly: writes `stop-request.json` atomically. */
export async function requestStop(runDir: string, options: { reason?: string } = {}): Promise<StopRequest> {
  const request: StopRequest = {
    version: 1,
    requestedAt: new Date().toISOString(),
    by: { pid: process.pid, host: hostname() },
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
  };
  await mkdir(runDir, { recursive: true });
  await writeFileAtomic(stopPath(runDir), `${JSON.stringify(request, null, 2)}\n`, { fsync: true });
  return request;
}

export interface StopWatch {
  /** Aborted (reason: `StopRequestedError`) when a stop request newer than `since` appears. */
  readonly signal: AbortSignal;
  /** Stops polling. */
  close(): void;
}

/**
 * Watches `runDir` for stop requests (polling every `pollMs`, default 250 ms, on an unref'd timer). Requests older
 * than `since` (default: now — pass the lock's `startedAt` so a stop issued during startup is not missed) are
 * ignored: they were meant for an earlier attempt of the run.
 */
export function watchStopRequests(runDir: string, options: { pollMs?: number; since?: number } = {}): StopWatch {
  const controller = new AbortController();
  const since = options.since ?? Date.now();
  let checking = false;
  const check = async () => {
    if (checking || controller.signal.aborted) return;
    checking = true;
    try {
      const text = await readText(stopPath(runDir));
      if (text === undefined) return;
      const { value } = parseStopRequest(text);
      if (value && Date.parse(value.requestedAt) >= since) {
        clearInterval(timer);
        controller.abort(new StopRequestedError(value));
      }
    } catch {
      // unreadable for now (permissions, a folder being deleted): try again next time
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), options.pollMs ?? 250);
  timer.unref();
  void check();
  return {
    signal: controller.signal,
    close: () => clearInterval(timer),
  };
}

/** Resolves true once `lock.json` is gone (the run released it), false after `timeoutMs`. */
export async function waitForRelease(
  runDir: string,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if ((await readText(lockPath(runDir))) === undefined) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 100));
  }
}

export interface ForceStopResult extends TerminationResult {
  lock: RunLock | undefined;
}

/**
 * `stop --force`: SIGKILLs the run's process, its group (when it leads one), its descendants and everything
 * carrying its tag, and waits until they are gone. The pid is only targeted if it is still the same process
 * (a recycled pid is left alone; the tag still finds the run's children). When nothing is left, the lock is
 * deleted: the caller records `cancelled` in the journal.
 */
export async function forceStopRun(runDir: string, options: { timeoutMs?: number } = {}): Promise<ForceStopResult> {
  const lock = await readRunLock(runDir);
  if (!lock) return { lock: undefined, survivors: [], signalled: 0 };
  if (lock.host !== hostname()) {
    throw new RunLockedError(runDir, lock, 'alive', `it runs on ${lock.host}; stop it from there`);
  }
  const target: TreeTarget = { tag: lock.tag };
  if (await lockProcessExists(lock)) {
    target.pid = lock.pid;
    if (lock.pgid === lock.pid) target.pgid = lock.pgid;
  }
  const result = await forceKillTree(target, options);
  if (result.survivors.length === 0) {
    const onDisk = await readRunLock(runDir).catch(() => undefined);
    if (onDisk?.tag === lock.tag) await unlink(lockPath(runDir)).catch(() => {});
  }
  return { lock, ...result };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Creates `file` with `content` only if it does not exist, never visible half-written. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  const temp = `${file}.${process.pid}-${randomUUID()}.tmp`;
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
  } finally {
    await unlink(temp).catch(() => {});
  }
  // No hard links on this file system: exclusive create, then write (a reader may briefly see it empty).
  try {
    const direct = await open(file, 'wx', 0o644);
    try {
      await direct.writeFile(content, 'utf8');
      await direct.sync();
    } finally {
      await direct.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}
