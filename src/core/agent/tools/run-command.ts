/**
 * `run_command`: a shell command in the project, through the `ProcessRunner` port (its own process group, tree
 * kill on timeout or cancel). The command text the permission policy decided on is exactly the text that runs:
 * nothing is added to it or substituted into it. Output is captured (stdout and stderr interleaved as they
 * arrived) and capped, keeping the start and the end. stdin is closed; API keys are blanked in its environment.
 */
import { z } from 'zod';
import type { OutputLine } from '../../ports/process-runner';
import { displayPath, resolveToolPath } from './paths';
import { defineTool, ToolError } from './tool';

const input = z
  .object({
    command: z.string().min(1).max(10_000).describe('The shell command line (run with /bin/sh -c).'),
    cwd: z.string().min(1).optional().describe('Working directory, relative to the project root. Default ".".'),
    timeout_ms: z.number().int().min(1000).max(3_600_000).optional().describe('Kill the command after this long.'),
  })
  .strict();

/** Keeps the first `headChars` and the last `tailChars` characters of a stream of lines. */
export class OutputCapture {
  private head: string[] = [];
  private headSize = 0;
  private tail: string[] = [];
  private tailSize = 0;
  private dropped = 0;
  private pending = '';

  constructor(
    private readonly headChars: number,
    private readonly tailChars: number,
  ) {}

  push(line: OutputLine & { continues?: boolean }): void {
    if (line.continues) {
      this.pending += line.text;
      return;
    }
    const text = this.pending + line.text;
    this.pending = '';
    if (this.headSize + text.length + 1 <= this.headChars) {
      this.head.push(text);
      this.headSize += text.length + 1;
      return;
    }
    const clipped = text.length > this.tailChars ? `${text.slice(0, this.tailChars - 20)}… [line cut]` : text;
    this.tail.push(clipped);
    this.tailSize += clipped.length + 1;
    while (this.tailSize > this.tailChars && this.tail.length > 1) {
      const gone = this.tail.shift()!;
      this.tailSize -= gone.length + 1;
      this.dropped++;
    }
  }

  text(): string {
    if (this.pending) this.push({ stream: 'stdout', text: '', ts: 0 });
    const parts = [...this.head];
    if (this.dropped > 0) parts.push(`[… ${this.dropped} lines omitted …]`);
    parts.push(...this.tail);
    return parts.join('\n');
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export const runCommandTool = defineTool<z.infer<typeof input>>({
  name: 'run_command',
  description:
    'Run a shell command in the project and get its exit code and output (stdout and stderr, the middle cut when ' +
    'long). Non-interactive: stdin is closed. Subject to the permission policy: read-only commands run, others may ' +
    'need approval or be refused. Validation gates are run by the harness after you stop, not by you.',
  input,
  access: 'command',
  target: (i) => i.command,
  async run(i, ctx) {
    const cwd = resolveToolPath(ctx.root, i.cwd ?? '.');
    const st = await ctx.fs.stat(cwd);
    if (!st || (st.type !== 'directory' && st.type !== 'symlink')) {
      throw new ToolError(`the working directory ${displayPath(ctx.root, cwd)} does not exist`);
    }
    const timeoutMs = Math.min(i.timeout_ms ?? ctx.limits.commandTimeoutMs, ctx.limits.maxCommandTimeoutMs);
    const budget = Math.max(1000, ctx.limits.maxResultChars - 500);
    const capture = new OutputCapture(Math.floor(budget * 0.3), Math.floor(budget * 0.7));
    const result = await ctx.runner.run(
      { script: i.command, cwd, env: ctx.commandEnv, timeoutMs },
      { signal: ctx.signal, onLine: (line) => capture.push(line) },
    );
    let status: string;
    if (result.spawnError) status = `could not start: ${result.spawnError}`;
    else if (result.cancelled) status = 'cancelled';
    else if (result.timedOut) status = `timed out after ${seconds(timeoutMs)} and was killed`;
    else if (result.exitCode === null) status = `killed by ${result.signal ?? 'a signal'}`;
    else status = `exit code ${result.exitCode}`;
    const output = capture.text();
    return {
      content: `$ ${i.command}\n${status} (${seconds(result.durationMs)})\n${output === '' ? '(no output)' : output}`,
      isError: Boolean(result.spawnError) || result.timedOut,
    };
  },
});
