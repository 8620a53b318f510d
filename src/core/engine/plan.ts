/**
 * A plan is the tree of steps a run executes: built from a workflow, a PRP's validation loop or a single
 * slash command, serialized into the journal's `run-started` event, and matched by step id on resume.
 * Step ids are stable for the same inputs (derived from the position in the source), never random.
 */
import type { RetryPolicy } from './retry-policy';

interface StepBase {
  id: string;
  /** A human label: the step's `name`, the command text, or "Level 2: Unit Tests". */
  name: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  continueOnError?: boolean;
  /** Where the step was written (project-relative file, 1-based line). */
  source?: { file: string; line: number };
}

/** A shell script from a workflow's `run:` (values arrive as environment variables, never pasted). */
export interface ShellStep extends StepBase {
  kind: 'shell';
  script: string;
  env: Record<string, string>;
}

/** One validation level of a PRP: its commands run in order; the level passes iff every one exits 0. */
export interface LevelStep extends StepBase {
  kind: 'level';
  level: number;
  levelName: string;
  /** A failing mandatory level fails the run; a failing recommended one is reported but does not. */
  mandatory: boolean;
  commands: GateCommand[];
  /** Set when this level is not run (not required by `validationLevel`, `--level`, `--skip-validation`): why. */
  skip?: string;
}

export interface GateCommand {
  command: string;
  /** Source line of the command in the PRP. */
  line: number;
}

/** A slash command given to the model port (`/prp-execute PRPs/x.md`). */
export interface AgentStep extends StepBase {
  kind: 'agent';
  /** The slash command's name without the slash (`prp-create`, `frontend:component`). */
  command: string;
  /** The argument text, variables already substituted (single pass). */
  argsText: string;
  /** The positional arguments (`$1`…), when known; otherwise `argsText` is split the shell way. */
  args?: string[];
}

/** Children run concurrently (at most `maxConcurrent` at once); one failing cancels its siblings. */
export interface ParallelStep extends StepBase {
  kind: 'parallel';
  children: PlanStep[];
}

/** Evaluated when reached; the decision is journaled so a resumed run takes the same branch. */
export interface IfStep extends StepBase {
  kind: 'if';
  condition: string;
  then: PlanStep[];
  else: PlanStep[];
}

/**
 * `/prp-execute`: the agent implements, then the harness runs the levels; a failing mandatory level goes
 * back to the agent with its evidence, for at most `maxRounds` rounds. Only the gates decide the outcome.
 */
export interface ImplementStep extends StepBase {
  kind: 'implement';
  command: string;
  argsText: string;
  /** The PRP whose Validation Loop gates this step (project-relative). */
  prp: string;
  /**
   * The levels, when known while planning. Otherwise they are read when the step starts (the PRP may
   * be written by an earlier step) and journaled in a `plan-extended` event.
   */
  levels?: LevelStep[];
  maxRounds: number;
}

export type PlanStep = ShellStep | LevelStep | AgentStep | ImplementStep | ParallelStep | IfStep;

/** The steps directly under a step: parallel children, both branches of an `if`, an implement step's levels. */
export function childrenOf(step: PlanStep): readonly PlanStep[] {
  switch (step.kind) {
    case 'parallel':
      return step.children;
    case 'if':
      return [...step.then, ...step.else];
    case 'implement':
      return step.levels ?? [];
    default:
      return [];
  }
}

/** Every step of a plan, depth-first, parents before children. */
export function* walkPlan(steps: readonly PlanStep[]): Generator<PlanStep> {
  const stack: PlanStep[] = [...steps].reverse();
  while (stack.length > 0) {
    const step = stack.pop()!;
    yield step;
    const children = childrenOf(step);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** Steps that do work (leaves), the unit of progress ("step 3/7"). */
export function countLeafSteps(steps: readonly PlanStep[]): number {
  let n = 0;
  for (const s of walkPlan(steps)) if (s.kind !== 'parallel' && s.kind !== 'if') n++;
  return n;
}
