/**
 * The `claude-code` provider: the `claude` CLI run headless, one process per round —
 *
 *   claude -p --output-format stream-json --verbose [--model M] [--allowedTools "…"] [--disallowedTools "…"]
 *          [--resume <session id>] [--max-turns N]        (the prompt on stdin, never in argv)
 *
 * through the process runner (own process group: cancelling the run kills claude and everything it started).
 * Claude Code runs its own tool loop and enforces its own permissions: the command's frontmatter `allowed-tools`
 * become `--allowedTools`; control files and the PRP being executed become `--disallowedTools`. Claude Code
 * authenticates itself (its login or its own environment). Usage and cost come from the final `result` event.
 */
import type { ExternalAgent, ExternalRunOutcome, ExternalRunSpec } from '../../core/agent/external-agent';
import { limitResetTime } from '../../core/agent/limit-messages';
import type { Clock } from '../../core/ports/clock';
import type { ProcessRunner } from '../../core/ports/process-runner';
import { ClaudeStreamParser } from './claude-code-events';
import { oneLine, runEventStream } from './event-lines';

export interface ClaudeCodeOptions {
  runner: ProcessRunner;
  clock: Clock;
  /** The program (default `claude`, found on PATH). */
  executable?: string;
  /** Added to the environment of the process (tests put fakes on PATH this way). */
  env?: Readonly<Record<string, string>>;
  /** Kill a round that runs longer than this (default 60 min). */
  timeoutMs?: number;
}

export const INSTALL_HINT =
  'install Claude Code (npm install -g @anthropic-ai/claude-code) and log in, or choose another provider with --provider';

export class ClaudeCodeAgent implements ExternalAgent {
  readonly provider = 'claude-code';

  constructor(private readonly options: ClaudeCodeOptions) {}

  argv(spec: ExternalRunSpec): string[] {
    const argv = [this.options.executable ?? 'claude', '-p', '--output-format', 'stream-json', '--verbose'];
    if (spec.model) argv.push('--model', spec.model);
    if (spec.allowedTools && spec.allowedTools.length > 0) argv.push('--allowedTools', spec.allowedTools.join(','));
    if (spec.disallowedTools && spec.disallowedTools.length > 0) {
      argv.push('--disallowedTools', spec.disallowedTools.join(','));
    }
    if (spec.resumeSession) argv.push('--resume', spec.resumeSession);
    if (spec.maxTurns) argv.push('--max-turns', String(spec.maxTurns));
    return argv;
  }

  async run(spec: ExternalRunSpec): Promise<ExternalRunOutcome> {
    const parser = new ClaudeStreamParser(spec.onText);
    const { result, reader, stderr } = await runEventStream(
      this.options.runner,
      {
        argv: this.argv(spec),
        cwd: spec.cwd,
        prompt: spec.prompt,
        timeoutMs: this.options.timeoutMs ?? 60 * 60_000,
        ...(this.options.env ? { env: this.options.env } : {}),
        signal: spec.signal,
      },
      (event) => parser.handle(event),
    );
    const warnings: string[] = [];
    const malformed = reader.warning('claude');
    if (malformed) warnings.push(malformed);
    const usage = parser.usage();
    const base = {
      toolUses: parser.toolUseIds.size,
      warnings,
      ...(parser.sessionId ? { sessionId: parser.sessionId } : {}),
      ...(parser.model ? { model: parser.model } : {}),
      ...(usage ? { usage } : {}),
      ...(parser.result?.costUsd !== undefined ? { costUsd: parser.result.costUsd } : {}),
    };
    if (result.spawnError) {
      return { ...base, status: 'failed', error: `could not start claude (${result.spawnError}): ${INSTALL_HINT}` };
    }
    if (result.cancelled || spec.signal.aborted) return { ...base, status: 'failed', error: 'Cancelled.' };
    if (result.timedOut) return { ...base, status: 'failed', error: 'claude ran past its time limit and was stopped' };

    const r = parser.result;
    if (r && !r.isError && r.subtype === 'success') {
      return { ...base, status: 'completed', ...(r.result ? { text: r.result } : {}) };
    }
    const words = r
      ? [r.result, ...r.errors].filter(Boolean).join(' — ') || r.subtype
      : stderr.text() || `exit code ${result.exitCode ?? result.signal}`;
    const wake = limitResetTime(words, this.options.clock.now());
    if (wake !== undefined) return { ...base, status: 'parked', parkedUntil: wake, error: oneLine(words) };
    if (r?.subtype === 'error_max_turns') {
      return { ...base, status: 'failed', error: `claude stopped at its turn limit (${r.numTurns ?? '?'} turns)` };
    }
    if (r) return { ...base, status: 'failed', error: `claude reported an error (${r.subtype}): ${oneLine(words)}` };
    return {
      ...base,
      status: 'failed',
      error:
        result.exitCode === 0
          ? 'claude ended without a result event (is it a recent Claude Code? stream-json needs --verbose)'
          : `claude exited with ${result.exitCode === null ? `signal ${result.signal}` : `code ${result.exitCode}`}: ${oneLine(words)}`,
    };
  }
}
