/**
 * Settings of this tool: the `orchestration` key of `.claude/settings.local.json`.
 *
 * The file is shared with Claude Code: its own keys (`permissions`, `env`, `hooks`, `model`,
 * `enableAllProjectMcpServers`…) are left alone — never read, interpreted or validated here; only
 * their names are reported in `otherKeys`. A missing file or a missing `orchestration` key gives the
 * defaults (`DEFAULT_ORCHESTRATION_SETTINGS`). Each field of `orchestration` is validated on its
 * own: an invalid field is reported (positioned) and its default is used, so `value` is always a
 * complete settings object; callers that must not run on invalid settings check `hasErrors(problems)`.
 *
 * | key | type | default | meaning |
 * |---|---|---|---|
 * | `defaultTemplate` | template name | `"prp_base"` | `PRPs/templates/<name>.md` used by `/prp-create` |
 * | `validationLevel` | `basic`, `standard`, `strict` | `"standard"` | preset for `validation.mandatory`/`recommended` |
 * | `parallelExecution` | boolean | `true` | run `parallel:` steps concurrently (else one by one) |
 * | `maxConcurrent` | 1–32 | `3` | most steps or agents running at once |
 * | `contextRefreshInterval` | duration or ms, `0` = off | `"30m"` | re-read project context during long runs |
 * | `autofix.syntax` / `.tests` / `.security` | boolean | `true` / `true` / `false` | feed failures of that kind back for an automatic fix |
 * | `validation.mandatory` | levels | from `validationLevel` | levels that must pass |
 * | `validation.recommended` | levels | from `validationLevel` | levels run, failures reported as warnings |
 * | `validation.stopOnFailure` | boolean | `true` | stop at the first failing mandatory level |
 * | `retry.maxAttempts` | 1–10 | `3` | attempts per failing gate or step, the first included |
 * | `retry.backoff` | `exponential`, `fixed` | `"exponential"` | delay growth |
 * | `retry.initialDelayMs` / `maxDelayMs` | ms | `1000` / `30000` | first delay / cap |
 * | `retry.onRetry.<errorType>` | slash command line or `null` | `syntax: /fix-syntax-errors`, `test: /fix-failing-tests` | command run before retrying after that kind of failure; `null` turns a default off |
 * | `hooks.onFileChange` / `onTestFail` / `onDeploy` | hook or list of hooks | none | see `HookAction` |
 *
 * Levels are the PRP Validation Loop levels: `syntax` (Level 1), `unit` (2), `integration` (3),
 * `domain` (4). Presets: `basic` = mandatory syntax, recommended unit; `standard` = mandatory syntax +
 * unit, recommended integration + domain; `strict` = all four mandatory. Error types:
 * `syntax`, `type`, `lint`, `test`, `timeout`, `crash`, `other`.
 */
import { z } from 'zod';
import { parseSlashCommandLine } from '../commands/command-line';
import { parseSafeJson } from '../json/safe-json';
import { type Problem, problem, type ReadResult } from '../problems';
import type { ValuePath } from '../source-position';
import { decodeUtf8 } from '../text';
import { closedObject, nearest, zodProblems } from '../validation/zod-problems';
import { DURATION_PATTERN, MAX_DURATION_MS, parseDuration } from '../workflow/duration';
import { PathEscapeError, type Workspace } from '../workspace';
import type { PositionLocator } from '../yaml/safe-yaml';

export const SETTINGS_FILE = '.claude/settings.local.json';

