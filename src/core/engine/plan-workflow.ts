/**
 * Planning: a bound workflow (variables resolved) or a single slash-command line becomes plan steps.
 * `/prp-execute <prp>` becomes an `implement` step — the agent implements, the harness gates — and
 * every other slash command an `agent` step. `run:` scripts keep their text; values travel in `env`.
 */
import { parseSlashCommandLine } from '../commands/command-line';
import type { OrchestrationSettings } from '../config/settings';
import { splitArguments } from '../shell/split';
import type { BoundStep, BoundWorkflow } from '../workflow/bind';
import type { StepRetry } from '../workflow/schema';
import type { AgentStep, ImplementStep, PlanStep } from './plan';
import type { RetryPolicy } from './retry-policy';

/** Shell steps and gates that say nothing run at most this long (a hung step must not burn hours). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30 * 60_000;

/** The slash command whose gates the harness runs itself. */
export const PRP_EXECUTE = 'prp-execute';

export interface PlanSettings {
  retry: OrchestrationSettings['retry'];
}

/** A step's `retry:` completed with the settings' retry defaults. */
export function retryPolicyOf(retry: StepRetry | undefined, settings: PlanSettings): RetryPolicy | undefined {
  if (!retry) return undefined;
  return {
    maxAttempts: retry.maxAttempts ?? settings.retry.maxAttempts,
    backoff: retry.backoff ?? settings.retry.backoff,
    initialDelayMs: retry.initialDelayMs ?? settings.retry.initialDelayMs,
    maxDelayMs: retry.maxDelayMs ?? settings.retry.maxDelayMs,
  };
}

/** A slash command as a plan step: `implement` for `/prp-execute`, `agent` otherwise. */
export function commandStep(
  base: { id: string; name: string; source?: { file: string; line: number } },
  command: string,
  argsText: string,
  args: string[],
  settings: PlanSettings,
): AgentStep | ImplementStep {
  if (command === PRP_EXECUTE && args[0]) {
    return {
      kind: 'implement',
      ...base,
      command,
      argsText,
      prp: args[0],
      maxRounds: Math.max(1, settings.retry.maxAttempts),
    };
  }
  return { kind: 'agent', ...base, command, argsText, args };
}

export function planWorkflow(workflow: BoundWorkflow, settings: PlanSettings): PlanStep[] {
  return workflow.steps.map((s) => planStep(s, workflow.file, settings));
}

function planStep(step: BoundStep, file: string, settings: PlanSettings): PlanStep {
  const retry = retryPolicyOf(step.retry, settings);
  const base = {
    id: step.id,
    name: step.label,
    source: { file, line: step.position.line },
    ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
    ...(retry ? { retry } : {}),
    ...(step.continueOnError ? { continueOnError: true } : {}),
  };
  switch (step.kind) {
    case 'command': {
      const planned = { ...commandStep(base, step.command, step.resolvedArgsText, step.args, settings), ...base };
      // Retry at one layer only: an implement step's `retry.maxAttempts` is its number of fix rounds.
      if (planned.kind === 'implement' && planned.retry) {
        planned.maxRounds = planned.retry.maxAttempts;
        delete planned.retry;
      }
      return planned;
    }
    case 'run':
      return {
        kind: 'shell',
        ...base,
        timeoutMs: base.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        script: step.script,
        env: step.env,
      };
    case 'parallel':
      return { kind: 'parallel', ...base, children: step.steps.map((s) => planStep(s, file, settings)) };
    case 'if':
      return {
        kind: 'if',
        ...base,
        condition: step.condition.expression,
        then: step.thenSteps.map((s) => planStep(s, file, settings)),
        else: step.elseSteps.map((s) => planStep(s, file, settings)),
      };
  }
}

/** `orchestrate "/command args"`: a one-step plan. */
export function planCommandLine(line: string, settings: PlanSettings): { steps: PlanStep[] } | { error: string } {
  const parsed = parseSlashCommandLine(line);
  if (!parsed.ok) return { error: parsed.message };
  const split = splitArguments(parsed.argsText);
  const step = commandStep({ id: 'command', name: line.trim() }, parsed.name, parsed.argsText, split.words, settings);
  return { steps: [step] };
}
