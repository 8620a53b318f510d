/**
 * The Node implementation of the `ProcessRunner` port: how gates, `run:` steps and hooks actually run.
 *
 * - `script` runs as `/bin/sh -c <script>`; `argv` runs without any shell. Nothing here builds shell text from
 *   values: values reach a script only through `spec.env`.
 * - The child is spawned `detached`: it leads its own session and process group (pid = pgid), so signals reach
 *   every process of the step and none of ours; the terminal's Ctrl-C is the host's to forward (by aborting).
 * - Every spawned environment carries tags (`CONTEXT_FORGE_PROCESS_TAGS`: the runner's tag, if any, and one per
 *   spawn), so processes that left the group *and* lost their parent link are still found (Linux).
 * - stdout/stderr arrive as lines with timestamps (see `LineSplitter`: UTF-8 across chunks, `\r\n`, a final
 *   unterminated line, lines capped at 64 Ki code units and delivered in `continues` pieces).
 * - Cancellation (AbortSignal): SIGINT → `graceMs.interrupt` (7.5 s) → SIGTERM → `graceMs.terminate` (2.5 s) →
 *   SIGKILL, to the whole tree, until no member is left. `timeoutMs`: SIGTERM → terminate grace → SIGKILL.
 * - When the main process exits, whatever is left of its tree (background jobs holding the pipes, daemons) is
 *   stopped the same way (SIGTERM → SIGKILL) and counted in `leftovers`; `run()` resolves once the leader has
 *   exited, the tree is gone and both streams closed — or `streamDrainMs` after the tree is gone if something
 *   we could not find still holds a pipe.
 * - A spawn that fails (program or cwd missing, not executable, invalid arguments) is a result with
 *   `spawnError` and exit code 127/126, never a throw.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { OutputLine, ProcessResult, ProcessRunner, ProcessSpec, RunOptions } from '../core/ports/process-runner';
import { LineSplitter, MAX_LINE_CHARS } from '../core/run/line-splitter';
import { PROCESS_TAGS_ENV, splitTags } from './process-table';
import { DEFAULT_GRACE_MS, type TerminationResult, TreeTermination } from './process-tree';

export interface NodeProcessRunnerOptions {
  /**
   * A tag added to the environment of every process this runner spawns (e.g. the run lock's tag), so another
   * process can find and kill all of them by `forceKillTree({ tag })` even after this one died.
   */
  tag?: string;
  /** After the tree is gone, how long to wait for stdout/stderr to close before abandoning them. Default 2 s. */
  streamDrainMs?: number;
  /** After SIGKILL, how long to keep re-killing before reporting survivors. Default 5 s. */
  settleMs?: number;
  /** Longest line delivered in one piece. Default 64 Ki UTF-16 code units. */
  maxLineChars?: number;
  /** Defaults for `RunOptions.graceMs`. */
  graceMs?: { interrupt?: number; terminate?: number };
}

const TAG_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
/** With `keepBackground`, output still open this long after the main process exited means background work. */
const BACKGROUND_SETTLE_MS = 250;

/**
 * Process groups of runs not yet finished. Our children lead their own sessions, so nothing else stops them
 * when this process ends: if it exits without finishing its runs (an uncaught exception, `process.exit()`),
 * the 'exit' hook SIGKILLs their groups — synchronously, the only thing an exit handler can do. (A SIGKILL of
 * this process runs no hook: the run lock's tag lets `stop --force` or the next resume clean up instead.)
 */
const unfinishedGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of unfinishedGroups) {
        try {
          process.kill(-group, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
  unfinishedGroups.add(pgid);
}

export class NodeProcessRunner implements ProcessRunner {
  private readonly tag: string | undefined;

  constructor(private readonly options: NodeProcessRunnerOptions = {}) {
    if (options.tag !== undefined && !TAG_PATTERN.test(options.tag)) {
      throw new TypeError(`process tag must match ${TAG_PATTERN}, got ${JSON.stringify(options.tag)}`);
    }
    this.tag = options.tag;
  }

  async run(spec: ProcessSpec, options: RunOptions = {}): Promise<ProcessResult> {
    const { file, args } = commandOf(spec);
    const started = performance.now();
    const base = { timedOut: false, cancelled: false };
    if (options.signal?.aborted) {
      return { ...base, exitCode: null, signal: null, cancelled: true, durationMs: 0 };
    }
    const cwdError = await checkCwd(spec.cwd);
    if (cwdError) return { ...base, ...cwdError, signal: null, durationMs: performance.now() - started };

    const spawnTag = randomUUID();
    const tags = [...splitTags(process.env[PROCESS_TAGS_ENV]), ...(this.tag ? [this.tag] : []), spawnTag];
    const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, [PROCESS_TAGS_ENV]: tags.join(' ') };

    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd: spec.cwd,
        env,
        detached: true,
        stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (err) {
      // Invalid arguments (a NUL byte in an argument or env value) throw synchronously.
      return { ...base, ...spawnFailure(err, spec), signal: null, durationMs: performance.now() - started };
    }
    return new RunningProcess(child, spec, options, this.options, spawnTag, started).result;
  }
}

/** One spawned process and everything that has to happen before its result is final. */
class RunningProcess {
  readonly result: Promise<ProcessResult>;
  private resolve!: (r: ProcessResult) => void;
  private reject!: (e: unknown) => void;
  private finished = false;
  private spawned = false;
  private leader: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private leaderEndedAt: number | undefined;
  private openStreams = 2;
  private timedOut = false;
  private cancelled = false;
  private termination: TreeTermination | undefined;
  private terminationResult: TerminationResult | undefined;
  private leftoversOnly = false;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private detachTimer: NodeJS.Timeout | undefined;
  private detached = false;
  private callbackError: unknown;
  private readonly onAbort = () => this.cancel();
  private readonly splitters: LineSplitter[] = [];

  constructor(
    private readonly child: ChildProcess,
    private readonly spec: ProcessSpec,
    private readonly options: RunOptions,
    private readonly runnerOptions: NodeProcessRunnerOptions,
    private readonly spawnTag: string,
    private readonly started: number,
  ) {
    this.result = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    child.once('spawn', () => this.onSpawned());
    child.once('error', (err) => this.onError(err));
    child.once('exit', (code, signal) => this.onLeaderExit(code, signal));
    this.attach(child.stdout, 'stdout');
    this.attach(child.stderr, 'stderr');
    if (child.stdin) {
      child.stdin.on('error', () => {}); // EPIPE: the process did not read its input
      child.stdin.end(spec.stdin ?? '');
    }
  }

  private attach(stream: Readable | null, name: OutputLine['stream']): void {
    if (!stream) {
      this.openStreams--;
      return;
    }
    const splitter = new LineSplitter((text, continues) => {
      const line: OutputLine = { stream: name, text, ts: Date.now() };
      if (continues) line.continues = true;
      try {
        this.options.onLine?.(line);
      } catch (err) {
        this.callbackError ??= err;
      }
    }, this.runnerOptions.maxLineChars ?? MAX_LINE_CHARS);
    this.splitters.push(splitter);
    stream.on('data', (chunk: Buffer) => splitter.push(chunk));
    stream.once('end', () => splitter.end());
    stream.on('error', () => {});
    stream.once('close', () => {
      splitter.end();
      this.openStreams--;
      this.check();
    });
  }

  private onSpawned(): void {
    this.spawned = true;
    const pid = this.child.pid!;
    trackGroup(pid);
    try {
      this.options.onSpawn?.(pid);
    } catch (err) {
      this.callbackError ??= err;
    }
    if (this.spec.timeoutMs !== undefined && this.spec.timeoutMs >= 0) {
      this.timeoutTimer = setTimeout(() => {
        if (this.leader) return;
        this.timedOut = true;
        this.terminate().raise('terminate');
      }, this.spec.timeoutMs);
    }
    const signal = this.options.signal;
    if (signal) {
      if (signal.aborted) this.cancel();
      else signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  private onError(err: Error): void {
    if (this.spawned) return; // a later error (e.g. on a stream) does not change the outcome
    this.leader = undefined;
    this.complete({
      ...spawnFailure(err, this.spec),
      signal: null,
      timedOut: false,
      cancelled: false,
      durationMs: performance.now() - this.started,
    });
  }

  private cancel(): void {
    if (this.leader || this.finished) return; // the main process already ended: nothing left to cancel
    this.cancelled = true;
    this.terminate().raise('interrupt');
  }

  private terminate(): TreeTermination {
    if (!this.termination) {
      const pgid = this.child.pid!;
      // The group (pid = pgid) covers the leader and whatever stayed in the group; the tag covers the rest.
      // The leader's pid alone is never a target: once reaped it may be reused by an unrelated process.
      this.termination = new TreeTermination(
        { pgid, tag: this.spawnTag },
        {
          graceMs: {
            interrupt:
              this.options.graceMs?.interrupt ?? this.runnerOptions.graceMs?.interrupt ?? DEFAULT_GRACE_MS.interrupt,
            terminate:
              this.options.graceMs?.terminate ?? this.runnerOptions.graceMs?.terminate ?? DEFAULT_GRACE_MS.terminate,
          },
          settleMs: this.runnerOptions.settleMs ?? 5000,
        },
      );
      this.termination.done.then((r) => {
        this.terminationResult = r;
        this.startDrainTimer();
        this.check();
      });
    }
    return this.termination;
  }

  private onLeaderExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.spawned) return;
    this.leader = { code, signal };
    this.leaderEndedAt = performance.now();
    clearTimeout(this.timeoutTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.spec.keepBackground && !this.termination) {
      // Whatever still holds the pipes a moment after the leader exited was left running on purpose.
      this.detachTimer = setTimeout(() => this.detach(), BACKGROUND_SETTLE_MS);
    } else if (!this.termination) {
      // Stop whatever the step left running. On an empty tree this is one listing and done.
      this.leftoversOnly = true;
      this.terminate().raise('terminate');
    }
    this.check();
  }

  /** `keepBackground`: deliver the result now; the background keeps streaming until `stop()`. */
  private detach(): void {
    if (this.finished || this.openStreams === 0 || !this.leader) return;
    this.detached = true;
    const closed = new Promise<void>((resolve) => {
      this.onStreamsClosed = resolve;
    });
    const stop = async (): Promise<void> => {
      this.terminate().raise('terminate');
      await this.termination!.done;
      await closed;
      if (this.child.pid !== undefined) unfinishedGroups.delete(this.child.pid);
    };
    try {
      this.options.onBackground?.({ stop });
    } catch (err) {
      this.callbackError ??= err;
    }
    this.complete({
      exitCode: this.leader.code,
      signal: this.leader.signal,
      timedOut: false,
      cancelled: false,
      durationMs: (this.leaderEndedAt ?? performance.now()) - this.started,
      background: true,
    });
  }

  private startDrainTimer(): void {
    if (this.openStreams === 0 || this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      // Something we could not find or kill still holds a pipe: stop waiting for it.
      this.child.stdout?.destroy();
      this.child.stderr?.destroy();
      for (const s of this.splitters) s.end();
      this.openStreams = 0;
      this.check();
    }, this.runnerOptions.streamDrainMs ?? 2000);
  }

  private onStreamsClosed: (() => void) | undefined;

  private check(): void {
    if (this.detached && this.openStreams === 0) this.onStreamsClosed?.();
    if (this.finished || !this.leader) return;
    if (this.termination && !this.terminationResult) return;
    if (this.openStreams > 0) return;
    const result: ProcessResult = {
      exitCode: this.leader.code,
      signal: this.leader.signal,
      timedOut: this.timedOut,
      cancelled: this.cancelled,
      durationMs: (this.leaderEndedAt ?? performance.now()) - this.started,
    };
    const t = this.terminationResult;
    if (t && this.leftoversOnly && t.signalled > 0) result.leftovers = t.signalled;
    if (t && t.survivors.length > 0) result.survivors = t.survivors;
    this.complete(result);
  }

  private complete(result: ProcessResult): void {
    if (this.finished) return;
    this.finished = true;
    // Background processes stay tracked (killed if we crash) until their stop().
    if (this.child.pid !== undefined && !this.detached) unfinishedGroups.delete(this.child.pid);
    clearTimeout(this.timeoutTimer);
    clearTimeout(this.detachTimer);
    if (!this.detached) clearTimeout(this.drainTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.callbackError !== undefined) this.reject(this.callbackError);
    else this.resolve(result);
  }
}

