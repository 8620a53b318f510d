/**
 * The `.claude/orchestration.yaml` file format, as zod schemas (the source of
 * `schemas/orchestration.schema.json`), and the normalized model the reader produces.
 *
 * ```yaml
 * version: 1            # optional
 * workflows:
 *   feature_complete:
 *     description: Research, plan, implement and validate a feature
 *     variables:
 *       FEATURE_NAME: { description: Short feature name, required: true }
 *       BRANCH: { default: main }
 *     steps:
 *       - /prp-create $FEATURE_NAME                 # a string step is a slash command line
 *       - command: /prp-execute PRPs/$FEATURE_NAME.md
 *         retry: { maxAttempts: 3, backoff: exponential, initialDelayMs: 1000, maxDelayMs: 30000 }
 *         timeout: 30m
 *       - parallel:
 *           - run: npm test
 *           - run: npm run lint
 *       - if: techStack.database === 'postgresql'
 *         then: [ { run: npm run db:migrate } ]
 *         else: [ /context-refresh ]
 *       - run: git push origin "$BRANCH"          # variables reach run: steps as env vars
 *         continueOnError: true
 * ```
 */
import { z } from 'zod';
import type { SourcePosition, ValuePath } from '../source-position';
import { closedObject } from '../validation/zod-problems';
import { DURATION_PATTERN, MAX_DURATION_MS } from './duration';

export const WORKFLOW_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Names that could reach an object prototype if a consumer indexed a plain object with them. */
export const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const DURATION_MESSAGE =
  'must be a duration such as "500ms", "30s", "10m" or "1h30m", or a whole number of milliseconds';

export const DurationSchema = z.union(
  [
    z
      .string()
      .regex(DURATION_PATTERN, { error: DURATION_MESSAGE })
      .refine((s) => s.trim() !== '', { error: DURATION_MESSAGE }),
    z.number().int({ error: DURATION_MESSAGE }).positive().max(MAX_DURATION_MS),
  ],
  { error: DURATION_MESSAGE },
);

export const BackoffSchema = z.enum(['exponential', 'fixed']);

export const RetrySchema = closedObject({
  maxAttempts: z.number().int().min(1).max(100).optional().describe('Total attempts including the first (1–100).'),
  backoff: BackoffSchema.optional().describe('Delay growth between attempts.'),
  initialDelayMs: z.number().int().min(0).max(3_600_000).optional().describe('Delay before the second attempt.'),
  maxDelayMs: z.number().int().min(0).max(86_400_000).optional().describe('Upper bound of any delay.'),
});

/** A slash command line as written in a step: `/name args…`. */
export const SlashLineSchema = z
  .string()
  .regex(/^\s*\/[A-Za-z0-9]/, { error: 'must be a slash command line such as "/prp-create $FEATURE_NAME"' });

/** Keys every step object may have besides its kind key. */
export const stepCommonShape = {
  name: z.string().trim().min(1).optional().describe('A label shown in progress and reports.'),
  retry: RetrySchema.optional(),
  timeout: DurationSchema.optional().describe('Kill the step after this long, e.g. "10m".'),
  continueOnError: z.boolean().optional().describe('A failure of this step does not fail the workflow.'),
};

export const CommandStepSchema = closedObject({
  command: SlashLineSchema.describe(
    'A slash command line; workflow variables ($NAME, or NAME in braces) are substituted.',
  ),
  ...stepCommonShape,
});

export const RunStepSchema = closedObject({
  run: z
    .string()
    .refine((s) => s.trim() !== '', { error: 'must not be empty' })
    .describe('A shell script run by /bin/sh -c; workflow variables are environment variables.'),
  ...stepCommonShape,
});

/** The written (input) form of a step, typed by hand because it is recursive. */
export type StepInput = string | CommandStepInput | RunStepInput | ParallelStepInput | IfStepInput;
interface StepCommonInput {
  name?: string;
  retry?: z.input<typeof RetrySchema>;
  timeout?: string | number;
  continueOnError?: boolean;
}
export interface CommandStepInput extends StepCommonInput {
  command: string;
}
export interface RunStepInput extends StepCommonInput {
  run: string;
}
export interface ParallelStepInput extends StepCommonInput {
  parallel: StepInput[];
}
export interface IfStepInput extends StepCommonInput {
  if: string;
  then: StepInput[];
  else?: StepInput[];
}
type StepList = z.ZodArray<z.ZodType<StepInput>>;

// Recursive step schemas: getters defer the reference to `StepSchema`.
export const ParallelStepSchema = closedObject({
  get parallel(): StepList {
    return z.array(StepSchema).min(1).describe('Steps run at the same time (up to maxConcurrent).');
  },
  ...stepCommonShape,
});

