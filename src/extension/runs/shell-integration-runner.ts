/**
 * The `shellIntegration` mode: each command of a run executes in a real shell, in a terminal of the run, through
 * VS Code's terminal shell-integration API — the user's shell, its profile and environment.
 *
 * Rules (an unobserved command never counts as passed):
 * - Shell integration must activate within `integrationTimeoutMs` (4 s); otherwise the command is not run and
 *   the step fails saying so (no `sendText` fallback: without integration nothing reports an exit code).
 * - The command is `cd <cwd> && env NAME=<value>… /bin/sh -c <script>`, every part single-quoted, so values
 *   never become shell syntax and the script runs under the same POSIX shell as in the other mode.
 * - An exit code the shell does not report (`undefined`) is a failure, and so is a terminal closed mid-command.
 * - Cancellation and timeouts send Ctrl+C, then dispose the terminal after the grace period.
 * - Output comes from `execution.read()` (started immediately), split into lines; escape sequences are left to
 *   the gate parsers, which strip them.
 */
import * as vscode from 'vscode';
import type {
  OutputLine,
  ProcessResult,
  ProcessRunner,
  ProcessSpec,
  RunOptions,
} from '../../core/ports/process-runner';
import { LineSplitter } from '../../core/run/line-splitter';
import { shellQuote } from '../../core/shell/quote';

export const INTEGRATION_TIMEOUT_MS = 4000;
/** How long to wait for the end event after the output stream closed. */
const END_EVENT_GRACE_MS = 3000;

export function shellCommandLine(spec: ProcessSpec): string {
  const env = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const program = spec.script !== undefined ? ['/bin/sh', '-c', spec.script] : [...(spec.argv ?? [])];
  const command = [...(env.length ? ['env', ...env] : []), ...program.map((p) => shellQuote(p))].join(' ');
  return `cd ${shellQuote(spec.cwd)} && ${command}`;
}

export class ShellIntegrationRunner implements ProcessRunner {
  private terminal: vscode.Terminal | undefined;
  private integration: Promise<vscode.TerminalShellIntegration | undefined> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly name: string,
    private readonly options: { integrationTimeoutMs?: number; cwd?: string; reveal?: boolean } = {},
  ) {}

  /** The run's shell terminal (created on first use). */
  get shellTerminal(): vscode.Terminal | undefined {
    return this.terminal;
  }

  /** Commands share one shell, so they run one at a time (parallel steps queue here). */
  run(spec: ProcessSpec, options: RunOptions = {}): Promise<ProcessResult> {
    const next = this.queue.then(() => this.runOne(spec, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private ensureTerminal(): Promise<vscode.TerminalShellIntegration | undefined> {
    if (this.terminal && this.terminal.exitStatus === undefined && this.integration) return this.integration;
    const terminal = vscode.window.createTerminal({
      name: this.name,
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
      iconPath: new vscode.ThemeIcon('terminal'),
    });
    this.terminal = terminal;
    if (this.options.reveal !== false) terminal.show(true);
    const timeout = this.options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
    this.integration = new Promise((resolve) => {
      if (terminal.shellIntegration) return resolve(terminal.shellIntegration);
      const timer = setTimeout(() => done(undefined), timeout);
      const subs = [
        vscode.window.onDidChangeTerminalShellIntegration((e) => {
          if (e.terminal === terminal) done(e.shellIntegration);
        }),
        vscode.window.onDidCloseTerminal((t) => {
          if (t === terminal) done(undefined);
        }),
      ];
      function done(value: vscode.TerminalShellIntegration | undefined): void {
        clearTimeout(timer);
        for (const s of subs) s.dispose();
        resolve(value);
      }
    });
    return this.integration;
  }

  private async runOne(spec: ProcessSpec, options: RunOptions): Promise<ProcessResult> {
    const started = Date.now();
    const failed = (message: string, extra: Partial<ProcessResult> = {}): ProcessResult => {
      options.onLine?.({ stream: 'stderr', text: message, ts: Date.now() });
      return {
        exitCode: null,
        signal: null,
        timedOut: false,
        cancelled: false,
        durationMs: Date.now() - started,
        spawnError: message,
        ...extra,
      };
    };
    if (options.signal?.aborted) return failed('cancelled before it started', { cancelled: true });
    const integration = await this.ensureTerminal();
    const terminal = this.terminal!;
    if (!integration) {
      return failed(
        `shell integration did not start in the terminal within ${((this.options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS) / 1000).toFixed(0)} s, so the command's exit code could not be observed; nothing was run. Use a shell with VS Code shell integration (bash, zsh, fish, pwsh) or set contextForge.terminal.mode to "pseudoterminal".`,
      );
    }
    const emit = (stream: OutputLine['stream']) => (text: string, continues: boolean) =>
      options.onLine?.({ stream, text, ts: Date.now(), ...(continues ? { continues: true } : {}) });
    const splitter = new LineSplitter(emit('stdout'));
    const encoder = new TextEncoder();

    const execution = integration.executeCommand(shellCommandLine(spec));
    const stream = execution.read();
    let timedOut = false;
    let cancelled = false;
    let interrupt: NodeJS.Timeout | undefined;
    const stop = (why: 'timeout' | 'cancel'): void => {
      if (why === 'timeout') timedOut = true;
      else cancelled = true;
      terminal.sendText('\u0003', false);
      interrupt ??= setTimeout(() => terminal.dispose(), options.graceMs?.interrupt ?? 7500);
    };
    const timer = spec.timeoutMs ? setTimeout(() => stop('timeout'), spec.timeoutMs) : undefined;
    const onAbort = (): void => stop('cancel');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const ended = new Promise<{ exitCode: number | undefined; closed: boolean }>((resolve) => {
      const subs = [
        vscode.window.onDidEndTerminalShellExecution((e) => {
          if (e.execution === execution) finish({ exitCode: e.exitCode, closed: false });
        }),
        vscode.window.onDidCloseTerminal((t) => {
          if (t === terminal) finish({ exitCode: undefined, closed: true });
        }),
      ];
      function finish(value: { exitCode: number | undefined; closed: boolean }): void {
        for (const s of subs) s.dispose();
        resolve(value);
      }
    });
    const reading = (async () => {
      for await (const data of stream) splitter.push(encoder.encode(data));
    })().catch(() => undefined);
    let end = await ended;
    await Promise.race([reading, new Promise((r) => setTimeout(r, END_EVENT_GRACE_MS))]);
    splitter.end();
    if (!end.closed && terminal.exitStatus !== undefined) end = { exitCode: undefined, closed: true };
    clearTimeout(timer);
    clearTimeout(interrupt);
    options.signal?.removeEventListener('abort', onAbort);
    const durationMs = Date.now() - started;
    if (end.closed) {
      // Closing a terminal hangs its shell up: the command got SIGHUP.
      return failed('the terminal was closed while the command ran: counted as a failure', {
        signal: 'SIGHUP',
        timedOut,
        cancelled,
        durationMs,
      });
    }
    if (end.exitCode === undefined) {
      return failed(
        'the shell reported no exit code (interrupted, a sub-shell, or incomplete shell integration): counted as a failure',
        { timedOut, cancelled, durationMs },
      );
    }
    return { exitCode: end.exitCode, signal: null, timedOut, cancelled, durationMs };
  }

  dispose(): void {
    this.terminal?.dispose();
  }
}
