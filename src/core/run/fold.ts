/**
 * A run's state, folded from its journal. Status, the execution panel, reports and resume all read
 * this; nothing else is stored. Unknown event types are ignored so older readers survive newer journals.
 */
import type { ResumeState } from '../engine/engine';
import { childrenOf, type PlanStep, walkPlan } from '../engine/plan';
import type { CommandEvidence, FailureClass, RunEvent, RunKind, RunStatus, StepStatus, Usage } from './events';

export type StepState = {
  id: string;
  name: string;
  kind: PlanStep['kind'];
  /** Parent step id (for containers' children and implement levels). */
  parent?: string;
  status: 'pending' | 'running' | StepStatus;
  attempts: number;
  startedAt?: number;
  finishedAt?: number;
  /** Total time over all attempts. */
  durationMs: number;
  evidence?: CommandEvidence[];
  reason?: string;
  failureClass?: FailureClass;
  usage: Usage;
  retries: number;
  /** Level number, for `level` steps. */
  level?: number;
};

export type FoldedStatus = 'running' | 'parked' | RunStatus;

export interface RunState {
  runId: string;
  kind: RunKind;
  target: string;
  status: FoldedStatus;
  startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  lastEventAt: number;
  inputHashes: Record<string, string>;
  variables: Record<string, string>;
  plan: PlanStep[];
  /** In plan order (depth-first). */
  steps: StepState[];
  stepsById: Map<string, StepState>;
  conditions: Map<string, boolean>;
  /** Steps added while running (`plan-extended`), by parent id. */
  extensions: Map<string, PlanStep[]>;
  usage: Usage;
  /** Per model: usage attributed from `usage` events. */
  models: Record<string, Usage>;
  retries: number;
  validations: { passed: number; failed: number };
  parkedUntil?: number;
  parkedReason?: string;
  cancelRequested: boolean;
  resumes: number;
  hooks: Array<{ hook: string; command: string; exitCode: number | null; durationMs: number }>;
  workTree?: { created: string[]; modified: string[]; deleted: string[]; testsAdded: number };
  reason?: string;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
}

export function addUsage(into: Usage, add: Usage): void {
  into.inputTokens += add.inputTokens;
  into.outputTokens += add.outputTokens;
  into.cacheCreationInputTokens += add.cacheCreationInputTokens;
  into.cacheReadInputTokens += add.cacheReadInputTokens;
  if (add.costUsd !== undefined) into.costUsd = (into.costUsd ?? 0) + add.costUsd;
  const tokens = add.inputTokens + add.outputTokens + add.cacheCreationInputTokens + add.cacheReadInputTokens;
  if (add.costIncomplete || (add.costUsd === undefined && tokens > 0)) into.costIncomplete = true;
}

function stepStatesOf(plan: PlanStep[]): StepState[] {
  const parents = new Map<string, string>();
  for (const step of walkPlan(plan)) {
    for (const c of childrenOf(step)) parents.set(c.id, step.id);
  }
  const states: StepState[] = [];
  for (const step of walkPlan(plan)) {
    const parent = parents.get(step.id);
    states.push({
      id: step.id,
      name: step.name,
      kind: step.kind,
      ...(parent ? { parent } : {}),
      status: 'pending',
      attempts: 0,
      durationMs: 0,
      usage: emptyUsage(),
      retries: 0,
      ...(step.kind === 'level' ? { level: step.level } : {}),
    });
  }
  return states;
}

/** Folds a journal. Returns `undefined` when it has no `run-started` event (not a run). */
export function foldRun(events: readonly RunEvent[]): RunState | undefined {
  let state: RunState | undefined;
  for (const event of events) {
    if (event.type === 'run-started') {
      const steps = stepStatesOf(event.plan);
      state = {
        runId: event.runId,
        kind: event.kind,
        target: event.target,
        status: 'running',
        startedAt: event.ts,
        lastEventAt: event.ts,
        inputHashes: event.inputHashes,
        variables: event.variables,
        plan: event.plan,
        steps,
        stepsById: new Map(steps.map((s) => [s.id, s])),
        conditions: new Map(),
        extensions: new Map(),
        usage: emptyUsage(),
        models: {},
        retries: 0,
        validations: { passed: 0, failed: 0 },
        cancelRequested: false,
        resumes: 0,
        hooks: [],
      };
      continue;
    }
    if (!state) continue;
    state.lastEventAt = Math.max(state.lastEventAt, event.ts ?? 0);
    applyEvent(state, event);
  }
  return state;
}

