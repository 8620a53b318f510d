/**
 * The engine: executes a plan through ports and journals everything it observes. Pass/fail comes from
 * exit codes the process runner reports, never from the model. Retry happens here, at one layer:
 * a step's own `retry` policy, or (for `implement` steps) the fix-and-retry rounds.
 */
import type { FailureInput } from '../gates/classify-failure';
import type { Diagnostic } from '../gates/diagnostic';
import { cleanLine } from '../gates/matcher-session';
import type { AgentPort, AgentResult } from '../ports/agent';
import type { Clock } from '../ports/clock';
import type { OutputLine, ProcessRunner } from '../ports/process-runner';
import type { RunJournal } from '../ports/run-journal';
import type { CommandEvidence, EngineOutcome, FailureClass, RunEvent, StepStatus, Usage } from '../run/events';
import type { EngineEvents } from './engine-events';
import type { AgentStep, IfStep, ImplementStep, LevelStep, ParallelStep, PlanStep, ShellStep } from './plan';
import { backoffDelay, NO_RETRY } from './retry-policy';
import { Semaphore } from './semaphore';

/** Turning raw output into evidence: problem matchers, failing test names, failure classes. */
export interface GateToolkit {
  /** Starts reading one command's output (lines as they arrive). */
  startSession(command: string): {
    push(line: OutputLine): void;
    end(): { diagnostics: Diagnostic[]; failingTests: string[] };
  };
  classify(input: FailureInput): FailureClass;
}

/** A hook action: a shell script (values as environment variables) or a slash command for the agent. */
export type EngineHook = { kind: 'run'; script: string } | { kind: 'command'; line: string };

export interface EngineSettings {
  maxConcurrent: number;
  /** A failing mandatory level stops the remaining levels (`validation.stopOnFailure`). */
  stopOnFailure: boolean;
  /** `retry.onRetry`: the slash command to run before the next attempt, per failure class. */
  onRetry: Partial<Record<FailureClass, string>>;
  autofix: { syntax: boolean; tests: boolean; security: boolean };
  hooks: { onTestFail: EngineHook[]; onDeploy: EngineHook[] };
  /** Lines of output kept in the journal per command (the full output is in the log file). */
  outputTailLines: number;
}

export interface EngineDeps {
  /** Project root: the working directory of every command. */
  root: string;
  runner: ProcessRunner;
  clock: Clock;
  journal: RunJournal;
  events: EngineEvents;
  gates: GateToolkit;
  agent?: AgentPort;
  settings: EngineSettings;
  /** Evaluates an `if:` condition against the project facts and the run's variables. */
  evaluateCondition(expression: string): { value: boolean } | { error: string };
  /** Added to every command's environment (e.g. `CCF_RUN_ID`). */
  env?: Record<string, string>;
  /**
   * Reads a PRP's validation levels when an `implement` step starts (the PRP may be written by an
   * earlier step). Read once per step: the agent editing the PRP afterwards cannot change its gates.
   */
  loadLevels?(prp: string, parentId: string): Promise<{ levels: LevelStep[] } | { error: string }>;
}

/** What an earlier (interrupted, failed or parked) invocation of the same run already did. */
export interface ResumeState {
  /** Steps finished as passed or skipped: not run again. */
  completed: ReadonlyMap<string, StepStatus>;
  /** The last attempt number started per step, so attempt numbers keep counting up. */
  attempts: ReadonlyMap<string, number>;
  /** Recorded `if` decisions, so a resumed run takes the same branch. */
  conditions: ReadonlyMap<string, boolean>;
  /** Levels recorded by `plan-extended` events, so a resumed run gates with the same commands. */
  extensions: ReadonlyMap<string, PlanStep[]>;
}

export const EMPTY_RESUME: ResumeState = {
  completed: new Map(),
  attempts: new Map(),
  conditions: new Map(),
  extensions: new Map(),
};