export const VALIDATION_LEVELS = ['syntax', 'unit', 'integration', 'domain'] as const;
export type ValidationLevelName = (typeof VALIDATION_LEVELS)[number];
export const VALIDATION_PRESETS = ['basic', 'standard', 'strict'] as const;
export type ValidationPreset = (typeof VALIDATION_PRESETS)[number];
export const ERROR_TYPES = ['syntax', 'type', 'lint', 'test', 'timeout', 'crash', 'other'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** Mandatory / recommended levels of each `validationLevel` preset. */
export const PRESET_LEVELS: Record<
  ValidationPreset,
  { mandatory: ValidationLevelName[]; recommended: ValidationLevelName[] }
> = {
  basic: { mandatory: ['syntax'], recommended: ['unit'] },
  standard: { mandatory: ['syntax', 'unit'], recommended: ['integration', 'domain'] },
  strict: { mandatory: ['syntax', 'unit', 'integration', 'domain'], recommended: [] },
};

/** A hook: a slash command for the agent, or a shell script; `onFileChange` hooks may filter paths. */
export type HookAction = ({ kind: 'command'; line: string } | { kind: 'run'; script: string }) & {
  /** Globs (project-relative, `/`) a changed file must match; `onFileChange` only. Empty = any file. */
  paths: string[];
  /** Quiet time before firing after the last change, ms; `onFileChange` only. */
  debounceMs: number;
};

export interface OrchestrationSettings {
  defaultTemplate: string;
  validationLevel: ValidationPreset;
  parallelExecution: boolean;
  maxConcurrent: number;
  /** Milliseconds; 0 = never refreshed automatically. */
  contextRefreshIntervalMs: number;
  autofix: { syntax: boolean; tests: boolean; security: boolean };
  validation: { mandatory: ValidationLevelName[]; recommended: ValidationLevelName[]; stopOnFailure: boolean };
  retry: {
    maxAttempts: number;
    backoff: 'exponential' | 'fixed';
    initialDelayMs: number;
    maxDelayMs: number;
    /** Slash command line run before a retry, by kind of failure. */
    onRetry: Partial<Record<ErrorType, string>>;
  };
  hooks: { onFileChange: HookAction[]; onTestFail: HookAction[]; onDeploy: HookAction[] };
  /** Model defaults for agent steps (CLI flags override them). Never a key or a base URL: those are not project settings. */
  agent: { model?: string; maxTokens?: number; temperature?: number; maxTurns?: number };
}

export interface Settings {
  file: string;
  /** The settings file exists. */
  exists: boolean;
  orchestration: OrchestrationSettings;
  /** Names of the other top-level keys (Claude Code's), left uninterpreted. */
  otherKeys: string[];
}

export const DEFAULT_HOOK_DEBOUNCE_MS = 1500;

export const DEFAULT_ORCHESTRATION_SETTINGS: Readonly<OrchestrationSettings> = Object.freeze({
  defaultTemplate: 'prp_base',
  validationLevel: 'standard',
  parallelExecution: true,
  maxConcurrent: 3,
  contextRefreshIntervalMs: 30 * 60_000,
  autofix: { syntax: true, tests: true, security: false },
  validation: { ...PRESET_LEVELS.standard, stopOnFailure: true },
  retry: {
    maxAttempts: 3,
    backoff: 'exponential',
    initialDelayMs: 1000,
    maxDelayMs: 30_000,
    onRetry: { syntax: '/fix-syntax-errors', test: '/fix-failing-tests' },
  },
  hooks: { onFileChange: [], onTestFail: [], onDeploy: [] },
  agent: {},
} satisfies OrchestrationSettings);

/** A deep, mutable copy of the defaults. */
export function defaultOrchestrationSettings(): OrchestrationSettings {
  return structuredClone(DEFAULT_ORCHESTRATION_SETTINGS) as OrchestrationSettings;
}

// ---------------------------------------------------------------------------------------------
// Schemas (the source of `schemas/settings.schema.json`).

const slashLine = z
  .string()
  .regex(/^\s*\/[A-Za-z0-9]/, { error: 'must be a slash command line such as "/fix-failing-tests"', abort: true })
  .refine((s) => parseSlashCommandLine(s).ok, { error: 'must be a slash command line such as "/fix-failing-tests"' });

const levelList = z
  .array(z.enum(VALIDATION_LEVELS))
  .refine((l) => new Set(l).size === l.length, { error: 'lists a level twice' });

const INTERVAL_MESSAGE = 'must be a duration such as "30m" or "1h", a number of milliseconds, or 0 to turn it off';
const durationOrOff = z.union(
  [
    z
      .string()
      .regex(DURATION_PATTERN, { error: INTERVAL_MESSAGE })
      .refine((s) => s.trim() !== '', { error: INTERVAL_MESSAGE }),
    z.number().int({ error: INTERVAL_MESSAGE }).min(0).max(MAX_DURATION_MS),
  ],
  { error: INTERVAL_MESSAGE },
);

const hookObject = closedObject({
  command: slashLine.optional().describe('A slash command for the agent.'),
  run: z
    .string()
    .refine((s) => s.trim() !== '', { error: 'must not be empty' })
    .optional()
    .describe('A shell script run with /bin/sh -c.'),
  paths: z.array(z.string().min(1)).optional().describe('onFileChange: globs a changed file must match.'),
  debounceMs: z.number().int().min(0).max(600_000).optional().describe('onFileChange: quiet time before firing.'),
}).refine((h) => (h.command === undefined) !== (h.run === undefined), {
  error: 'a hook needs exactly one of `command:` (a slash command) or `run:` (a shell script)',
});
const hookEntry = z.union([slashLine, hookObject], {
  error: 'must be a slash command line such as "/context-refresh" or { command | run, paths, debounceMs }',
});
const hookList = z.union([hookEntry, z.array(hookEntry)]).nullable();

const onRetryShape = Object.fromEntries(ERROR_TYPES.map((t) => [t, slashLine.nullable().optional()])) as Record<
  ErrorType,
  z.ZodOptional<z.ZodNullable<typeof slashLine>>
>;

/** Each field of the `orchestration` object, validated separately so one bad field keeps the others. */
export const OrchestrationFieldSchemas = {
  defaultTemplate: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
      error: 'must be a template name from PRPs/templates/ without ".md", e.g. "prp_base"',
    })
    .describe('PRPs/templates/<name>.md used by /prp-create.'),
  validationLevel: z.enum(VALIDATION_PRESETS).describe('Preset for validation.mandatory / recommended.'),
  parallelExecution: z.boolean().describe('Run parallel: steps concurrently.'),
  maxConcurrent: z.number().int().min(1).max(32).describe('Most steps or agents running at once.'),
  contextRefreshInterval: durationOrOff.describe('Re-read project context during long runs; 0 turns it off.'),
  autofix: closedObject({
    syntax: z.boolean().optional(),
    tests: z.boolean().optional(),
    security: z.boolean().optional(),
  }).describe('Feed failures of each kind back to the agent for an automatic fix.'),
  validation: closedObject({
    mandatory: levelList.optional().describe('Levels that must pass.'),
    recommended: levelList.optional().describe('Levels run whose failures are warnings.'),
    stopOnFailure: z.boolean().optional().describe('Stop at the first failing mandatory level.'),
  }).refine((v) => !(v.mandatory && v.recommended && v.mandatory.some((l) => v.recommended!.includes(l))), {
    error: 'a level cannot be both mandatory and recommended',
  }),
  retry: closedObject({
    maxAttempts: z.number().int().min(1).max(10).optional(),
    backoff: z.enum(['exponential', 'fixed']).optional(),
    initialDelayMs: z.number().int().min(0).max(3_600_000).optional(),
    maxDelayMs: z.number().int().min(0).max(86_400_000).optional(),
    onRetry: closedObject(onRetryShape).optional().describe('Command run before a retry, by kind of failure.'),
  }),
  hooks: closedObject({
    onFileChange: hookList.optional(),
    onTestFail: hookList.optional(),
    onDeploy: hookList.optional(),
  }),
  agent: closedObject({
    model: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:[\]-]*$/, { error: 'must be a model id such as "claude-sonnet-5-5"' })
      .optional()
      .describe('Model id for agent steps (the command frontmatter `model:` and --model win).'),
    maxTokens: z.number().int().min(1).max(1_000_000).optional().describe('Output tokens per model response.'),
    temperature: z.number().min(0).max(1).optional().describe('Sampling temperature (older models only).'),
    maxTurns: z.number().int().min(1).max(1000).optional().describe('Model turns per agent round.'),
  }).describe('Model defaults for agent steps; API keys and base URLs never come from project files.'),
} as const;

