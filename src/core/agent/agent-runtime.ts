/**
 * The agent runtime: the `AgentPort` the engine's `agent` and `implement` steps call, over the `ModelClient` port.
 *
 * For each request it finds the slash command, builds (or continues) the step's conversation, checks the
 * context budget, runs the tool-use loop with the step's tools behind the permission policy, and reports usage
 * and cost. What it never does: report gate results. The harness runs the gates; the agent's final text is
 * informational only (`observer.onMessage`).
 *
 * Conversations are kept per step: the next round of an `implement` step (same step, same command, the next
 * attempt) continues the conversation with the harness's evidence as the next user turn, so the prompt cache
 * keeps working across rounds. Anything else starts a fresh conversation.
 *
 * Commands with harness behaviour:
 * - `/prp-execute <prp>`: the PRP is read-only for the agent during the run (a per-run protected path of the
 *   policy, for tools and shell commands alike) — it cannot weaken the gates that judge its work.
 * - `/prp-create <feature>`: after the agent stops, `PRPs/<slug>.md` must exist and pass lint; findings go back
 *   to the agent for at most `lintRounds` rounds, then the step fails.
 * - `/context-refresh [--full]`: the project snapshot is taken again before the agent runs.
 * - `/context-verify`: deterministic (no model) when `verify` is configured: paths and commands of the context
 *   files are checked and reported with positions.
 */

import type { SlashCommand } from '../commands/slash-command';
import type { OrchestrationSettings } from '../config/settings';
import type { RunMode, SessionApprovals } from '../policy/enforce';
import type { PermissionPolicy } from '../policy/policy';
import type { AgentPort, AgentRequest, AgentResult } from '../ports/agent';
import type { ApprovalsPort } from '../ports/approvals';
import type { Clock } from '../ports/clock';
import type { ModelClient, ToolDefinition } from '../ports/model-client';
import type { ProcessRunner } from '../ports/process-runner';
import { formatProblem } from '../problems';
import type { Workspace } from '../workspace';
import { type LoopObserver, type LoopOutcome, runAgentLoop } from './agent-loop';
import {
  CommandCatalog,
  expandTask,
  gatherContext,
  PRP_CREATE,
  PRP_EXECUTE,
  positionalsOf,
  type TaskContext,
} from './command-task';
import {
  type BudgetLimits,
  type BudgetVerdict,
  type ContextEstimate,
  checkBudget,
  estimateContext,
} from './context/budget';
import type { ContextManager } from './context/context-manager';
import { renderSnapshot } from './context/snapshot';
import { verifyContext } from './context/verify';
import { Conversation } from './conversation';
import type { PriceTable } from './cost';
import type { ModelRetryPolicy } from './model-retry';
import {
  CONTINUE_TURN,
  type ContextDocument,
  feedbackTurn,
  harnessNote,
  lintTurn,
  renderContextBlock,
  SYSTEM_PROMPT,
} from './prompt';
import { createdPrpFindings, lintFailure, type PrpLinter } from './prp-lint';
import { AGENT_TOOLS } from './tools/agent-tools';
import type { AgentTool, ToolLimits } from './tools/tool';
import { type ToolCallRecord, ToolExecutor, toolDefinitions } from './tools/tool-executor';
import { UsageMeter } from './usage-meter';

/** Progress for hosts (CLI lines, VS Code panel) and tests. Display only: nothing here feeds a decision. */
export interface AgentObserver {
  onText?(stepId: string, text: string): void;
  onTurn?(stepId: string, info: Parameters<NonNullable<LoopObserver['onTurn']>>[0]): void;
  onRetry?(stepId: string, info: Parameters<NonNullable<LoopObserver['onRetry']>>[0]): void;
  onToolCall?(stepId: string, record: ToolCallRecord): void;
  /** The agent's final text of a round (informational: it never decides a gate). */
  onMessage?(stepId: string, text: string): void;
  onWarning?(stepId: string, message: string): void;
}