function stepFor(state: RunState, stepId: string): StepState {
  let step = state.stepsById.get(stepId);
  if (!step) {
    // Steps created at run time (fix commands `<id>#fix<n>`) are added after their parent.
    step = {
      id: stepId,
      name: stepId,
      kind: 'agent',
      status: 'pending',
      attempts: 0,
      durationMs: 0,
      usage: emptyUsage(),
      retries: 0,
    };
    const base = stepId.split('#')[0]!;
    const at = state.steps.findIndex((s) => s.id === base);
    if (at >= 0) {
      step.parent = base;
      state.steps.splice(at + 1, 0, step);
    } else state.steps.push(step);
    state.stepsById.set(stepId, step);
  }
  return step;
}

function applyEvent(state: RunState, event: RunEvent): void {
  switch (event.type) {
    case 'run-resumed':
      state.resumes++;
      state.status = 'running';
      delete state.parkedUntil;
      delete state.parkedReason;
      delete state.finishedAt;
      for (const s of state.steps) if (s.status === 'running') s.status = 'pending';
      break;
    case 'step-started': {
      const step = stepFor(state, event.stepId);
      if (event.name) step.name = event.name;
      if (event.kind) step.kind = event.kind;
      step.status = 'running';
      step.attempts = Math.max(step.attempts, event.attempt);
      step.startedAt ??= event.ts;
      break;
    }
    case 'step-finished': {
      const step = stepFor(state, event.stepId);
      step.status = event.status;
      step.finishedAt = event.ts;
      step.durationMs += event.durationMs;
      if (event.evidence) step.evidence = event.evidence;
      if (event.reason) step.reason = event.reason;
      else delete step.reason;
      if (event.failureClass) step.failureClass = event.failureClass;
      if (step.kind === 'level') {
        if (event.status === 'passed') state.validations.passed++;
        else if (event.status === 'failed') state.validations.failed++;
      }
      break;
    }
    case 'usage': {
      const step = stepFor(state, event.stepId);
      addUsage(step.usage, event.usage);
      addUsage(state.usage, event.usage);
      const model = event.model ?? 'unknown';
      state.models[model] ??= emptyUsage();
      addUsage(state.models[model], event.usage);
      break;
    }
    case 'condition-evaluated':
      state.conditions.set(event.stepId, event.value);
      break;
    case 'plan-extended': {
      if (state.extensions.has(event.parentId)) break;
      state.extensions.set(event.parentId, event.steps);
      const added = stepStatesOf(event.steps).map((s) => (s.parent ? s : { ...s, parent: event.parentId }));
      const at = state.steps.findIndex((s) => s.id === event.parentId);
      state.steps.splice(at < 0 ? state.steps.length : at + 1, 0, ...added);
      for (const s of added) state.stepsById.set(s.id, s);
      break;
    }
    case 'retry-scheduled':
      stepFor(state, event.stepId).retries++;
      state.retries++;
      break;
    case 'hook-ran':
      state.hooks.push({
        hook: event.hook,
        command: event.command,
        exitCode: event.exitCode,
        durationMs: event.durationMs,
      });
      break;
    case 'run-parked':
      state.status = 'parked';
      state.parkedUntil = event.until;
      state.parkedReason = event.reason;
      for (const s of state.steps) if (s.status === 'running') s.status = 'pending';
      break;
    case 'cancel-requested':
      state.cancelRequested = true;
      break;
    case 'work-tree-changes':
      state.workTree = {
        created: event.created,
        modified: event.modified,
        deleted: event.deleted,
        testsAdded: event.testsAdded,
      };
      break;
    case 'run-finished':
      state.status = event.status;
      state.finishedAt = event.ts;
      state.durationMs = event.durationMs;
      if (event.reason) state.reason = event.reason;
      break;
  }
}

/** What `--resume` needs: completed steps are skipped, attempts keep counting, `if` branches stay put. */
export function resumeStateOf(state: RunState): ResumeState {
  const completed = new Map<string, StepStatus>();
  const attempts = new Map<string, number>();
  const implementChildren = new Set<string>();
  for (const s of state.steps)
    if (s.parent && state.stepsById.get(s.parent)?.kind === 'implement') implementChildren.add(s.id);
  for (const s of state.steps) {
    attempts.set(s.id, s.attempts);
    if ((s.status === 'passed' || s.status === 'skipped') && !implementChildren.has(s.id))
      completed.set(s.id, s.status);
  }
  return { completed, attempts, conditions: new Map(state.conditions), extensions: new Map(state.extensions) };
}

/** Steps that were started but never finished: interrupted by a crash or a kill. */
export function interruptedSteps(state: RunState): StepState[] {
  return state.steps.filter((s) => s.status === 'running');
}

/** Work steps (not containers), for "step 3/7" progress. */
export function progressOf(state: RunState): { done: number; total: number; current?: StepState } {
  const leaves = state.steps.filter((s) => s.kind !== 'parallel' && s.kind !== 'if');
  const done = leaves.filter((s) => s.status === 'passed' || s.status === 'skipped' || s.status === 'failed').length;
  const current = leaves.find((s) => s.status === 'running');
  return { done, total: leaves.length, ...(current ? { current } : {}) };
}