interface LeafOutcome {
  status: StepStatus | 'parked';
  evidence?: CommandEvidence[];
  usage?: Usage;
  reason?: string;
  failureClass?: FailureClass;
  failingTests?: string[];
  parkedUntil?: number;
}

type Outcome = StepStatus | 'parked';

class Parked extends Error {
  constructor(
    readonly until: number,
    reason: string,
  ) {
    super(reason);
  }
}

export class Engine {
  private readonly slots: Semaphore;
  private resume: ResumeState = EMPTY_RESUME;
  private readonly attempts = new Map<string, number>();
  private readonly extensions = new Map<string, LevelStep[]>();

  constructor(private readonly deps: EngineDeps) {
    this.slots = new Semaphore(Math.max(1, deps.settings.maxConcurrent));
  }

  /** Runs the plan to the end (or until cancelled or parked) and journals `run-finished` unless parked. */
  async run(
    plan: readonly PlanStep[],
    signal: AbortSignal,
    resume: ResumeState = EMPTY_RESUME,
  ): Promise<EngineOutcome> {
    this.resume = resume;
    const started = this.deps.clock.now();
    let outcome: EngineOutcome;
    try {
      const status = await this.runSequence(plan, signal);
      outcome = signal.aborted ? 'cancelled' : status === 'skipped' ? 'passed' : status;
    } catch (err) {
      if (!(err instanceof Parked)) throw err;
      await this.append({ type: 'run-parked', ts: this.deps.clock.now(), until: err.until, reason: err.message }, true);
      return 'parked';
    }
    const durationMs = this.deps.clock.now() - started;
    const status = outcome === 'parked' ? 'failed' : outcome;
    await this.append({ type: 'run-finished', ts: this.deps.clock.now(), status, durationMs }, true);
    this.deps.events.emit('complete', { status, durationMs });
    return status;
  }

  private async append(event: RunEvent, sync = false): Promise<void> {
    await this.deps.journal.append(event, { sync });
    this.deps.events.emit('journal', event);
  }

  /** Steps in order. Returns `failed` as soon as a blocking step fails. */
  private async runSequence(steps: readonly PlanStep[], signal: AbortSignal): Promise<Outcome> {
    let failedButContinued = false;
    for (const step of steps) {
      if (signal.aborted) return 'cancelled';
      const status = await this.runStep(step, signal);
      if (status === 'parked') return 'parked';
      if (status === 'cancelled') return 'cancelled';
      if (status !== 'failed') continue;
      if (step.continueOnError || (step.kind === 'level' && !step.mandatory)) continue;
      if (step.kind === 'level' && !this.deps.settings.stopOnFailure) {
        failedButContinued = true;
        continue;
      }
      return 'failed';
    }
    return failedButContinued ? 'failed' : 'passed';
  }

  private async runStep(step: PlanStep, signal: AbortSignal): Promise<Outcome> {
    const done = this.resume.completed.get(step.id);
    if (done === 'passed' || done === 'skipped') return done;
    switch (step.kind) {
      case 'shell':
        return this.runLeaf(step, signal, (attempt, s) => this.runShell(step, attempt, s));
      case 'level':
        if (step.skip) return this.recordSkipped(step, step.skip);
        return this.runLeaf(step, signal, (attempt, s) => this.runLevel(step, attempt, s));
      case 'agent':
        return this.runLeaf(step, signal, (attempt, s) => this.runAgent(step, attempt, s));
      case 'implement':
        return this.runImplement(step, signal);
      case 'parallel':
        return this.runContainer(step, signal, (s) => this.runParallel(step, s));
      case 'if':
        return this.runContainer(step, signal, (s) => this.runIf(step, s));
    }
  }

  /** A step decided not to run: journaled as skipped, with the reason. */
  private async recordSkipped(step: PlanStep, reason: string): Promise<Outcome> {
    const attempt = this.nextAttempt(step.id);
    const startedAt = this.deps.clock.now();
    await this.started(step, attempt);
    await this.finished(step, attempt, startedAt, { status: 'skipped', reason });
    return 'skipped';
  }