export interface AgentRuntimeOptions {
  workspace: Workspace;
  runner: ProcessRunner;
  clock: Clock;
  policy: PermissionPolicy;
  approvals?: ApprovalsPort;
  /** `interactive`: a human can be asked. `yes` never approves the agent's asks (see `settle`). */
  mode: RunMode;
  session?: SessionApprovals;
  /** The model client, or one per conversation (record/replay key conversations by their command line). */
  client: ModelClient | ((conversationKey: string) => ModelClient);
  model: string;
  /** The model was chosen explicitly (flag or setting): it wins over a command's frontmatter `model:`. */
  modelExplicit?: boolean;
  maxTokens: number;
  temperature?: number;
  /** Model turns per round (default 40). */
  maxTurns?: number;
  settings?: Pick<OrchestrationSettings, 'defaultTemplate'>;
  context?: ContextManager;
  lint?: PrpLinter;
  /** Lint fix rounds of `/prp-create` (default 3). */
  lintRounds?: number;
  budget?: BudgetLimits;
  prices?: PriceTable;
  retryPolicy?: Partial<ModelRetryPolicy>;
  toolLimits?: Partial<ToolLimits>;
  /** Makes `/context-verify` deterministic (no model); `pathDirs` is PATH split. */
  verify?: { pathDirs: readonly string[] };
  tools?: readonly AgentTool<unknown>[];
  observer?: AgentObserver;
}

export const DEFAULT_MAX_TURNS = 40;
export const DEFAULT_LINT_ROUNDS = 3;

interface Composition {
  slash: SlashCommand;
  taskContext: TaskContext;
  docs: ContextDocument[];
  taskText: string;
  tools: ToolDefinition[];
  estimate: ContextEstimate;
  what: string;
  warnings: string[];
}

interface Session {
  conversation: Conversation;
  executor: ToolExecutor;
  client: ModelClient;
  task: TaskContext;
}

export class AgentRuntime implements AgentPort {
  private readonly sessions = new Map<string, Session>();
  private readonly opened = new Map<string, number>();
  private readonly catalog: CommandCatalog;

  constructor(private readonly options: AgentRuntimeOptions) {
    this.catalog = new CommandCatalog(options.workspace);
  }

  async run(request: AgentRequest): Promise<AgentResult> {
    const { command } = request;
    if (request.signal.aborted) return { status: 'failed', error: 'Cancelled.' };
    if (command === 'context-verify' && this.options.verify) return this.verify(request);
    const positionals = positionalsOf(request.argsText, request.args);
    if (command === 'context-refresh' && this.options.context) {
      await this.options.context.refresh({ full: positionals.includes('--full') });
    }

    const meter = new UsageMeter(this.options.prices);
    const prepared = await this.prepare(request);
    if ('error' in prepared) return { status: 'failed', error: prepared.error };
    const session = prepared.session;
    const conversation = session.conversation;
    conversation.lastAttempt = request.attempt;

    let outcome = await this.round(request, session, meter);
    if (outcome.kind === 'done' && command === PRP_CREATE) {
      outcome = await this.lintLoop(request, session, meter, outcome);
    }
    return this.result(outcome, meter, conversation.base.model);
  }

  /** The step's conversation: continued (next round of the same step) or new. */
  private async prepare(request: AgentRequest): Promise<{ session: Session } | { error: string }> {
    const identity = `${request.command}\u0000${request.argsText}`;
    const existing = this.sessions.get(request.stepId);
    if (
      existing &&
      existing.conversation.identity === identity &&
      request.attempt === existing.conversation.lastAttempt + 1
    ) {
      const round = existing.conversation.rounds + 1;
      const text = request.feedback?.trim() ? feedbackTurn(request.feedback, round) : CONTINUE_TURN;
      existing.conversation.addUser([{ type: 'text', text }]);
      return { session: existing };
    }

    const composed = await this.compose(request.command, request.argsText, request.args);
    if ('error' in composed) return composed;
    const { slash, taskContext, docs, taskText, tools, estimate, what } = composed;
    for (const w of composed.warnings) this.options.observer?.onWarning?.(request.stepId, w);
    const verdict = checkBudget(estimate, what, this.options.budget ?? {});
    if (!verdict.ok) return { error: verdict.message };
    if (verdict.warning) this.options.observer?.onWarning?.(request.stepId, verdict.warning);

    const policy =
      request.command === PRP_EXECUTE && taskContext.prp
        ? this.options.policy.withReadOnlyPaths([
            {
              path: this.options.workspace.abs(taskContext.prp),
              reason:
                'it is the PRP being executed; its Validation Loop gates this work, so it cannot change during the run',
            },
          ])
        : this.options.policy;
    const executor = new ToolExecutor({
      root: this.options.workspace.root,
      fs: this.options.workspace.fs,
      runner: this.options.runner,
      policy,
      ...(this.options.approvals ? { approvals: this.options.approvals } : {}),
      mode: this.options.mode,
      ...(this.options.session ? { session: this.options.session } : {}),
      tools: this.options.tools ?? AGENT_TOOLS,
      ...(this.options.toolLimits ? { limits: this.options.toolLimits } : {}),
      context: `step ${request.stepId}: /${request.command}${request.argsText ? ` ${request.argsText}` : ''}`,
      now: () => this.options.clock.now(),
      onToolCall: (r) => this.options.observer?.onToolCall?.(request.stepId, r),
    });
    const contextBlock = renderContextBlock(docs);

    const model = (this.options.modelExplicit ? undefined : slash.model) ?? this.options.model;
    const conversation = new Conversation(
      request.stepId,
      {
        model,
        maxTokens: this.options.maxTokens,
        system: [{ type: 'text', text: SYSTEM_PROMPT, cache: {} }],
        tools,
        autoCache: {},
        ...(this.options.temperature !== undefined ? { temperature: this.options.temperature } : {}),
      },
      identity,
    );
    conversation.addUser([
      { type: 'text', text: contextBlock, cache: {} },
      { type: 'text', text: taskText },
    ]);
    const client =
      typeof this.options.client === 'function'
        ? this.options.client(this.conversationKey(request.command, request.argsText))
        : this.options.client;
    const session: Session = { conversation, executor, client, task: taskContext };
    this.sessions.set(request.stepId, session);
    return { session };
  }

