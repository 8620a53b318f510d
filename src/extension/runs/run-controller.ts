/**
 * Runs started from VS Code: approval of the project's commands, the model provider, the run's terminal (or real
 * shell), and then `startRun`/`resumeRun` of the shared run host — the same journal, lock, stop requests and resume
 * rules as the CLI. Live state is folded from the run's journal (the one source of truth); output lines are kept
 * per step for the panel. Runs started elsewhere (the CLI) are read from their journals too.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings, type Settings } from '../../core/config/settings';
import { conditionEvaluator } from '../../core/engine/conditions';
import { EngineEvents } from '../../core/engine/engine-events';
import { type LevelStep, type PlanStep, walkPlan } from '../../core/engine/plan';
import { planLevels } from '../../core/engine/plan-prp';
import { projectCommandsOf } from '../../core/engine/plan-render';
import type { ApprovalsPort } from '../../core/ports/approvals';
import type { ProcessRunner } from '../../core/ports/process-runner';
import { formatProblem, hasErrors } from '../../core/problems';
import type { ProjectFacts } from '../../core/project/facts';
import { loadProjectFacts } from '../../core/project/load-facts';
import { readPrp } from '../../core/prp';
import type { EngineOutcome, RunKind } from '../../core/run/events';
import type { RunState } from '../../core/run/fold';
import { ensureApproved } from '../../core/trust/ensure-approved';
import type { Workspace } from '../../core/workspace';
import { FileApprovalStore } from '../../node/approval-store';
import { forceStopRun, requestStop } from '../../node/run-lock';
import { RunHostError, type RunOutcome, resumeRun, startRun } from '../../node/runs/run-host';
import { runDirOf } from '../../node/runs/run-paths';
import { type LoadedRun, listRuns, loadRun } from '../../node/runs/run-store';
import type { AgentChoice, AgentProvider } from '../providers/agent-provider';
import { RunTerminal } from './run-terminal';
import { ShellIntegrationRunner } from './shell-integration-runner';
import { StepOutputBuffers } from './step-output';
import { TerminalEchoRunner } from './terminal-echo-runner';

/** The plan has steps that need a model (agent and implement steps). */
export function usesAgent(plan: readonly PlanStep[]): boolean {
  for (const s of walkPlan(plan)) if (s.kind === 'agent' || s.kind === 'implement') return true;
  return false;
}

/** Hook scripts a run may execute (onTestFail, onDeploy): project commands that need approval like gates. */
export function hookScripts(settings: Settings): string[] {
  const h = settings.orchestration.hooks;
  return [...h.onTestFail, ...h.onDeploy].flatMap((a) => (a.kind === 'run' ? [a.script] : []));
}

export interface RunRequest {
  kind: RunKind;
  /** Workflow name, slash-command line or PRP path (what the journal records). */
  target: string;
  plan: PlanStep[];
  variables: Record<string, string>;
  /** Project-relative files the plan was built from (they bind resume). */
  inputs: string[];
  /** Record the files the run created or changed (off for `validate`, which changes nothing). Default on. */
  trackWorkTree?: boolean;
}

export interface ActiveRun {
  runId: string;
  runDir: string;
  target: string;
  controller: AbortController;
  events: EngineEvents;
  terminal: RunTerminal;
  shell?: ShellIntegrationRunner;
  output: StepOutputBuffers;
  state?: RunState;
  outcome?: EngineOutcome | 'error';
}

export interface RunResult {
  runId?: string;
  status: EngineOutcome | 'refused' | 'error';
  message?: string;
}

export interface RunControllerHooks {
  onStarted?(run: ActiveRun): void;
  onStepEvidence?(
    run: ActiveRun,
    evidence: NonNullable<import('../../core/run/events').StepFinishedEvent['evidence']>,
  ): void;
  onFinished?(run: ActiveRun, result: RunResult): void;
}