  private nextAttempt(stepId: string): number {
    const n = (this.attempts.get(stepId) ?? this.resume.attempts.get(stepId) ?? 0) + 1;
    this.attempts.set(stepId, n);
    return n;
  }

  private async started(step: PlanStep, attempt: number, dynamic = false): Promise<void> {
    const event = {
      type: 'step-started' as const,
      ts: this.deps.clock.now(),
      stepId: step.id,
      attempt,
      ...(dynamic ? { name: step.name, kind: step.kind } : {}),
    };
    // Not fsync'd: if it is lost in a crash, the step looks not started and is run again on resume either way.
    // The step's end is what must survive (`finished` syncs), so a completed step is never lost.
    await this.append(event);
    this.deps.events.emit('stepStart', { ...event, name: step.name, kind: step.kind });
  }

  private async finished(step: PlanStep, attempt: number, startedAt: number, outcome: LeafOutcome): Promise<void> {
    const status: StepStatus = outcome.status === 'parked' ? 'cancelled' : outcome.status;
    const event = {
      type: 'step-finished' as const,
      ts: this.deps.clock.now(),
      stepId: step.id,
      attempt,
      status,
      durationMs: Math.round(this.deps.clock.now() - startedAt),
      ...(outcome.evidence ? { evidence: outcome.evidence } : {}),
      ...(outcome.usage ? { usage: outcome.usage } : {}),
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.failureClass ? { failureClass: outcome.failureClass } : {}),
    };
    await this.append(event, true);
    this.deps.events.emit('stepComplete', { ...event, name: step.name, kind: step.kind });
  }

  /** A step that does work itself, with its retry policy, `onRetry` fix commands and hooks. */
  private async runLeaf(
    step: ShellStep | LevelStep | AgentStep,
    signal: AbortSignal,
    once: (attempt: number, signal: AbortSignal) => Promise<LeafOutcome>,
  ): Promise<Outcome> {
    const policy = step.retry ?? NO_RETRY;
    for (let tries = 1; ; tries++) {
      if (signal.aborted) return 'cancelled';
      const attempt = this.nextAttempt(step.id);
      const startedAt = this.deps.clock.now();
      await this.started(step, attempt);
      let outcome: LeafOutcome;
      try {
        outcome = await once(attempt, signal);
      } catch (err) {
        if (signal.aborted) outcome = { status: 'cancelled', reason: 'cancelled' };
        else outcome = { status: 'failed', failureClass: 'crash', reason: `internal error: ${(err as Error).message}` };
      }
      if (signal.aborted && outcome.status !== 'passed') outcome = { ...outcome, status: 'cancelled' };
      await this.finished(step, attempt, startedAt, outcome);
      if (outcome.status === 'parked')
        throw new Parked(outcome.parkedUntil ?? this.deps.clock.now(), outcome.reason ?? 'parked');
      if (outcome.status !== 'failed') {
        if (outcome.status === 'passed') await this.afterPassed(step, signal);
        return outcome.status;
      }
      this.deps.events.emit('error', { stepId: step.id, message: `${step.name}: ${outcome.reason ?? 'failed'}` });
      await this.afterFailed(step, outcome, signal);
      if (tries >= policy.maxAttempts || signal.aborted) return signal.aborted ? 'cancelled' : 'failed';
      const failureClass = outcome.failureClass ?? 'other';
      const fixCommand = this.fixCommandFor(failureClass);
      const delayMs = backoffDelay(policy, tries, this.deps.clock.random());
      await this.append({
        type: 'retry-scheduled',
        ts: this.deps.clock.now(),
        stepId: step.id,
        nextAttempt: attempt + 1,
        delayMs,
        failureClass,
        ...(fixCommand ? { fixCommand } : {}),
      });
      if (fixCommand) {
        const fix = await this.runFix(step, attempt, fixCommand, describeFailure(step.name, outcome), signal);
        if (fix === 'parked' || fix === 'cancelled') return fix;
      }
      try {
        await this.deps.clock.sleep(delayMs, signal);
      } catch {
        return 'cancelled';
      }
    }
  }

  /** `retry.onRetry[class]`, if the matching `autofix` switch allows it. */
  private fixCommandFor(failureClass: FailureClass): string | undefined {
    const command = this.deps.settings.onRetry[failureClass];
    if (!command) return undefined;
    const { autofix } = this.deps.settings;
    const allowed =
      failureClass === 'test'
        ? autofix.tests
        : failureClass === 'syntax' || failureClass === 'type' || failureClass === 'lint'
          ? autofix.syntax
          : true;
    return allowed ? command : undefined;
  }

  /** Runs the fix command as an agent step of its own (`<step>#fix<attempt>`), fed with the failure. */
  private async runFix(
    step: PlanStep,
    attempt: number,
    commandLine: string,
    feedback: string,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const { name, args } = splitCommandLine(commandLine);
    const fixStep: AgentStep = {
      kind: 'agent',
      id: `${step.id}#fix${attempt}`,
      name: `${commandLine} (fix for ${step.name})`,
      command: name,
      argsText: args,
    };
    const fixAttempt = this.nextAttempt(fixStep.id);
    const startedAt = this.deps.clock.now();
    await this.started(fixStep, fixAttempt, true);
    const outcome = await this.runAgent(fixStep, fixAttempt, signal, feedback);
    await this.finished(fixStep, fixAttempt, startedAt, outcome);
    if (outcome.status === 'parked')
      throw new Parked(outcome.parkedUntil ?? this.deps.clock.now(), outcome.reason ?? 'parked');
    return outcome.status;
  }

  private async afterFailed(step: PlanStep, outcome: LeafOutcome, signal: AbortSignal): Promise<void> {
    const tests = outcome.failingTests ?? [];
    if (outcome.failureClass !== 'test' || tests.length === 0) return;
    for (const hook of this.deps.settings.hooks.onTestFail) {
      await this.runHook(
        'onTestFail',
        hook,
        { TEST_NAME: tests[0]!, TEST_NAMES: tests.join('\n'), CCF_STEP: step.name },
        signal,
      );
    }
  }

  private async afterPassed(step: PlanStep, signal: AbortSignal): Promise<void> {
    if (!isDeployStep(step)) return;
    for (const hook of this.deps.settings.hooks.onDeploy)
      await this.runHook('onDeploy', hook, { CCF_STEP: step.name }, signal);
  }

  /**
   * Hooks are project commands like any other: values reach a script as environment variables only; a
   * slash-command hook runs as an agent step with the values named in its argument text.
   */
  private async runHook(
    hook: string,
    action: EngineHook,
    env: Record<string, string>,
    signal: AbortSignal,
  ): Promise<void> {
    const started = this.deps.clock.now();
    let exitCode: number | null = null;
    let command: string;
    if (action.kind === 'run') {
      command = action.script;
      const result = await this.slots
        .use(signal, () =>
          this.deps.runner.run(
            { script: action.script, cwd: this.deps.root, env: { ...this.deps.env, ...env }, timeoutMs: 10 * 60_000 },
            { signal },
          ),
        )
        .catch(() => undefined);
      exitCode = result?.exitCode ?? null;
    } else {
      command = action.line;
      const { name, args } = splitCommandLine(action.line);
      const context = Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n');
      const result = this.deps.agent
        ? await this.slots
            .use(signal, () =>
              this.deps.agent!.run({
                stepId: `hook:${hook}`,
                attempt: 1,
                command: name,
                argsText: args,
                feedback: context,
                signal,
              }),
            )
            .catch(() => undefined)
        : undefined;
      exitCode = result?.status === 'completed' ? 0 : 1;
    }
    await this.append({
      type: 'hook-ran',
      ts: this.deps.clock.now(),
      hook,
      command,
      exitCode,
      durationMs: this.deps.clock.now() - started,
    });
  }

  private async runShell(step: ShellStep, attempt: number, signal: AbortSignal): Promise<LeafOutcome> {
    const evidence = await this.runCommand(step.id, attempt, step.name, step.script, step.env, step.timeoutMs, signal);
    if (evidence.exitCode === 0) return { status: 'passed', evidence: [evidence] };
    const failureClass = this.classify(undefined, undefined, evidence);
    evidence.failureClass = failureClass;
    const failingTests = evidence.failingTests ?? [];
    return { status: 'failed', evidence: [evidence], failureClass, failingTests, reason: exitReason(evidence) };
  }

  /**
   * The level's commands in order; the first failure ends the level (later commands may depend on it).
   * What a command leaves running (`server &`) stays up for the rest of the level, then is stopped.
   */
  private async runLevel(step: LevelStep, attempt: number, signal: AbortSignal): Promise<LeafOutcome> {
    const evidence: CommandEvidence[] = [];
    const background: Array<() => Promise<void>> = [];
    try {
      for (const [i, gate] of step.commands.entries()) {
        if (signal.aborted) return { status: 'cancelled', evidence, reason: 'cancelled' };
        const label = `${step.name} — command ${i + 1}`;
        const ev = await this.runCommand(
          step.id,
          attempt,
          label,
          gate.command,
          {},
          step.timeoutMs,
          signal,
          i,
          background,
        );
        evidence.push(ev);
        if (ev.exitCode !== 0) {
          const failureClass = this.classify(step.levelName, step.level, ev);
          ev.failureClass = failureClass;
          const failingTests = ev.failingTests ?? [];
          return {
            status: signal.aborted ? 'cancelled' : 'failed',
            evidence,
            failureClass,
            failingTests,
            reason: `${exitReason(ev)}: ${gate.command}`,
          };
        }
      }
    } finally {
      for (const stop of background.reverse()) await stop().catch(() => undefined);
    }
    if (step.commands.length === 0) return { status: 'skipped', evidence, reason: 'level has no commands' };
    return { status: 'passed', evidence };
  }

  private classify(levelName: string | undefined, levelNumber: number | undefined, ev: CommandEvidence): FailureClass {
    return this.deps.gates.classify({
      ...(levelName ? { levelName } : {}),
      ...(levelNumber !== undefined ? { levelNumber } : {}),
      command: ev.command,
      exitCode: ev.exitCode,
      timedOut: ev.timedOut ?? false,
      signal: ev.signal ?? null,
      ...(ev.spawnError ? { spawnError: ev.spawnError } : {}),
      diagnostics: ev.diagnostics,
      failedTests: (ev.failingTests ?? []).map((id) => ({ id, source: 'gate' })),
      outputTail: ev.outputTail.join('\n'),
    });
  }

  private async runCommand(
    stepId: string,
    attempt: number,
    label: string,
    script: string,
    env: Record<string, string>,
    timeoutMs: number | undefined,
    signal: AbortSignal,
    index = 0,
    background?: Array<() => Promise<void>>,
  ): Promise<CommandEvidence> {
    const { gates, journal, events, runner } = this.deps;
    const log = await journal.openLog(index === 0 ? stepId : `${stepId}.${index}`, attempt, label);
    const session = gates.startSession(script);
    const tailSize = this.deps.settings.outputTailLines;
    const tail: string[] = [];
    const onLine = (line: OutputLine): void => {
      log.write(line);
      session.push(line);
      const clean = cleanLine(line.text);
      tail.push(clean);
      if (tail.length > tailSize) tail.shift();
      events.emit('output', { stepId, attempt, line });
    };
    let keptRunning = false;
    const result = await this.slots.use(signal, () =>
      runner.run(
        {
          script,
          cwd: this.deps.root,
          env: { ...this.deps.env, ...env },
          ...(timeoutMs ? { timeoutMs } : {}),
          ...(background ? { keepBackground: true } : {}),
        },
        {
          signal,
          onLine,
          ...(background
            ? {
                onBackground: (bg) => {
                  keptRunning = true;
                  // The log stays open: the background process keeps writing to it until the level ends.
                  background.push(async () => {
                    await bg.stop();
                    await log.close();
                  });
                },
              }
            : {}),
        },
      ),
    );
    if (!keptRunning) await log.close();
    if (result.spawnError) tail.push(result.spawnError);
    const parsed = session.end();
    return {
      command: script,
      exitCode: result.exitCode,
      signal: result.signal,
      ...(result.timedOut ? { timedOut: true } : {}),
      ...(result.spawnError ? { spawnError: result.spawnError } : {}),
      durationMs: Math.round(result.durationMs),
      logFile: log.path,
      outputTail: tail,
      diagnostics: parsed.diagnostics,
      ...(parsed.failingTests.length > 0 ? { failingTests: parsed.failingTests } : {}),
    };
  }

  private async runAgent(
    step: AgentStep,
    attempt: number,
    signal: AbortSignal,
    feedback?: string,
  ): Promise<LeafOutcome> {
    const { agent } = this.deps;
    if (!agent) {
      return {
        status: 'failed',
        failureClass: 'other',
        reason: 'no model provider configured: set ANTHROPIC_API_KEY, or choose a provider with --provider',
      };
    }
    const result: AgentResult = await this.slots.use(signal, () =>
      agent.run({
        stepId: step.id,
        attempt,
        command: step.command,
        argsText: step.argsText,
        ...(step.args ? { args: step.args } : {}),
        ...(feedback ? { feedback } : {}),
        signal,
      }),
    );
    if (result.usage) {
      await this.append({
        type: 'usage',
        ts: this.deps.clock.now(),
        stepId: step.id,
        ...(result.model ? { model: result.model } : {}),
        usage: result.usage,
      });
    }
    if (result.status === 'parked') {
      return {
        status: 'parked',
        ...(result.usage ? { usage: result.usage } : {}),
        parkedUntil: result.parkedUntil ?? this.deps.clock.now(),
        reason: result.error ?? 'waiting for the model provider',
      };
    }
    if (result.status === 'failed') {
      return {
        status: 'failed',
        failureClass: 'other',
        reason: result.error ?? 'the agent failed',
        ...(result.usage ? { usage: result.usage } : {}),
      };
    }
    return { status: signal.aborted ? 'cancelled' : 'passed', ...(result.usage ? { usage: result.usage } : {}) };
  }

  /**
   * Agent round, then the gates; a failing mandatory level goes back to the agent with its evidence.
   * Each round re-runs every level: a level that passed before the last change proves nothing now.
   */
  private async runImplement(step: ImplementStep, signal: AbortSignal): Promise<Outcome> {
    let feedback: string | undefined;
    const rounds = Math.max(1, step.maxRounds);
    for (let round = 1; round <= rounds; round++) {
      if (signal.aborted) return 'cancelled';
      const attempt = this.nextAttempt(step.id);
      const startedAt = this.deps.clock.now();
      await this.started(step, attempt);
      const levels = await this.levelsOf(step);
      if ('error' in levels) {
        await this.finished(step, attempt, startedAt, {
          status: 'failed',
          failureClass: 'other',
          reason: levels.error,
        });
        return 'failed';
      }
      const agentStep: AgentStep = {
        kind: 'agent',
        id: step.id,
        name: step.name,
        command: step.command,
        argsText: step.argsText,
      };
      const agentOutcome = await this.runAgent(agentStep, attempt, signal, feedback);
      if (agentOutcome.status !== 'passed') {
        await this.finished(step, attempt, startedAt, agentOutcome);
        if (agentOutcome.status === 'parked') {
          throw new Parked(agentOutcome.parkedUntil ?? this.deps.clock.now(), agentOutcome.reason ?? 'parked');
        }
        return agentOutcome.status;
      }
      const failed: Array<{ level: LevelStep; outcome: LeafOutcome }> = [];
      for (const level of levels.levels) {
        if (signal.aborted) break;
        if (level.skip) {
          await this.recordSkipped(level, level.skip);
          continue;
        }
        const levelAttempt = this.nextAttempt(level.id);
        const levelStarted = this.deps.clock.now();
        await this.started(level, levelAttempt);
        const outcome = await this.runLevel(level, levelAttempt, signal);
        await this.finished(level, levelAttempt, levelStarted, outcome);
        if (outcome.status === 'failed') {
          await this.afterFailed(level, outcome, signal);
          if (level.mandatory) {
            failed.push({ level, outcome });
            if (this.deps.settings.stopOnFailure) break;
          }
        }
      }
      if (signal.aborted) {
        await this.finished(step, attempt, startedAt, { status: 'cancelled', reason: 'cancelled' });
        return 'cancelled';
      }
      if (failed.length === 0) {
        await this.finished(step, attempt, startedAt, {
          status: 'passed',
          ...(agentOutcome.usage ? { usage: agentOutcome.usage } : {}),
        });
        return 'passed';
      }
      const first = failed[0]!;
      const reason = `gate failed in round ${round}/${rounds}: ${first.level.name}`;
      await this.finished(step, attempt, startedAt, {
        status: 'failed',
        reason,
        ...(first.outcome.failureClass ? { failureClass: first.outcome.failureClass } : {}),
        ...(agentOutcome.usage ? { usage: agentOutcome.usage } : {}),
      });
      feedback = failed.map((f) => describeFailure(f.level.name, f.outcome)).join('\n\n');
      if (round < rounds) {
        await this.append({
          type: 'retry-scheduled',
          ts: this.deps.clock.now(),
          stepId: step.id,
          nextAttempt: attempt + 1,
          delayMs: 0,
          failureClass: first.outcome.failureClass ?? 'other',
        });
      }
    }
    return 'failed';
  }

  /** The gates of an implement step, fixed when it first starts (before the agent can touch the PRP). */
  private async levelsOf(step: ImplementStep): Promise<{ levels: LevelStep[] } | { error: string }> {
    if (step.levels) return { levels: step.levels };
    const known = this.extensions.get(step.id) ?? (this.resume.extensions.get(step.id) as LevelStep[] | undefined);
    if (known) return { levels: known };
    if (!this.deps.loadLevels) return { error: `cannot read the validation levels of ${step.prp}` };
    const loaded = await this.deps.loadLevels(step.prp, step.id);
    if ('error' in loaded) return loaded;
    if (loaded.levels.length === 0)
      return { error: `${step.prp} has no validation level with commands: nothing can prove the work` };
    this.extensions.set(step.id, loaded.levels);
    await this.append(
      { type: 'plan-extended', ts: this.deps.clock.now(), parentId: step.id, steps: loaded.levels },
      true,
    );
    return { levels: loaded.levels };
  }

  /** Containers (`parallel`, `if`) journal their own start and end so the fold knows their status. */
  private async runContainer(
    step: ParallelStep | IfStep,
    signal: AbortSignal,
    body: (signal: AbortSignal) => Promise<Outcome>,
  ): Promise<Outcome> {
    const attempt = this.nextAttempt(step.id);
    const startedAt = this.deps.clock.now();
    await this.started(step, attempt);
    let status: Outcome;
    try {
      status = await body(signal);
    } catch (err) {
      if (err instanceof Parked) {
        await this.finished(step, attempt, startedAt, { status: 'cancelled', reason: 'parked' });
      }
      throw err;
    }
    await this.finished(step, attempt, startedAt, { status: status === 'parked' ? 'cancelled' : status });
    return status;
  }

  /** All children at once under the concurrency limit; a blocking failure cancels the siblings. */
  private async runParallel(step: ParallelStep, signal: AbortSignal): Promise<Outcome> {
    const group = new AbortController();
    const onParentAbort = (): void => group.abort(signal.reason);
    if (signal.aborted) group.abort(signal.reason);
    signal.addEventListener('abort', onParentAbort, { once: true });
    let parked: Parked | undefined;
    try {
      const results = await Promise.all(
        step.children.map(async (child) => {
          try {
            const status = await this.runSequence([child], group.signal);
            if (status === 'failed' && !child.continueOnError) group.abort(new Error(`sibling failed: ${child.name}`));
            return { child, status };
          } catch (err) {
            if (err instanceof Parked) {
              parked = err;
              group.abort(err);
              return { child, status: 'parked' as const };
            }
            throw err;
          }
        }),
      );
      if (parked) throw parked;
      if (signal.aborted) return 'cancelled';
      const blocking = results.filter((r) => r.status === 'failed' && !r.child.continueOnError);
      if (blocking.length > 0) return 'failed';
      return 'passed';
    } finally {
      signal.removeEventListener('abort', onParentAbort);
    }
  }

  private async runIf(step: IfStep, signal: AbortSignal): Promise<Outcome> {
    let value = this.resume.conditions.get(step.id);
    if (value === undefined) {
      const result = this.deps.evaluateCondition(step.condition);
      if ('error' in result) {
        this.deps.events.emit('error', { stepId: step.id, message: `${step.condition}: ${result.error}` });
        return 'failed';
      }
      value = result.value;
      await this.append(
        { type: 'condition-evaluated', ts: this.deps.clock.now(), stepId: step.id, expression: step.condition, value },
        true,
      );
    }
    const branch = value ? step.then : step.else;
    if (branch.length === 0) return 'skipped';
    return this.runSequence(branch, signal);
  }
}