type FieldName = keyof typeof OrchestrationFieldSchemas;

export const OrchestrationSettingsSchema = closedObject(
  Object.fromEntries(Object.entries(OrchestrationFieldSchemas).map(([k, s]) => [k, s.optional()])) as {
    [K in FieldName]: z.ZodOptional<(typeof OrchestrationFieldSchemas)[K]>;
  },
).describe('Codex Context Forge settings');

/** The whole settings file: our `orchestration` key; every other key belongs to Claude Code. */
export const SettingsFileSchema = z
  .looseObject({ orchestration: OrchestrationSettingsSchema.optional() })
  .describe('Claude Code settings.local.json with the Codex Context Forge "orchestration" block');

// ---------------------------------------------------------------------------------------------
// Reading.

/** Reads `.claude/settings.local.json`. Never throws on bad input. */
export async function readSettings(workspace: Workspace): Promise<ReadResult<Settings>> {
  const file = SETTINGS_FILE;
  const defaults: Settings = { file, exists: false, orchestration: defaultOrchestrationSettings(), otherKeys: [] };
  const stat = await workspace.fs.stat(workspace.abs(file));
  if (!stat) return { value: defaults, problems: [] };
  let abs: string;
  try {
    abs = await workspace.resolveInside(file);
  } catch (err) {
    const reason = err instanceof PathEscapeError ? err.reason : String(err);
    return {
      value: defaults,
      problems: [problem(file, 1, 1, 'path-outside-project', `${reason}; it was not read and the defaults apply`)],
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = await workspace.fs.readFile(abs);
  } catch (err) {
    const code = (err as { code?: string }).code ?? String(err);
    return { value: defaults, problems: [problem(file, 1, 1, 'read-error', `cannot read the file (${code})`)] };
  }
  const decoded = decodeUtf8(bytes, file);
  if (decoded.problems.length) return { value: { ...defaults, exists: true }, problems: decoded.problems };
  return parseSettings(decoded.text, file);
}

/** Parses the text of a settings file. */
export function parseSettings(text: string, file: string = SETTINGS_FILE): ReadResult<Settings> {
  const settings: Settings = { file, exists: true, orchestration: defaultOrchestrationSettings(), otherKeys: [] };
  const parsed = parseSafeJson(text, file);
  if (!parsed.value) return { value: settings, problems: parsed.problems };
  const { value: root, source } = parsed.value;
  if (!isRecord(root)) {
    return {
      value: settings,
      problems: [problem(file, 1, 1, 'settings-schema', 'the settings file must hold a JSON object { … }')],
    };
  }
  settings.otherKeys = Object.keys(root).filter((k) => k !== 'orchestration');
  if (!Object.hasOwn(root, 'orchestration') || root.orchestration === null) return { value: settings, problems: [] };
  const result = readOrchestration(root.orchestration, source);
  settings.orchestration = result.settings;
  return { value: settings, problems: result.problems };
}

/** Validates an `orchestration` value located at `['orchestration']` of `locator`'s document. */
export function readOrchestration(
  raw: unknown,
  locator: PositionLocator,
): { settings: OrchestrationSettings; problems: Problem[] } {
  const base: ValuePath = ['orchestration'];
  const out = defaultOrchestrationSettings();
  const problems: Problem[] = [];
  const rule = 'settings-schema';
  if (!isRecord(raw)) {
    const pos = locator.locate(base);
    problems.push(
      problem(locator.file, pos.line, pos.column, rule, '`orchestration` must be an object { … }; the defaults apply'),
    );
    return { settings: out, problems };
  }
  const fields = Object.keys(OrchestrationFieldSchemas);
  for (const key of Object.keys(raw)) {
    if (fields.includes(key)) continue;
    const pos = locator.locate([...base, key], { key: true });
    const near = nearest(key, fields);
    problems.push(
      problem(
        locator.file,
        pos.line,
        pos.column,
        rule,
        `unknown key \`${key}\` in orchestration; ${near ? `did you mean \`${near}\`? ` : ''}allowed keys: ${fields.join(', ')}`,
      ),
    );
  }
  const explicit = { mandatory: false, recommended: false };
  for (const key of fields as FieldName[]) {
    if (!Object.hasOwn(raw, key) || raw[key] === null) continue;
    const r = OrchestrationFieldSchemas[key].safeParse(raw[key], { reportInput: true });
    if (!r.success) {
      problems.push(
        ...zodProblems(r.error.issues, locator, { basePath: [...base, key], rule }).map(withDefaultNote(key)),
      );
      continue;
    }
    if (key === 'validation') {
      const v = r.data as { mandatory?: unknown; recommended?: unknown };
      explicit.mandatory = v.mandatory !== undefined;
      explicit.recommended = v.recommended !== undefined;
    }
    apply(out, key, r.data, (path, message) => {
      const pos = locator.locate([...base, key, ...path]);
      problems.push(problem(locator.file, pos.line, pos.column, rule, message));
    });
  }
  // The `validationLevel` preset supplies the level lists not written explicitly.
  const preset = PRESET_LEVELS[out.validationLevel];
  if (!explicit.mandatory) out.validation.mandatory = [...preset.mandatory];
  if (!explicit.recommended) {
    out.validation.recommended = preset.recommended.filter((l) => !out.validation.mandatory.includes(l));
  } else if (!explicit.mandatory) {
    out.validation.mandatory = out.validation.mandatory.filter((l) => !out.validation.recommended.includes(l));
  }
  return { settings: out, problems };
}

function withDefaultNote(key: string): (p: Problem) => Problem {
  return (p) => ({ ...p, message: `${p.message} (the default ${key} applies)` });
}

function apply(
  out: OrchestrationSettings,
  key: FieldName,
  data: unknown,
  error: (path: ValuePath, message: string) => void,
): void {
  switch (key) {
    case 'defaultTemplate':
      out.defaultTemplate = data as string;
      return;
    case 'validationLevel':
      out.validationLevel = data as ValidationPreset;
      return;
    case 'parallelExecution':
      out.parallelExecution = data as boolean;
      return;
    case 'maxConcurrent':
      out.maxConcurrent = data as number;
      return;
    case 'contextRefreshInterval':
      out.contextRefreshIntervalMs = typeof data === 'number' ? data : (parseDuration(data as string) ?? 0);
      return;
    case 'autofix':
      Object.assign(out.autofix, definedOnly(data as Record<string, unknown>));
      return;
    case 'validation': {
      const v = data as {
        mandatory?: ValidationLevelName[];
        recommended?: ValidationLevelName[];
        stopOnFailure?: boolean;
      };
      if (v.mandatory) out.validation.mandatory = v.mandatory;
      if (v.recommended) out.validation.recommended = v.recommended;
      if (v.stopOnFailure !== undefined) out.validation.stopOnFailure = v.stopOnFailure;
      return;
    }
    case 'retry': {
      const r = data as Partial<OrchestrationSettings['retry']> & {
        onRetry?: Record<string, string | null | undefined>;
      };
      const merged = { ...out.retry, ...definedOnly({ ...r, onRetry: undefined }) } as OrchestrationSettings['retry'];
      if (merged.maxDelayMs < merged.initialDelayMs) {
        error(
          ['maxDelayMs'],
          `retry.maxDelayMs (${merged.maxDelayMs}) is smaller than initialDelayMs (${merged.initialDelayMs}); raise it (the default retry applies)`,
        );
        return;
      }
      const onRetry = { ...out.retry.onRetry };
      for (const t of ERROR_TYPES) {
        if (!r.onRetry || !Object.hasOwn(r.onRetry, t)) continue;
        const line = r.onRetry[t];
        if (line === null) delete onRetry[t];
        else if (line !== undefined) onRetry[t] = line.trim();
      }
      out.retry = { ...merged, onRetry };
      return;
    }
    case 'agent':
      out.agent = { ...out.agent, ...definedOnly(data as Record<string, unknown>) };
      return;
    case 'hooks': {
      const h = data as Record<'onFileChange' | 'onTestFail' | 'onDeploy', unknown>;
      for (const name of ['onFileChange', 'onTestFail', 'onDeploy'] as const) {
        if (h[name] === undefined || h[name] === null) continue;
        const list = Array.isArray(h[name]) ? (h[name] as unknown[]) : [h[name]];
        out.hooks[name] = list.map((entry) => toHook(entry));
      }
      return;
    }
  }
}

function toHook(entry: unknown): HookAction {
  if (typeof entry === 'string')
    return { kind: 'command', line: entry.trim(), paths: [], debounceMs: DEFAULT_HOOK_DEBOUNCE_MS };
  const h = entry as { command?: string; run?: string; paths?: string[]; debounceMs?: number };
  const common = { paths: h.paths ?? [], debounceMs: h.debounceMs ?? DEFAULT_HOOK_DEBOUNCE_MS };
  return h.command !== undefined
    ? { kind: 'command', line: h.command.trim(), ...common }
    : { kind: 'run', script: h.run!, ...common };
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
