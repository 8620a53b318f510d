/**
 * The `pseudoterminal` mode: commands run in Context Forge's own Node process runner (own process group, tree
 * kill, exact exit codes), and everything they print — plus the exit code, signal or timeout — is echoed into the
 * run's terminal as it arrives. When commands run in parallel, each line is prefixed with its command's number.
 */
import type { ProcessResult, ProcessRunner, ProcessSpec, RunOptions } from '../../core/ports/process-runner';
import { type RunTerminal, style } from './run-terminal';

export function describeResult(result: ProcessResult): string {
  const time = `${(result.durationMs / 1000).toFixed(1)} s`;
  if (result.spawnError) return style.red(`could not start: ${result.spawnError} (exit code ${result.exitCode})`);
  if (result.timedOut) return style.red(`timed out after ${time}`);
  if (result.cancelled) return style.yellow(`cancelled after ${time}`);
  if (result.exitCode === null) return style.red(`killed by ${result.signal ?? 'a signal'} after ${time}`);
  const code = `exit code ${result.exitCode}`;
  return `${result.exitCode === 0 ? style.green(code) : style.red(code)} ${style.dim(time)}`;
}

export function commandHeader(spec: ProcessSpec): string {
  const text = spec.script ?? (spec.argv ?? []).join(' ');
  const lines = text.trimEnd().split('\n');
  return `$ ${lines[0]}${lines.length > 1 ? ` … (+${lines.length - 1} lines)` : ''}`;
}

export class TerminalEchoRunner implements ProcessRunner {
  private next = 1;
  private running = 0;

  constructor(
    private readonly inner: ProcessRunner,
    private readonly terminal: RunTerminal,
  ) {}

  async run(spec: ProcessSpec, options: RunOptions = {}): Promise<ProcessResult> {
    const id = this.next++;
    this.running++;
    const tag = (): string => (this.running > 1 ? style.dim(`[${id}] `) : '');
    this.terminal.writeLine(style.cyan(`${tag()}${commandHeader(spec)}`));
    try {
      const result = await this.inner.run(spec, {
        ...options,
        onLine: (line) => {
          this.terminal.writeLine(`${tag()}${line.text}`);
          options.onLine?.(line);
        },
      });
      this.terminal.writeLine(`${tag()}${describeResult(result)}`);
      return result;
    } finally {
      this.running--;
    }
  }
}
