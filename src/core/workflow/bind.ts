/**
 * Listing a workflow's variables and binding values to them before anything runs.
 *
 * The variables of a workflow are the ones declared under `variables:` plus any name referenced in
 * a command line or an `if:` expression. In `run:` scripts only references to those names count;
 * other `$NAME`s there are the environment's (`$HOME`, `$CI`…).
 *
 * Binding rules (the engine relies on them):
 * - A value comes from `provided`, else the declared `default`, else — for a variable declared
 *   with `required: false` — the empty string. Anything else is an error at every place the
 *   variable is used (or at its declaration when unused), reported before any step runs.
 * - **`command:` / string steps**: values are substituted into the command line in one pass
 *   (`substituteTemplate`; `$$` → `$`; a value is never re-scanned). The positional arguments are
 *   split from the line *as written*, then substituted word by word, so a value containing quotes or
 *   spaces stays inside the argument where its reference was written.
 * - **`run:` steps**: the script is handed over unchanged. Each workflow variable it references is
 *   put in `env` under its own name; the engine spawns `/bin/sh -c <script>` with that env added.
 *   A value therefore never becomes shell syntax, whatever it contains. Values must not contain NUL.
 * - **`if:` steps**: the expression is kept as written; `values` carries the bound variables for the evaluator.
 */
import { type Problem, problem, type ReadResult } from '../problems';
import { splitArguments } from '../shell/split';
import type { SourcePosition } from '../source-position';
import type { CommandStep, IfStep, ParallelStep, RunStep, Step, VariableUse, Workflow } from './schema';
import { substituteTemplate, VARIABLE_NAME } from './variables';

export interface WorkflowVariable {
  name: string;
  /** Declared under `variables:` (else only referenced). */
  declared: boolean;
  description?: string;
  default?: string;
  /** A value must be given (no default, and not declared `required: false`). */
  required: boolean;
  /** Where it is declared. */
  position?: SourcePosition;
  /** Every reference, in file order (run: script references included). */
  uses: VariableUse[];
}

/** Every variable of `workflow`: declared ones in file order, then undeclared ones by first use. */
export function workflowVariables(workflow: Workflow): WorkflowVariable[] {
  const byName = new Map<string, WorkflowVariable>();
  for (const d of workflow.variables) {
    const v: WorkflowVariable = { name: d.name, declared: true, required: d.required, position: d.position, uses: [] };
    if (d.description !== undefined) v.description = d.description;
    if (d.default !== undefined) v.default = d.default;
    byName.set(d.name, v);
  }
  const all = allSteps(workflow.steps).flatMap((s) => s.uses);
  for (const use of all) {
    if (use.context === 'run') continue;
    if (!byName.has(use.name)) byName.set(use.name, { name: use.name, declared: false, required: true, uses: [] });
  }
  for (const use of all) byName.get(use.name)?.uses.push(use);
  return [...byName.values()];
}

export interface BoundCommandStep extends Omit<CommandStep, 'kind'> {
  kind: 'command';
  /** The line with values substituted. */
  resolvedLine: string;
  /** The argument text with values substituted (what `$ARGUMENTS` becomes). */
  resolvedArgsText: string;
  /** The positional arguments (`$1`…): the written line split first, then each word substituted. */
  args: string[];
}

export interface BoundRunStep extends RunStep {
  /** Environment variables to add when running `script` with `/bin/sh -c`. */
  env: Record<string, string>;
}

export interface BoundParallelStep extends Omit<ParallelStep, 'steps'> {
  steps: BoundStep[];
}

export interface BoundIfStep extends Omit<IfStep, 'thenSteps' | 'elseSteps'> {
  thenSteps: BoundStep[];
  elseSteps: BoundStep[];
}

export type BoundStep = BoundCommandStep | BoundRunStep | BoundParallelStep | BoundIfStep;

export interface BoundWorkflow {
  name: string;
  file: string;
  /** The value of every workflow variable. */
  values: Record<string, string>;
  steps: BoundStep[];
}