  /**
   * What a new conversation for `/command args` starts with — the command's expanded text, the context
   * documents, the tools — and its estimated size. Reads files; never calls the model.
   */
  private async compose(
    command: string,
    argsText: string,
    args?: readonly string[],
  ): Promise<Composition | { error: string }> {
    const positionals = positionalsOf(argsText, args);
    const slash = await this.catalog.find(command);
    if (!slash) {
      return {
        error: `no slash command /${command}: add .claude/commands/${command.replace(/:/g, '/')}.md (codex-context-forge init writes the standard ones)`,
      };
    }
    const task = expandTask(slash, argsText, args);
    const snapshot = this.options.context ? await this.options.context.snapshot() : undefined;
    const taskContext = await gatherContext(this.options.workspace, command, task.positionals, {
      defaultTemplate: this.options.settings?.defaultTemplate ?? 'prp_base',
      argsText,
      ...(snapshot ? { facts: { techStack: snapshot.techStack } } : {}),
    });
    if (command === PRP_EXECUTE && !taskContext.prp) {
      return { error: `/prp-execute needs a PRP file under PRPs/ that exists; got "${positionals[0] ?? ''}"` };
    }
    if (command === PRP_CREATE && !taskContext.prpTarget) {
      return { error: '/prp-create needs a feature name, e.g. /prp-create user-auth "login with email and password"' };
    }
    const docs = [...taskContext.docs];
    if (snapshot) docs.push({ kind: 'snapshot', text: renderSnapshot(snapshot) });
    const note = harnessNote(command, taskContext);
    const taskText = note ? `${task.text}\n\n---\n${note}` : task.text;
    const tools = toolDefinitions(this.options.tools ?? AGENT_TOOLS);
    const estimate = estimateContext([
      { name: 'system prompt', text: SYSTEM_PROMPT },
      { name: 'tool definitions', text: JSON.stringify(tools) },
      ...docs.map((d) => ({ name: d.path ? `${d.kind} ${d.path}` : d.kind, text: d.text })),
      { name: `command ${slash.file}`, text: taskText },
    ]);
    return {
      slash,
      taskContext,
      docs,
      taskText,
      tools,
      estimate,
      what: `/${command}${argsText ? ` ${argsText}` : ''}`,
      warnings: [...task.warnings, ...taskContext.warnings],
    };
  }

  /**
   * The context-budget preflight for `/command args` without running anything: the estimate and what the budget
   * says (`ok: false` over `--max-context-tokens`). Hosts call it before starting a run.
   */
  async preflight(
    command: string,
    argsText: string,
    args?: readonly string[],
  ): Promise<{ estimate: ContextEstimate; verdict: BudgetVerdict } | { error: string }> {
    const composed = await this.compose(command, argsText, args);
    if ('error' in composed) return composed;
    return {
      estimate: composed.estimate,
      verdict: checkBudget(composed.estimate, composed.what, this.options.budget ?? {}),
    };
  }

