/**
 * Agents that run their own tool loop in another program — the `claude` CLI (`claude-code` provider) and
 * `codex exec` (`codex`) — behind the same `AgentPort` as our own loop.
 *
 * The port (`ExternalAgent`) is one headless run: a prompt in, the agent's session id, final text, usage and
 * (when the program reports it) cost out. Implementations spawn the program through the process runner (its
 * own process group: cancelling kills the whole tree) and parse its event stream (`src/node/providers/`).
 *
 * This runtime does what the harness owes every provider: the slash command's markdown expanded with its
 * arguments as the prompt, the session continued across the rounds of an `implement` step (the harness's
 * evidence as the next prompt), `/prp-create`'s lint rounds, usage and cost for the journal, a usage-limit stop
 * turned into a park, and the PRP of `/prp-execute` kept intact: these programs enforce their own permissions
 * (Claude Code's allowed tools, Codex's sandbox), not ours, so the PRP is hashed before a round and restored
 * (and the round failed) if the agent changed it.
 */
import type { AgentPort, AgentRequest, AgentResult } from '../ports/agent';
import type { Clock } from '../ports/clock';
import type { ModelUsage } from '../ports/model-client';
import type { Workspace } from '../workspace';
import { CommandCatalog, expandTask, gatherContext, PRP_CREATE, PRP_EXECUTE, type TaskContext } from './command-task';
import type { PriceTable } from './cost';
import { formatClockTime } from './model-retry';
import { CONTINUE_TURN, feedbackTurn, harnessNote, lintTurn } from './prompt';
import { createdPrpFindings, lintFailure, type PrpLinter } from './prp-lint';
import { UsageMeter } from './usage-meter';

export interface ExternalRunSpec {
  prompt: string;
  /** The project root. */
  cwd: string;
  model?: string;
  /** The command's frontmatter `allowed-tools` (Claude Code syntax), when it has one. */
  allowedTools?: readonly string[];
  /** Tool rules to deny (Claude Code syntax), e.g. `Edit(PRPs/x.md)` while that PRP is executed. */
  disallowedTools?: readonly string[];
  /** Continue this session (the previous round's) instead of starting a new one. */
  resumeSession?: string;
  maxTurns?: number;
  signal: AbortSignal;
  onText?(text: string): void;
}

export interface ExternalRunOutcome {
  status: 'completed' | 'failed' | 'parked';
  sessionId?: string;
  /** The agent's final text (informational). */
  text?: string;
  usage?: ModelUsage;
  /** Cost as the program reported it (Claude Code's `total_cost_usd`); priced from our table otherwise. */
  costUsd?: number;
  model?: string;
  error?: string;
  parkedUntil?: number;
  /** Tool calls the agent made (for progress and tests). */
  toolUses: number;
  /** Lines of its output that were not valid events, and similar oddities, for the user. */
  warnings: string[];
}

export interface ExternalAgent {
  /** `claude-code`, `codex`. */
  readonly provider: string;
  run(spec: ExternalRunSpec): Promise<ExternalRunOutcome>;
}

export interface ExternalAgentRuntimeOptions {
  agent: ExternalAgent;
  workspace: Workspace;
  clock: Clock;
  model?: string;
  /** The model was chosen explicitly: it wins over a command's frontmatter `model:`. */
  modelExplicit?: boolean;
  maxTurns?: number;
  defaultTemplate?: string;
  lint?: PrpLinter;
  lintRounds?: number;
  prices?: PriceTable;
  onWarning?(stepId: string, message: string): void;
  onMessage?(stepId: string, text: string): void;
  /** Hashes file bytes (the host passes SHA-256) to notice a changed PRP. */
  hash(bytes: Uint8Array): string;
}

interface Session {
  identity: string;
  sessionId?: string;
  lastAttempt: number;
  rounds: number;
  task: TaskContext;
  allowedTools?: string[];
  model?: string;
}

/** Rules that keep Claude Code off the files only a human may change, plus the PRP being executed. */
export function protectedToolRules(prp?: string): string[] {
  const rules = ['.claude/**', '.vscode/**', '.git/**', '.context-forge/**'].flatMap((p) => [
    `Edit(${p})`,
    `Write(${p})`,
  ]);
  if (prp) rules.push(`Edit(${prp})`, `Write(${prp})`, `MultiEdit(${prp})`);
  return rules;
}

export class ExternalAgentRuntime implements AgentPort {
  private readonly sessions = new Map<string, Session>();
  private readonly catalog: CommandCatalog;

  constructor(private readonly options: ExternalAgentRuntimeOptions) {
    this.catalog = new CommandCatalog(options.workspace);
  }