function exitReason(ev: CommandEvidence): string {
  if (ev.timedOut) return `timed out after ${ev.durationMs} ms`;
  if (ev.exitCode === null) return `killed by ${ev.signal ?? 'a signal'}`;
  return `exit code ${ev.exitCode}`;
}

/** The evidence a fix round gets: what failed, the parsed diagnostics and the end of the output. */
export function describeFailure(name: string, outcome: LeafOutcome): string {
  const parts = [`## ${name} failed (${outcome.reason ?? 'failed'})`];
  for (const ev of outcome.evidence ?? []) {
    if (ev.exitCode === 0) continue;
    parts.push(`Command: ${ev.command}`, `Result: ${exitReason(ev)}`);
    if (ev.diagnostics.length > 0) {
      parts.push('Diagnostics:');
      for (const d of ev.diagnostics.slice(0, 50)) {
        parts.push(
          `- ${d.file}:${d.line}:${d.column}: ${d.severity}${d.code ? ` ${d.code}` : ''}: ${d.message} (${d.source})`,
        );
      }
      if (ev.diagnostics.length > 50) parts.push(`- … and ${ev.diagnostics.length - 50} more`);
    }
    if (ev.failingTests?.length) parts.push(`Failing tests: ${ev.failingTests.join(', ')}`);
    if (ev.outputTail.length > 0) parts.push('Output (last lines):', '```', ...ev.outputTail, '```');
  }
  return parts.join('\n');
}

function splitCommandLine(line: string): { name: string; args: string } {
  const trimmed = line.trim().replace(/^\//, '');
  const space = trimmed.search(/\s/);
  return space < 0
    ? { name: trimmed, args: '' }
    : { name: trimmed.slice(0, space), args: trimmed.slice(space + 1).trim() };
}

function isDeployStep(step: PlanStep): boolean {
  const text = step.kind === 'agent' ? step.command : step.kind === 'shell' ? step.name : '';
  return /\bdeploy\b/i.test(text) || /\bdeploy\b/i.test(step.name);
}
