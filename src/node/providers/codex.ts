/**
 * The `codex` provider: OpenAI's Codex CLI run headless, one process per round —
 *
 *   codex exec --json --sandbox workspace-write --skip-git-repo-check [-m M] -                 (a new session)
 *   codex exec --json --sandbox workspace-write --skip-git-repo-check [-m M] resume <id> -     (the next round)
 *
 * with the prompt on stdin (`-`), through the process runner (cancelling kills the whole tree). Codex enforces
 * its own sandbox (writes inside the project only); our runtime restores the PRP if Codex changes it during
 * `/prp-execute`. Usage comes from `turn.completed` events; Codex reports no cost.
 */
import type { ExternalAgent, ExternalRunOutcome, ExternalRunSpec } from '../../core/agent/external-agent';
import { limitResetTime } from '../../core/agent/limit-messages';
import type { Clock } from '../../core/ports/clock';
import type { ProcessRunner } from '../../core/ports/process-runner';
import { CodexStreamParser } from './codex-events';
import { oneLine, runEventStream } from './event-lines';

export interface CodexOptions {
  runner: ProcessRunner;
  clock: Clock;
  /** The program (default `codex`, found on PATH). */
  executable?: string;
  env?: Readonly<Record<string, string>>;
  timeoutMs?: number;
}

export class CodexAgent implements ExternalAgent {
  readonly provider = 'codex';

  constructor(private readonly options: CodexOptions) {}

  argv(spec: ExternalRunSpec): string[] {
    const argv = [
      this.options.executable ?? 'codex',
      'exec',
      '--json',
      '--sandbox',
      'workspace-write',
      '--skip-git-repo-check',
    ];
    if (spec.model) argv.push('-m', spec.model);
    if (spec.resumeSession) argv.push('resume', spec.resumeSession);
    argv.push('-');
    return argv;
  }

  async run(spec: ExternalRunSpec): Promise<ExternalRunOutcome> {
    const parser = new CodexStreamParser(spec.onText);
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
    const warnings = [...parser.itemErrors.map((e) => `codex: ${e}`)];
    const malformed = reader.warning('codex');
    if (malformed) warnings.push(malformed);
    const usage = parser.usage();
    const base = {
      toolUses: parser.toolUses,
      warnings,
      ...(parser.threadId ? { sessionId: parser.threadId } : {}),
      ...(spec.model ? { model: spec.model } : {}),
      ...(usage ? { usage } : {}),
    };
    if (result.spawnError) {
      return {
        ...base,
        status: 'failed',
        error: `could not start codex (${result.spawnError}): install the Codex CLI (npm install -g @openai/codex) and log in, or choose another provider with --provider`,
      };
    }
    if (result.cancelled || spec.signal.aborted) return { ...base, status: 'failed', error: 'Cancelled.' };
    if (result.timedOut) return { ...base, status: 'failed', error: 'codex ran past its time limit and was stopped' };
    if (parser.errors.length > 0 || result.exitCode !== 0) {
      const words = [...parser.errors, stderr.text()].filter(Boolean).join(' — ') || `exit code ${result.exitCode}`;
      const wake = limitResetTime(words, this.options.clock.now());
      if (wake !== undefined) return { ...base, status: 'parked', parkedUntil: wake, error: oneLine(words) };
      return {
        ...base,
        status: 'failed',
        error: `codex ${parser.errors.length > 0 ? 'reported' : `exited with ${result.exitCode === null ? `signal ${result.signal}` : `code ${result.exitCode}`}`}: ${oneLine(words)}`,
      };
    }
    if (parser.turnsCompleted === 0) {
      return { ...base, status: 'failed', error: 'codex ended without completing a turn (no turn.completed event)' };
    }
    return { ...base, status: 'completed', ...(parser.lastText ? { text: parser.lastText } : {}) };
  }
}