  async run(request: AgentRequest): Promise<AgentResult> {
    if (request.signal.aborted) return { status: 'failed', error: 'Cancelled.' };
    const meter = new UsageMeter(this.options.prices);
    const identity = `${request.command}\u0000${request.argsText}`;
    const existing = this.sessions.get(request.stepId);
    let session: Session;
    let prompt: string;
    if (existing && existing.identity === identity && request.attempt === existing.lastAttempt + 1) {
      session = existing;
      prompt = request.feedback?.trim() ? feedbackTurn(request.feedback, session.rounds + 1) : CONTINUE_TURN;
    } else {
      const slash = await this.catalog.find(request.command);
      if (!slash) {
        return { status: 'failed', error: `no slash command /${request.command} in .claude/commands` };
      }
      const task = expandTask(slash, request.argsText, request.args);
      const context = await gatherContext(this.options.workspace, request.command, task.positionals, {
        defaultTemplate: this.options.defaultTemplate ?? 'prp_base',
        argsText: request.argsText,
      });
      if (request.command === PRP_EXECUTE && !context.prp) {
        return { status: 'failed', error: `/prp-execute needs a PRP file under PRPs/ that exists` };
      }
      if (request.command === PRP_CREATE && !context.prpTarget) {
        return { status: 'failed', error: '/prp-create needs a feature name' };
      }
      for (const w of [...task.warnings, ...context.warnings]) this.options.onWarning?.(request.stepId, w);
      const note = harnessNote(request.command, context);
      prompt = [task.text, note ? `---\n${note}` : '', 'The project rules are in CLAUDE.md; read it first.']
        .filter(Boolean)
        .join('\n\n');
      const model = (this.options.modelExplicit ? undefined : slash.model) ?? this.options.model;
      session = {
        identity,
        lastAttempt: request.attempt,
        rounds: 0,
        task: context,
        ...(slash.allowedTools ? { allowedTools: slash.allowedTools } : {}),
        ...(model ? { model } : {}),
      };
      this.sessions.set(request.stepId, session);
    }
    session.lastAttempt = request.attempt;

    let outcome = await this.round(request, session, prompt, meter);
    if (outcome.status === 'completed' && request.command === PRP_CREATE && session.task.prpTarget) {
      const target = session.task.prpTarget;
      const rounds = this.options.lintRounds ?? 3;
      for (let round = 1; outcome.status === 'completed'; round++) {
        const findings = await createdPrpFindings(this.options.workspace, target, this.options.lint, request.signal);
        for (const w of findings.warnings) this.options.onWarning?.(request.stepId, w);
        if (findings.errors.length === 0) break;
        if (round > rounds) {
          outcome = { ...outcome, status: 'failed', error: lintFailure(target, findings.errors, rounds) };
          break;
        }
        outcome = await this.round(request, session, lintTurn(target, findings.errors, round, rounds), meter);
      }
    }
    const usage = meter.count > 0 ? meter.toUsage() : undefined;
    const base = { ...(usage ? { usage } : {}), ...(meter.model ? { model: meter.model } : {}) };
    if (outcome.status === 'parked') {
      const until = outcome.parkedUntil ?? this.options.clock.now() + 60_000;
      return {
        status: 'parked',
        parkedUntil: until,
        error: `${this.options.agent.provider} hit a usage or rate limit (${outcome.error ?? 'limit reached'}); waiting until ${formatClockTime(until)}.`,
        ...base,
      };
    }
    if (outcome.status === 'failed') return { status: 'failed', error: outcome.error ?? 'the agent failed', ...base };
    return { status: 'completed', ...base };
  }

  private async round(
    request: AgentRequest,
    session: Session,
    prompt: string,
    meter: UsageMeter,
  ): Promise<ExternalRunOutcome> {
    const prp = request.command === PRP_EXECUTE ? session.task.prp : undefined;
    const guard = prp ? await this.snapshot(prp) : undefined;
    const outcome = await this.options.agent.run({
      prompt,
      cwd: this.options.workspace.root,
      ...(session.model ? { model: session.model } : {}),
      ...(session.allowedTools ? { allowedTools: session.allowedTools } : {}),
      disallowedTools: protectedToolRules(prp),
      ...(session.sessionId ? { resumeSession: session.sessionId } : {}),
      ...(this.options.maxTurns ? { maxTurns: this.options.maxTurns } : {}),
      signal: request.signal,
      ...(request.onText ? { onText: request.onText } : {}),
    });
    session.rounds++;
    if (outcome.sessionId) session.sessionId = outcome.sessionId;
    if (outcome.usage) meter.addReported(outcome.model, outcome.usage, outcome.costUsd);
    for (const w of outcome.warnings) this.options.onWarning?.(request.stepId, w);
    if (outcome.text) this.options.onMessage?.(request.stepId, outcome.text);
    if (guard && prp) {
      const changed = await this.restoreIfChanged(prp, guard);
      if (changed) {
        return {
          ...outcome,
          status: 'failed',
          error: `the agent changed ${prp}, which is read-only while it is executed; the change was reverted`,
        };
      }
    }
    return outcome;
  }

  private async snapshot(rel: string): Promise<{ bytes: Uint8Array; hash: string } | undefined> {
    const abs = this.options.workspace.abs(rel);
    try {
      const bytes = await this.options.workspace.fs.readFile(abs);
      return { bytes, hash: this.options.hash(bytes) };
    } catch {
      return undefined;
    }
  }

  private async restoreIfChanged(rel: string, before: { bytes: Uint8Array; hash: string }): Promise<boolean> {
    const now = await this.snapshot(rel);
    if (now && now.hash === before.hash) return false;
    await this.options.workspace.fs.writeFileAtomic(this.options.workspace.abs(rel), before.bytes);
    return true;
  }
}
