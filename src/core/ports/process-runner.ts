/**
 * The process-runner port: how the engine runs gates, `run:` steps and hooks. Implemented in
 * `src/node/process-runner.ts` (own process group, tree kill) and by fakes in unit tests.
 *
 * Values that come from variables or `$ARGUMENTS` never get pasted into `script`: they travel in `env`
 * (referenced by the script as "$NAME") or are shell-quoted by `shellQuote` before they get there.
 */
export interface ProcessSpec {
  /** A shell script run by `/bin/sh -c` (POSIX) — the text of a gate command or a `run:` step. */
  script?: string;
  /** Or an executable and its arguments, run without any shell. Exactly one of `script`/`argv`. */
  argv?: readonly string[];
  cwd: string;
  /** Added to (and overriding) the inherited environment. */
  env?: Readonly<Record<string, string>>;
  /** Kill the tree (SIGTERM, then SIGKILL after `graceMs.terminate`) after this long; the result says `timedOut`. */
  timeoutMs?: number;
  /** Text written to stdin, which is then closed. stdin is closed immediately otherwise. */
  stdin?: string;
  /**
   * Keep what the command leaves running (`server &`) after it exits, instead of stopping it then: the result
   * is delivered when the main process exits, output keeps flowing to `onLine`, and `onBackground` receives
   * a `stop()` for the caller to end it later (a PRP level starts a server in one command, curls it in the next).
   */
  keepBackground?: boolean;
}

/** Processes a command left running (see `ProcessSpec.keepBackground`). */
export interface BackgroundProcesses {
  /** Stops them (SIGTERM → grace → SIGKILL to the whole tree) and resolves once their output is closed. */
  stop(): Promise<void>;
}

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  /** One line without its newline terminator (a final unterminated line is delivered at exit). */
  text: string;
  /** Milliseconds since the epoch when the line was read. */
  ts: number;
  /**
   * The line was longer than the runner's cap (64 Ki UTF-16 code units) and was cut: this piece is followed
   * directly, with no line break, by the next line of the same stream.
   */
  continues?: boolean;
}

export interface ProcessResult {
  /** `null` when the process ended by a signal. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /** The spawn itself failed (program not found, cwd missing…): the message; exitCode is then 127 or 126. */
  spawnError?: string;
  /**
   * Processes of the tree still running after the main process exited (background jobs, daemons), which the
   * runner then stopped (SIGTERM, SIGKILL after the terminate grace): a step's processes never outlive it.
   */
  leftovers?: number;
  /** With `keepBackground`: the command left processes running (handed to `onBackground`). */
  background?: boolean;
  /** Pids that were still alive after SIGKILL and a settle period (uninterruptible I/O, another user). */
  survivors?: number[];
}

export interface RunOptions {
  onLine?: (line: OutputLine) => void;
  /** Called once the child exists, with its pid (= its process-group id). */
  onSpawn?: (pid: number) => void;
  /**
   * Aborting asks the process tree to stop: SIGINT, after `graceMs.interrupt` (default 7,500 ms) SIGTERM, after
   * `graceMs.terminate` (default 2,500 ms) SIGKILL — always to the whole process group, grandchildren included
   * (also those that left the group). `run()` resolves once the tree is gone. Aborting after the main process
   * exited changes nothing (its result stands).
   */
  signal?: AbortSignal;
  graceMs?: { interrupt?: number; terminate?: number };
  /** With `keepBackground`: called (before the result resolves) when the command left processes running. */
  onBackground?: (background: BackgroundProcesses) => void;
}

export interface ProcessRunner {
  run(spec: ProcessSpec, options?: RunOptions): Promise<ProcessResult>;
}