  private async round(request: AgentRequest, session: Session, meter: UsageMeter): Promise<LoopOutcome> {
    const { observer } = this.options;
    const stepId = request.stepId;
    const outcome = await runAgentLoop(
      session.conversation,
      {
        client: session.client,
        clock: this.options.clock,
        tools: session.executor,
        meter,
        maxTurns: this.options.maxTurns ?? DEFAULT_MAX_TURNS,
        ...(this.options.retryPolicy ? { retryPolicy: this.options.retryPolicy } : {}),
        observer: {
          onText: (t) => {
            request.onText?.(t);
            observer?.onText?.(stepId, t);
          },
          onTurn: (info) => observer?.onTurn?.(stepId, info),
          onRetry: (info) => observer?.onRetry?.(stepId, info),
        },
      },
      request.signal,
    );
    session.conversation.rounds++;
    if (outcome.kind === 'done' && outcome.text) observer?.onMessage?.(stepId, outcome.text);
    return outcome;
  }

  /** `/prp-create`: the PRP must exist and pass lint; findings go back to the agent, a bounded number of times. */
  private async lintLoop(
    request: AgentRequest,
    session: Session,
    meter: UsageMeter,
    first: LoopOutcome,
  ): Promise<LoopOutcome> {
    const target = session.task.prpTarget!;
    const rounds = this.options.lintRounds ?? DEFAULT_LINT_ROUNDS;
    let outcome = first;
    for (let round = 1; ; round++) {
      const findings = await createdPrpFindings(this.options.workspace, target, this.options.lint, request.signal);
      for (const w of findings.warnings) this.options.observer?.onWarning?.(request.stepId, w);
      if (findings.errors.length === 0) return outcome;
      if (round > rounds)
        return { kind: 'fail', message: lintFailure(target, findings.errors, rounds), turns: outcome.turns };
      session.conversation.addUser([{ type: 'text', text: lintTurn(target, findings.errors, round, rounds) }]);
      outcome = await this.round(request, session, meter);
      if (outcome.kind !== 'done') return outcome;
    }
  }

  /** `/context-verify` without a model: the deterministic check, reported with positions. */
  private async verify(request: AgentRequest): Promise<AgentResult> {
    const positionals = positionalsOf(request.argsText, request.args);
    const files = positionals.filter((p) => !p.startsWith('-')).map((p) => p.replace(/^\.\//, ''));
    const report = await verifyContext(this.options.workspace, {
      pathDirs: this.options.verify!.pathDirs,
      ...(files.length > 0 ? { files } : {}),
    });
    const errors = report.problems.filter((p) => p.severity === 'error');
    const lines = report.problems.map(formatProblem);
    const summary = `checked ${report.checked} references in ${report.files.length} files: ${errors.length} errors, ${report.problems.length - errors.length} warnings`;
    this.options.observer?.onMessage?.(request.stepId, [...lines, summary].join('\n'));
    if (errors.length === 0) return { status: 'completed' };
    return {
      status: 'failed',
      error: `context is stale (${summary}): ${lines.slice(0, 5).join('; ')}${lines.length > 5 ? '; …' : ''}`,
    };
  }

  private result(outcome: LoopOutcome, meter: UsageMeter, requestedModel: string): AgentResult {
    const usage = meter.count > 0 ? meter.toUsage() : undefined;
    const model = meter.model ?? requestedModel;
    const base = { ...(usage ? { usage } : {}), model };
    switch (outcome.kind) {
      case 'done':
        return { status: 'completed', ...base };
      case 'park':
        return { status: 'parked', parkedUntil: outcome.until, error: outcome.message, ...base };
      case 'fail':
        return { status: 'failed', error: outcome.message, ...base };
    }
  }

  /**
   * The key of a new conversation for record/replay: its command line, numbered from the second conversation with
   * the same line (`/prp-execute PRPs/x.md #2`) — independent of step ids, deterministic for the same run.
   */
  private conversationKey(command: string, argsText: string): string {
    const line = `/${command}${argsText ? ` ${argsText}` : ''}`;
    const n = (this.opened.get(line) ?? 0) + 1;
    this.opened.set(line, n);
    return n === 1 ? line : `${line} #${n}`;
  }

  /** The conversation of a step (for tests and inspection). */
  conversationOf(stepId: string): Conversation | undefined {
    return this.sessions.get(stepId)?.conversation;
  }
}