/**
 * Binds `provided` values (e.g. from `--var NAME=value` or a prompt) to `workflow`. Returns every
 * problem at once — each undefined variable at each place it is used — and no value when any is an error.
 */
export function bindVariables(
  workflow: Workflow,
  provided: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
): ReadResult<BoundWorkflow> {
  const given = provided instanceof Map ? new Map(provided) : new Map(Object.entries(provided));
  const problems: Problem[] = [];
  const at = (pos: SourcePosition, rule: string, message: string, severity: 'error' | 'warning' = 'error') =>
    problems.push(problem(pos.file, pos.line, pos.column, rule, message, severity));

  const variables = workflowVariables(workflow);
  const known = new Set(variables.map((v) => v.name));
  for (const [name, value] of given) {
    if (!VARIABLE_NAME.test(name)) {
      at(
        workflow.position,
        'workflow-variable',
        `\`${name}\` is not a variable name: names are UPPER_SNAKE_CASE, e.g. FEATURE_NAME`,
      );
    } else if (!known.has(name)) {
      at(
        workflow.position,
        'workflow-variable',
        `a value was given for ${name}, but workflow ${workflow.name} does not use it; check the spelling (its variables: ${[...known].join(', ') || 'none'})`,
        'warning',
      );
    }
    if (typeof value !== 'string') {
      at(workflow.position, 'workflow-variable', `the value of ${name} must be text`);
    } else if (value.includes('\0')) {
      at(
        workflow.position,
        'workflow-variable',
        `the value of ${name} contains a NUL character, which cannot be passed to a command; remove it`,
      );
    }
  }

  const values: Record<string, string> = {};
  for (const v of variables) {
    const value = given.get(v.name) ?? v.default ?? (v.required ? undefined : '');
    if (value === undefined) {
      const how = `give it a value when starting the workflow, or add a default under \`variables:\``;
      if (v.uses.length === 0 && v.position) {
        at(v.position, 'workflow-variable-undefined', `variable ${v.name} is required but has no value; ${how}`);
      }
      for (const use of v.uses) {
        at(use.position, 'workflow-variable-undefined', `variable ${v.name} has no value; ${how}`);
      }
      continue;
    }
    values[v.name] = value;
  }
  if (problems.some((p) => p.severity === 'error')) return { value: undefined, problems };

  const lookup = (name: string) => (Object.hasOwn(values, name) ? values[name] : undefined);
  const bind = (steps: Step[]): BoundStep[] => steps.map((step) => bindStep(step));
  const bindStep = (step: Step): BoundStep => {
    switch (step.kind) {
      case 'command': {
        const written = splitArguments(step.argsText);
        return {
          ...step,
          resolvedLine: substituteTemplate(step.line, lookup),
          resolvedArgsText: substituteTemplate(step.argsText, lookup),
          args: written.words.map((w) => substituteTemplate(w, lookup)),
        };
      }
      case 'run': {
        const env: Record<string, string> = {};
        for (const use of step.uses) {
          const value = lookup(use.name);
          if (value !== undefined) env[use.name] = value;
        }
        return { ...step, env };
      }
      case 'parallel':
        return { ...step, steps: bind(step.steps) };
      case 'if':
        return { ...step, thenSteps: bind(step.thenSteps), elseSteps: bind(step.elseSteps) };
    }
  };
  return { value: { name: workflow.name, file: workflow.file, values, steps: bind(workflow.steps) }, problems };
}

/** Every step of a tree, depth first in file order. */
export function allSteps(steps: readonly Step[]): Step[] {
  const out: Step[] = [];
  const visit = (list: readonly Step[]) => {
    for (const s of list) {
      out.push(s);
      if (s.kind === 'parallel') visit(s.steps);
      if (s.kind === 'if') {
        visit(s.thenSteps);
        visit(s.elseSteps);
      }
    }
  };
  visit(steps);
  return out;
}