function commandOf(spec: ProcessSpec): { file: string; args: string[] } {
  const hasScript = spec.script !== undefined;
  const hasArgv = spec.argv !== undefined;
  if (hasScript === hasArgv) throw new TypeError('ProcessSpec needs exactly one of `script` and `argv`');
  if (hasScript) return { file: '/bin/sh', args: ['-c', spec.script!] };
  const [file, ...args] = spec.argv!;
  if (!file) throw new TypeError('ProcessSpec.argv must name a program');
  return { file, args };
}

async function checkCwd(cwd: string): Promise<{ exitCode: number; spawnError: string } | undefined> {
  try {
    const s = await stat(cwd);
    if (!s.isDirectory()) return { exitCode: 126, spawnError: `working directory is not a directory: ${cwd}` };
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { exitCode: 127, spawnError: `working directory does not exist: ${cwd}` };
    }
    return { exitCode: 126, spawnError: `working directory is not accessible (${code ?? 'error'}): ${cwd}` };
  }
}

function spawnFailure(err: unknown, spec: ProcessSpec): { exitCode: number; spawnError: string } {
  const e = err as NodeJS.ErrnoException;
  const program = spec.argv?.[0] ?? '/bin/sh';
  if (e.code === 'ENOENT') return { exitCode: 127, spawnError: `${program}: command not found` };
  if (e.code === 'EACCES') return { exitCode: 126, spawnError: `${program}: permission denied` };
  if (e.code === 'ENOEXEC') return { exitCode: 126, spawnError: `${program}: not an executable format` };
  return { exitCode: 126, spawnError: `${program}: cannot run (${e.code ?? e.message})` };
}