export const IfStepSchema = closedObject({
  if: z
    .string()
    .refine((s) => s.trim() !== '', { error: 'must not be empty' })
    .describe("A condition, e.g. techStack.database === 'postgresql'."),
  get then(): StepList {
    return z.array(StepSchema).min(1).describe('Steps run when the condition holds.');
  },
  get else(): z.ZodOptional<StepList> {
    return z.array(StepSchema).min(1).optional().describe('Steps run otherwise.');
  },
  ...stepCommonShape,
});

export const StepSchema: z.ZodType<StepInput> = z.union([
  SlashLineSchema,
  CommandStepSchema,
  RunStepSchema,
  ParallelStepSchema,
  IfStepSchema,
]);

export const VariableSchema = closedObject({
  description: z.string().optional(),
  default: z
    .union([z.string(), z.number(), z.boolean()], { error: 'must be text, a number or true/false' })
    .optional()
    .describe('Used when no value is given; makes the variable optional.'),
  required: z.boolean().optional().describe('Defaults to true when there is no default.'),
});

export const VariableNameSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, { error: 'variable names are UPPER_SNAKE_CASE, e.g. FEATURE_NAME' });

export const WorkflowSchema = closedObject({
  description: z.string().optional(),
  variables: z.record(VariableNameSchema, VariableSchema).optional(),
  steps: z.array(StepSchema).min(1),
});

export const WorkflowNameSchema = z
  .string()
  .regex(WORKFLOW_NAME, { error: 'workflow names use letters, digits, "_" and "-", starting with a letter' })
  .refine((s) => !RESERVED_KEYS.has(s), { error: 'this name is reserved' });

/** The whole `.claude/orchestration.yaml`. */
export const OrchestrationFileSchema = closedObject({
  version: z.literal(1).optional().describe('File format version (1).'),
  workflows: z.record(WorkflowNameSchema, WorkflowSchema),
}).describe('Codex Context Forge workflows (.claude/orchestration.yaml)');

export type OrchestrationFileInput = z.input<typeof OrchestrationFileSchema>;

// ---------------------------------------------------------------------------------------------
// The normalized model (what readers and the engine use).

export type Backoff = z.infer<typeof BackoffSchema>;

/** Retry settings written on a step; missing fields come from `settings.orchestration.retry`. */
export interface StepRetry {
  maxAttempts?: number;
  backoff?: Backoff;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** A reference to a workflow variable inside a step, with its exact position. */
export interface VariableUse {
  name: string;
  stepId: string;
  /** Where it appears: a command line (substituted), a run: script (passed as env), an if: expression. */
  context: 'command' | 'run' | 'if';
  position: SourcePosition;
}

export interface StepBase {
  /** Stable id from the step's place: `steps[2]`, `steps[2].parallel[1]`, `steps[0].then[0]`, `steps[0].else[1]`. */
  id: string;
  /** Value path in the file: `['workflows', 'build', 'steps', 2, 'parallel', 1]`. */
  path: ValuePath;
  position: SourcePosition;
  /** The `name:` written, or a label derived from the step (command line, first script line, condition). */
  label: string;
  name?: string;
  retry?: StepRetry;
  timeoutMs?: number;
  continueOnError: boolean;
  /**
   * Variable references written in this step (not in nested steps). For `run:` steps these are all
   * upper-case shell references; only those naming a workflow variable count (see `workflowVariables`).
   */
  uses: VariableUse[];
}

export interface CommandStep extends StepBase {
  kind: 'command';
  /** The slash command line as written (variables not yet substituted). */
  line: string;
  /** The command name without `/`. */
  command: string;
  /** The argument text as written. */
  argsText: string;
}

export interface RunStep extends StepBase {
  kind: 'run';
  /** The shell script as written; never rewritten. */
  script: string;
}

export interface ParallelStep extends StepBase {
  kind: 'parallel';
  steps: Step[];
}

export interface IfStep extends StepBase {
  kind: 'if';
  /** The raw expression and where it is (evaluated by the expression evaluator, not here). */
  condition: { expression: string; position: SourcePosition };
  /** The `then:` steps (named so the object is never mistaken for a promise-like "thenable"). */
  thenSteps: Step[];
  /** The `else:` steps; empty when there is no `else:`. */
  elseSteps: Step[];
}

export type Step = CommandStep | RunStep | ParallelStep | IfStep;

export interface VariableDeclaration {
  name: string;
  description?: string;
  /** The default as text (numbers and booleans are written as in YAML). */
  default?: string;
  /** `required:` as written, else true when there is no default. */
  required: boolean;
  position: SourcePosition;
}

export interface Workflow {
  name: string;
  file: string;
  description?: string;
  position: SourcePosition;
  /** Declared variables, in file order. */
  variables: VariableDeclaration[];
  steps: Step[];
}

export interface OrchestrationFile {
  file: string;
  version?: 1;
  workflows: Workflow[];
}