export class RunController implements vscode.Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private readonly changed = new vscode.EventEmitter<string>();
  private readonly output = new vscode.EventEmitter<{ runId: string; stepId: string; attempt: number }>();
  /** A run's journal changed (throttled by the listeners). */
  readonly onDidChangeRun = this.changed.event;
  readonly onDidOutput = this.output.event;
  private readonly refreshing = new Map<string, NodeJS.Timeout>();
  hooks: RunControllerHooks = {};

  constructor(
    private readonly workspace: Workspace,
    private readonly approvals: ApprovalsPort,
    private readonly agents: AgentProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get root(): string {
    return this.workspace.root;
  }

  activeRuns(): ActiveRun[] {
    return [...this.active.values()];
  }

  activeRun(runId: string): ActiveRun | undefined {
    return this.active.get(runId);
  }

  isLive(runId: string): boolean {
    const run = this.active.get(runId);
    return Boolean(run && run.outcome === undefined);
  }

  /** Recent runs, newest first (by start time: run ids only order by the second). */
  async list(limit = 20): Promise<LoadedRun[]> {
    return (await listRuns(this.root, limit)).sort((a, b) => b.state.startedAt - a.state.startedAt);
  }

  async load(runId: string): Promise<LoadedRun | undefined> {
    return loadRun(this.root, runId).catch(() => undefined);
  }

  private async settings(): Promise<Settings> {
    const result = await readSettings(this.workspace);
    if (hasErrors(result.problems) || !result.value) {
      throw new RunHostError(`invalid settings:\n${result.problems.map(formatProblem).join('\n')}`);
    }
    return result.value;
  }

  private async scripts(): Promise<Record<string, string> | undefined> {
    try {
      const pkg = JSON.parse(await readFile(path.join(this.root, 'package.json'), 'utf8')) as { scripts?: unknown };
      if (pkg.scripts && typeof pkg.scripts === 'object') {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(pkg.scripts)) if (typeof v === 'string') out[k] = v;
        return out;
      }
    } catch {
      // no package.json, or not JSON: gates are read with every matcher
    }
    return undefined;
  }

  /** The project's commands in `plan` (and its hooks) must be approved on this machine first (modal dialog). */
  private async approve(plan: PlanStep[], settings: Settings, context: string): Promise<string | undefined> {
    const commands = [...projectCommandsOf(plan), ...hookScripts(settings)];
    if (commands.length === 0) return undefined;
    const result = await ensureApproved({
      projectRoot: this.root,
      commands,
      interactive: true,
      yes: false,
      store: new FileApprovalStore(),
      approvals: this.approvals,
      fs: this.workspace.fs,
      context,
    });
    if (!result.approved) return result.message ?? 'the project commands were not approved';
    if (result.message) this.log.warn(result.message);
    return undefined;
  }

  /**
   * Reads a PRP's levels when an `implement` step of a workflow starts (the PRP may have been written by an
   * earlier step) and has its gate commands approved (modal dialog) before any of them runs.
   */
  private levelLoader(
    settings: Settings,
    facts: ProjectFacts,
  ): (prp: string, parentId: string) => Promise<{ levels: LevelStep[] } | { error: string }> {
    return async (prp, parentId) => {
      const read = await readPrp(this.workspace, prp, { facts });
      if (!read.value || hasErrors(read.problems)) {
        const errors = read.problems.filter((p) => p.severity === 'error').map(formatProblem);
        return { error: `cannot use ${prp}: ${errors.join('; ') || 'unreadable'}` };
      }
      const levels = planLevels(read.value, settings.orchestration, { idPrefix: parentId });
      const commands = levels.filter((l) => !l.skip).flatMap((l) => l.commands.map((c) => c.command));
      const refusal = await this.approve(
        commands.map((command) => ({ kind: 'shell' as const, id: 'gate', name: command, script: command, env: {} })),
        settings,
        `the gates of ${prp}`,
      );
      return refusal ? { error: refusal } : { levels };
    };
  }

  private terminalMode(): 'pseudoterminal' | 'shellIntegration' {
    return vscode.workspace.getConfiguration('contextForge').get('terminal.mode') === 'shellIntegration'
      ? 'shellIntegration'
      : 'pseudoterminal';
  }

  private reveal(terminal: vscode.Terminal, when: 'start' | 'failure'): void {
    const setting = vscode.workspace.getConfiguration('contextForge').get<string>('terminal.reveal', 'always');
    if ((setting === 'always' && when === 'start') || (setting === 'onFailure' && when === 'failure'))
      terminal.show(true);
  }

  async start(request: RunRequest): Promise<RunResult> {
    let settings: Settings;
    try {
      settings = await this.settings();
    } catch (err) {
      return this.refuse((err as Error).message);
    }
    const refusal = await this.approve(request.plan, settings, `Context Forge: ${request.target}`);
    if (refusal) return this.refuse(refusal);
    const facts = await loadProjectFacts(this.workspace);
    return this.host(request.target, usesAgent(request.plan), (deps) =>
      startRun({
        ...deps,
        settings: settings.orchestration,
        root: this.root,
        kind: request.kind,
        target: request.target,
        plan: request.plan,
        variables: request.variables,
        inputs: request.inputs,
        evaluateCondition: conditionEvaluator(facts, request.variables),
        loadLevels: this.levelLoader(settings, facts),
        trackWorkTree: request.trackWorkTree ?? true,
      }),
    );
  }

  async resume(runId: string, options: { force?: boolean } = {}): Promise<RunResult> {
    const loaded = await this.load(runId);
    if (!loaded) return this.refuse(`no run ${runId} in this workspace`);
    let settings: Settings;
    try {
      settings = await this.settings();
    } catch (err) {
      return this.refuse((err as Error).message);
    }
    const refusal = await this.approve(loaded.state.plan, settings, `Context Forge: resume ${loaded.state.target}`);
    if (refusal) return this.refuse(refusal);
    const facts = await loadProjectFacts(this.workspace);
    return this.host(loaded.state.target, usesAgent(loaded.state.plan), (deps) =>
      resumeRun({
        ...deps,
        settings: settings.orchestration,
        root: this.root,
        runId,
        force: Boolean(options.force),
        evaluateCondition: conditionEvaluator(facts, loaded.state.variables),
        loadLevels: this.levelLoader(settings, facts),
        trackWorkTree: loaded.state.kind !== 'validate',
        confirmAgentRerun: async (steps) =>
          (await vscode.window.showWarningMessage(
            `Agent step(s) ${steps.map((s) => `"${s.name}"`).join(', ')} were interrupted and may have half-applied changes. Re-run them?`,
            { modal: true },
            'Re-run',
          )) === 'Re-run',
      }),
    );
  }

  private refuse(message: string): RunResult {
    this.log.warn(message);
    void vscode.window.showErrorMessage(`Context Forge: ${message}`);
    return { status: 'refused', message };
  }

  /** Runs one start or resume: terminal, runner, events, progress, and the end of it. */
  private async host(
    target: string,
    needsAgent: boolean,
    launch: (deps: {
      events: EngineEvents;
      signal: AbortSignal;
      agent?: import('../../core/ports/agent').AgentPort;
      scripts?: Record<string, string>;
      onStarted(run: { runId: string; runDir: string }): void;
      wrapRunner(runner: ProcessRunner, run: { runId: string; runDir: string }): ProcessRunner;
    }) => Promise<RunOutcome>,
  ): Promise<RunResult> {
    const settings = (await readSettings(this.workspace)).value?.orchestration;
    const choice: AgentChoice =
      needsAgent && settings
        ? await this.agents.choose({
            workspace: this.workspace,
            approvals: this.approvals,
            settings,
            observer: {
              onToolCall: (_step, r) =>
                run?.terminal.writeLine(
                  `    · ${r.name} ${String(r.input.path ?? r.input.command ?? r.input.pattern ?? '')}${r.outcome === 'ran' ? '' : ` — ${r.outcome}${r.reason ? `: ${r.reason}` : ''}`}`,
                ),
              onMessage: (_step, text) => run?.terminal.writeLine(`    » ${text.replace(/\s+/g, ' ').slice(0, 300)}`),
              onWarning: (_step, message) => this.log.warn(message),
              onRetry: (_step, info) =>
                run?.terminal.writeLine(`    ↻ model request failed (${info.reason}); retrying`),
            },
          })
        : { provider: 'none' };
    if (needsAgent && choice.unavailable) this.log.info(`agent steps: ${choice.unavailable}`);
    const controller = new AbortController();
    const events = new EngineEvents();
    const terminal = new RunTerminal(`Context Forge: ${target}`);
    const cap = vscode.workspace.getConfiguration('contextForge').get<number>('panel.maxOutputLines', 5000);
    let run: ActiveRun | undefined;
    const pending: Array<() => void> = [];
    const mode = this.terminalMode();
    const stopFollowing = terminal.follow(events);
    events.on('output', (e) => {
      if (!run) return;
      run.output.push(e.stepId, e.attempt, e.line.text, e.line.stream === 'stderr');
      this.output.fire({ runId: run.runId, stepId: e.stepId, attempt: e.attempt });
    });
    events.on('journal', () => run && this.scheduleRefresh(run.runId));
    events.on('stepStart', () => run && this.scheduleRefresh(run.runId));
    events.on('stepComplete', (e) => {
      if (run && e.evidence) this.hooks.onStepEvidence?.(run, e.evidence);
      if (run) this.scheduleRefresh(run.runId);
    });
    events.on('error', (e) => this.log.warn(`${target}: ${e.message}`));
    this.reveal(terminal.terminal, 'start');
    terminal.writeLine(`Context Forge — ${target}`);
    terminal.writeLine(
      mode === 'shellIntegration'
        ? 'Commands run in a real shell terminal through shell integration; results are reported here.'
        : "Commands run in Context Forge's own process runner; their output and exact exit codes follow.",
    );
    if (needsAgent && choice.agent === undefined) terminal.writeLine(`Agent steps: ${choice.unavailable}.`);
    else if (choice.agent && choice.description) terminal.writeLine(`Agent: ${choice.description}`);

    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Context Forge: ${target}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort(new Error('cancelled from VS Code')));
        events.on('stepStart', (e) => {
          if (e.kind !== 'parallel' && e.kind !== 'if') progress.report({ message: e.name });
        });
        try {
          const scripts = await this.scripts();
          const outcome = await launch({
            events,
            signal: controller.signal,
            ...(choice.agent ? { agent: choice.agent } : {}),
            ...(scripts ? { scripts } : {}),
            onStarted: ({ runId, runDir }) => {
              run = {
                runId,
                runDir,
                target,
                controller,
                events,
                terminal,
                output: new StepOutputBuffers(cap),
              };
              this.active.set(runId, run);
              this.log.info(`run ${runId} started: ${target}`);
              this.scheduleRefresh(runId, 0);
              this.hooks.onStarted?.(run);
              for (const f of pending) f();
            },
            wrapRunner: (inner, { runId }) => {
              if (mode === 'shellIntegration') {
                const shell = new ShellIntegrationRunner(`Context Forge shell: ${target}`, { cwd: this.root });
                pending.push(() => {
                  if (run) run.shell = shell;
                });
                if (run?.runId === runId) run.shell = shell;
                return shell;
              }
              return new TerminalEchoRunner(inner, terminal);
            },
          });
          const message = outcome.state.reason;
          return { runId: outcome.runId, status: outcome.status, ...(message ? { message } : {}) } as RunResult;
        } catch (err) {
          const message =
            err instanceof RunHostError || (err as Error).name === 'RunLockedError'
              ? (err as Error).message
              : `internal error: ${(err as Error).stack ?? err}`;
          this.log.error(`${target}: ${message}`);
          return { ...(run ? { runId: run.runId } : {}), status: 'error', message } as RunResult;
        }
      },
    );
    stopFollowing();
    const finished = run as ActiveRun | undefined;
    terminal.finish(result.status === 'refused' ? 'error' : result.status, result.message);
    if (result.status !== 'passed') this.reveal(terminal.terminal, 'failure');
    if (finished) {
      finished.outcome = result.status === 'refused' ? 'error' : result.status;
      await this.refresh(finished.runId);
      this.hooks.onFinished?.(finished, result);
    } else {
      void vscode.window.showErrorMessage(`Context Forge: ${target}: ${result.message ?? 'the run could not start'}`);
    }
    this.log.info(
      `run ${result.runId ?? '(not started)'} ${result.status}${result.message ? `: ${result.message}` : ''}`,
    );
    return result;
  }

  private scheduleRefresh(runId: string, delay = 150): void {
    if (this.refreshing.has(runId)) return;
    this.refreshing.set(
      runId,
      setTimeout(() => {
        this.refreshing.delete(runId);
        void this.refresh(runId);
      }, delay),
    );
  }

  /** Re-reads a run's journal (live runs keep their folded state in memory for the status bar and the panel). */
  async refresh(runId: string): Promise<void> {
    const loaded = await this.load(runId);
    const run = this.active.get(runId);
    if (run && loaded) run.state = loaded.state;
    this.changed.fire(runId);
  }

  /** Stops a run: this window's own runs are cancelled directly; others get a stop request (or are killed). */
  async stop(runId: string, options: { force?: boolean } = {}): Promise<string> {
    const run = this.active.get(runId);
    if (run && run.outcome === undefined && !options.force) {
      run.controller.abort(new Error('stopped from VS Code'));
      return `Stopping run ${runId}…`;
    }
    const loaded = await this.load(runId);
    if (!loaded) return `No run ${runId} in this workspace.`;
    if (loaded.status !== 'running' && loaded.status !== 'unresponsive')
      return `Run ${runId} is not running (${loaded.status}).`;
    if (options.force) {
      const result = await forceStopRun(runDirOf(this.root, runId));
      return `Run ${runId} killed (${result.signalled} process(es)).`;
    }
    await requestStop(runDirOf(this.root, runId), { reason: 'stopped from VS Code' });
    return `Asked run ${runId} to stop.`;
  }

  dispose(): void {
    for (const run of this.active.values()) {
      run.controller.abort(new Error('VS Code is closing'));
      run.shell?.dispose();
    }
    for (const t of this.refreshing.values()) clearTimeout(t);
    this.changed.dispose();
    this.output.dispose();
  }
}
