/**
 * Reads `.claude/orchestration.yaml` into the normalized workflow model (`schema.ts`): safe YAML,
 * then every workflow, variable declaration and step checked with messages that say what to do,
 * each step given a stable id from its place and its source position.
 *
 * Checked here: the shape of every object (unknown keys, wrong types, with "did you mean"), exactly
 * one of `command:`/`run:`/`parallel:`/`if:` per step, non-empty step lists, durations, retry bounds,
 * command-line syntax and argument quoting, variable names (grammar, reserved names), and invisible
 * Unicode (an error inside anything that runs — command lines, `run:` scripts, `if:` expressions —
 * a warning elsewhere in the file). `if:` expressions are kept as raw text with their position.
 */

import { z } from 'zod';
import { parseSlashCommandLine } from '../commands/command-line';
import { hiddenCharProblems } from '../hidden-char-problems';
import type { Problem, ReadResult } from '../problems';
import { splitArguments } from '../shell/split';
import type { SourcePosition, ValuePath } from '../source-position';
import { decodeUtf8 } from '../text';
import { closedObject, nearest, zodProblems } from '../validation/zod-problems';
import { PathEscapeError, type Workspace } from '../workspace';
import { parseSafeYaml, type YamlSource } from '../yaml/safe-yaml';
import { MAX_DURATION_MS, parseDuration } from './duration';
import {
  type DurationSchema,
  type OrchestrationFile,
  RESERVED_KEYS,
  type RetrySchema,
  type Step,
  type StepBase,
  stepCommonShape,
  type VariableDeclaration,
  VariableSchema,
  type VariableUse,
  WORKFLOW_NAME,
  type Workflow,
} from './schema';
import {
  isReservedVariableName,
  scanShellReferences,
  scanTemplate,
  VARIABLE_NAME,
  type VariableRef,
} from './variables';

export const ORCHESTRATION_FILE = '.claude/orchestration.yaml';

const RULE = 'workflow-schema';
const KIND_KEYS = ['command', 'run', 'parallel', 'if'] as const;
type Kind = (typeof KIND_KEYS)[number];

const TopLevelSchema = closedObject({
  version: z.literal(1, { error: 'must be 1 (or left out)' }).optional(),
  workflows: z.unknown().optional(),
});
const WorkflowShallowSchema = closedObject({
  description: z.string().optional(),
  variables: z.unknown().optional(),
  steps: z.unknown().optional(),
});
const list = z.array(z.unknown());
const KIND_SCHEMAS = {
  command: closedObject({ command: z.string(), ...stepCommonShape }),
  run: closedObject({
    run: z.string().refine((s) => s.trim() !== '', { error: 'must not be empty; write the shell command to run' }),
    ...stepCommonShape,
  }),
  parallel: closedObject({ parallel: list, ...stepCommonShape }),
  if: closedObject({
    if: z
      .string({ error: 'must be a condition written as text, e.g. "techStack.database === \'postgresql\'"' })
      .refine((s) => s.trim() !== '', { error: 'must not be empty; write the condition' }),
    then: list.optional(),
    else: list.optional(),
    ...stepCommonShape,
  }),
} as const;

/** Reads the project's workflows. A missing file is an empty list; never throws on bad input. */
export async function readWorkflows(workspace: Workspace): Promise<ReadResult<OrchestrationFile>> {
  const file = ORCHESTRATION_FILE;
  const empty: OrchestrationFile = { file, workflows: [] };
  const stat = await workspace.fs.stat(workspace.abs(file));
  if (!stat) return { value: empty, problems: [] };
  let abs: string;
  try {
    abs = await workspace.resolveInside(file);
  } catch (err) {
    const reason = err instanceof PathEscapeError ? err.reason : String(err);
    return {
      value: undefined,
      problems: [
        {
          file,
          line: 1,
          column: 1,
          severity: 'error',
          rule: 'path-outside-project',
          message: `${reason}; it was not read — keep the workflows file inside the project`,
        },
      ],
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = await workspace.fs.readFile(abs);
  } catch (err) {
    return {
      value: undefined,
      problems: [
        {
          file,
          line: 1,
          column: 1,
          severity: 'error',
          rule: 'read-error',
          message: `cannot read the file (${(err as { code?: string }).code ?? String(err)})`,
        },
      ],
    };
  }
  const decoded = decodeUtf8(bytes, file);
  if (decoded.problems.length) return { value: undefined, problems: decoded.problems };
  return parseWorkflows(decoded.text, file);
}

/** Parses the text of an orchestration file. Any error makes `value` undefined. */
export function parseWorkflows(text: string, file: string = ORCHESTRATION_FILE): ReadResult<OrchestrationFile> {
  const parsed = parseSafeYaml(text, file);
  if (!parsed.value) return { value: undefined, problems: parsed.problems };
  const reader = new WorkflowReader(parsed.value.source, parsed.value.value);
  const value = reader.read();
  const problems = [...parsed.problems, ...reader.problems];
  return problems.some((p) => p.severity === 'error') ? { value: undefined, problems } : { value, problems };
}

class WorkflowReader {
  readonly problems: Problem[] = [];
  /** Source ranges of everything that runs (for the hidden-character severity). */
  private readonly executable: Array<{ start: number; end: number; what: string }> = [];

  constructor(
    private readonly source: YamlSource,
    private readonly root: unknown,
  ) {}

  private get file(): string {
    return this.source.file;
  }

  read(): OrchestrationFile {
    const out: OrchestrationFile = { file: this.file, workflows: [] };
    const root = this.root;
    if (root === null || root === undefined) {
      this.error([], 'the workflows file is empty; add a `workflows:` mapping (see the documentation for an example)');
      return out;
    }
    if (!isRecord(root)) {
      this.error([], 'the workflows file must be a mapping with a `workflows:` key');
      return out;
    }
    const top = this.check(TopLevelSchema, root, []);
    if (top?.version !== undefined) out.version = top.version;
    if (!Object.hasOwn(root, 'workflows')) {
      this.error([], 'add a `workflows:` mapping: each key is a workflow name, each value has `steps:`');
    } else if (!isRecord(root.workflows)) {
      this.error(
        ['workflows'],
        '`workflows:` must be a mapping of workflow names to workflows, e.g. `build: { steps: [...] }`',
      );
    } else {
      for (const name of Object.keys(root.workflows)) {
        const wf = this.readWorkflow(name, root.workflows[name]);
        if (wf) out.workflows.push(wf);
      }
    }
    this.hiddenCharacters();
    return out;
  }

  private readWorkflow(name: string, raw: unknown): Workflow | undefined {
    const path: ValuePath = ['workflows', name];
    if (RESERVED_KEYS.has(name)) {
      this.error(path, `\`${name}\` cannot be a workflow name (it is reserved); rename the workflow`, { key: true });
      return undefined;
    }
    if (!WORKFLOW_NAME.test(name)) {
      this.error(
        path,
        `workflow name \`${name}\` is not allowed: use letters, digits, \`_\` and \`-\`, starting with a letter`,
        { key: true },
      );
    }
    if (!isRecord(raw)) {
      this.error(
        path,
        `workflow \`${name}\` must be a mapping with \`steps:\` (and optional \`description:\`, \`variables:\`)`,
      );
      return undefined;
    }
    const shallow = this.check(WorkflowShallowSchema, raw, path);
    const workflow: Workflow = {
      name,
      file: this.file,
      position: this.source.locate(path, { key: true }),
      variables: this.readVariables(raw.variables, [...path, 'variables']),
      steps: [],
    };
    if (shallow?.description !== undefined) workflow.description = shallow.description;
    if (!Object.hasOwn(raw, 'steps') || raw.steps === null) {
      this.error(path, `workflow \`${name}\` has no steps; add \`steps:\` with at least one step`, { key: true });
    } else if (!Array.isArray(raw.steps)) {
      this.error([...path, 'steps'], '`steps:` must be a list of steps (each line starting with `- `)');
    } else if (raw.steps.length === 0) {
      this.error([...path, 'steps'], '`steps:` is empty; add at least one step');
    } else {
      workflow.steps = this.readSteps(raw.steps, [...path, 'steps'], 'steps');
    }
    this.checkVariableNames(workflow);
    return workflow;
  }

  private readVariables(raw: unknown, path: ValuePath): VariableDeclaration[] {
    if (raw === undefined || raw === null) return [];
    if (!isRecord(raw)) {
      this.error(path, '`variables:` must be a mapping of names to `{ description, default, required }`');
      return [];
    }
    const out: VariableDeclaration[] = [];
    for (const name of Object.keys(raw)) {
      const vpath = [...path, name];
      if (!VARIABLE_NAME.test(name)) {
        this.error(
          vpath,
          `variable name \`${name}\` is not allowed: variable names are UPPER_SNAKE_CASE (e.g. FEATURE_NAME)`,
          { key: true },
        );
        continue;
      }
      if (isReservedVariableName(name)) {
        this.error(vpath, reservedMessage(name), { key: true });
        continue;
      }
      const value = raw[name] ?? {};
      const decl = this.check(VariableSchema, value, vpath);
      if (!decl) continue;
      const d: VariableDeclaration = {
        name,
        required: decl.required ?? decl.default === undefined,
        position: this.source.locate(vpath, { key: true }),
      };
      if (decl.description !== undefined) d.description = decl.description;
      if (decl.default !== undefined) d.default = String(decl.default);
      if (decl.required === true && decl.default !== undefined) {
        this.problems.push(
          this.source.problemAt(
            [...vpath, 'required'],
            RULE,
            `variable ${name} is required and also has a default, so the default is never used; remove one of them`,
            'warning',
            { key: true },
          ),
        );
      }
      out.push(d);
    }
    return out;
  }

  private readSteps(raw: unknown[], path: ValuePath, idPrefix: string): Step[] {
    const steps: Step[] = [];
    raw.forEach((item, i) => {
      const step = this.readStep(item, [...path, i], `${idPrefix}[${i}]`);
      if (step) steps.push(step);
    });
    return steps;
  }

  private readStep(raw: unknown, path: ValuePath, id: string): Step | undefined {
    const position = this.source.locate(path);
    if (typeof raw === 'string') return this.commandStep(raw, path, id, position, { continueOnError: false });
    if (raw === null || raw === undefined) {
      this.error(
        path,
        'empty step; write a slash command line (e.g. `- /prp-create $FEATURE_NAME`) or a mapping with `command:`, `run:`, `parallel:` or `if:`',
      );
      return undefined;
    }
    if (Array.isArray(raw)) {
      this.error(
        path,
        'a step cannot be a list; to run steps at the same time write `- parallel:` followed by the list',
      );
      return undefined;
    }
    if (!isRecord(raw)) {
      this.error(
        path,
        `a step must be a slash command line or a mapping, not ${typeof raw === 'number' ? 'a number' : String(raw)}`,
      );
      return undefined;
    }
    const kinds = KIND_KEYS.filter((k) => Object.hasOwn(raw, k));
    if (kinds.length === 0) {
      const keys = Object.keys(raw);
      const guess = keys.map((k) => nearest(k, KIND_KEYS)).find(Boolean);
      const hint = guess ? ` (did you mean \`${guess}:\`?)` : '';
      const extra =
        Object.hasOwn(raw, 'then') || Object.hasOwn(raw, 'else') ? '; `then:`/`else:` need an `if:` condition' : '';
      this.error(path, `a step needs one of \`command:\`, \`run:\`, \`parallel:\` or \`if:\`${hint}${extra}`);
      return undefined;
    }
    if (kinds.length > 1) {
      this.error(
        [...path, kinds[1]!],
        `a step can have only one of \`command:\`, \`run:\`, \`parallel:\`, \`if:\` — this one has ${kinds
          .map((k) => `\`${k}:\``)
          .join(' and ')}; split it into separate steps`,
        { key: true },
      );
      return undefined;
    }
    const kind: Kind = kinds[0]!;
    let ok = true;
    if (kind !== 'if') {
      for (const k of ['then', 'else']) {
        if (Object.hasOwn(raw, k)) {
          this.error([...path, k], `\`${k}:\` belongs to an \`if:\` step; move it there or remove it`, { key: true });
          ok = false;
        }
      }
    }
    const rest = withoutKeys(raw, kind === 'if' ? [] : ['then', 'else']);
    const shallow = this.check(KIND_SCHEMAS[kind], rest, path) as Record<string, unknown> | undefined;
    if (!shallow || !ok) return undefined;
    const common = this.common(shallow, path);
    if (!common) return undefined;
    switch (kind) {
      case 'command':
        return this.commandStep(raw.command as string, [...path, 'command'], id, position, common);
      case 'run': {
        const script = raw.run as string;
        const range = this.source.rangeOf([...path, 'run']);
        this.executable.push({ ...range, what: 'this run: script' });
        const uses = this.uses(scanShellReferences(script), script, [...path, 'run'], id, 'run');
        return { kind: 'run', id, path, position, label: common.name ?? firstLine(script), ...common, uses, script };
      }
      case 'parallel': {
        const items = raw.parallel as unknown[];
        if (items.length === 0) {
          this.error([...path, 'parallel'], '`parallel:` is empty; list the steps to run at the same time');
          return undefined;
        }
        const steps = this.readSteps(items, [...path, 'parallel'], `${id}.parallel`);
        return {
          kind: 'parallel',
          id,
          path,
          position,
          label: common.name ?? `parallel (${items.length} steps)`,
          ...common,
          uses: [],
          steps,
        };
      }
      case 'if': {
        const expression = raw.if as string;
        const condPath = [...path, 'if'];
        const range = this.source.rangeOf(condPath);
        this.executable.push({ ...range, what: 'this if: condition' });
        const thenRaw = raw.then as unknown[] | undefined;
        if (!Object.hasOwn(raw, 'then') || thenRaw === null) {
          this.error(path, 'an `if:` step needs `then:` with the steps to run when the condition holds');
          return undefined;
        }
        if (thenRaw!.length === 0) {
          this.error([...path, 'then'], '`then:` is empty; list at least one step');
          return undefined;
        }
        const elseRaw = raw.else as unknown[] | undefined | null;
        if (Array.isArray(elseRaw) && elseRaw.length === 0) {
          this.error([...path, 'else'], '`else:` is empty; list at least one step or remove `else:`');
          return undefined;
        }
        const uses = this.uses(scanTemplate(expression), expression, condPath, id, 'if');
        return {
          kind: 'if',
          id,
          path,
          position,
          label: common.name ?? `if ${expression.trim()}`,
          ...common,
          uses,
          condition: { expression, position: this.source.locate(condPath) },
          thenSteps: this.readSteps(thenRaw!, [...path, 'then'], `${id}.then`),
          elseSteps: Array.isArray(elseRaw) ? this.readSteps(elseRaw, [...path, 'else'], `${id}.else`) : [],
        };
      }
    }
  }

  private commandStep(
    line: string,
    linePath: ValuePath,
    id: string,
    position: SourcePosition,
    common: Omit<StepBase, 'id' | 'path' | 'position' | 'label' | 'uses'>,
  ): Step | undefined {
    const stepPath = linePath[linePath.length - 1] === 'command' ? linePath.slice(0, -1) : linePath;
    const range = this.source.rangeOf(linePath);
    this.executable.push({ ...range, what: 'this command line' });
    const parsed = parseSlashCommandLine(line);
    if (!parsed.ok) {
      const hint =
        line.trim() && !line.trim().startsWith('/') ? '; to run a shell command write `run: <command>` instead' : '';
      this.error(linePath, `${parsed.message}${hint}`);
      return undefined;
    }
    const split = splitArguments(parsed.argsText);
    if (!split.ok) {
      this.error(linePath, split.message);
      return undefined;
    }
    const uses = this.uses(scanTemplate(line), line, linePath, id, 'command');
    return {
      kind: 'command',
      id,
      path: stepPath,
      position,
      label: common.name ?? line.trim(),
      ...common,
      uses,
      line,
      command: parsed.name,
      argsText: parsed.argsText,
    };
  }

  /** `name`, `retry`, `timeout`, `continueOnError` of a validated step object. */
  private common(
    raw: Record<string, unknown>,
    path: ValuePath,
  ): Omit<StepBase, 'id' | 'path' | 'position' | 'label' | 'uses'> | undefined {
    const out: Omit<StepBase, 'id' | 'path' | 'position' | 'label' | 'uses'> = {
      continueOnError: raw.continueOnError === true,
    };
    if (typeof raw.name === 'string') out.name = raw.name.trim();
    if (raw.retry !== undefined) {
      const retry = raw.retry as z.output<typeof RetrySchema>;
      if (
        retry.initialDelayMs !== undefined &&
        retry.maxDelayMs !== undefined &&
        retry.maxDelayMs < retry.initialDelayMs
      ) {
        this.error(
          [...path, 'retry', 'maxDelayMs'],
          `maxDelayMs (${retry.maxDelayMs}) is smaller than initialDelayMs (${retry.initialDelayMs}); raise it or lower initialDelayMs`,
        );
        return undefined;
      }
      out.retry = retry;
    }
    if (raw.timeout !== undefined) {
      const t = raw.timeout as z.output<typeof DurationSchema>;
      const ms = typeof t === 'number' ? t : parseDuration(t);
      if (ms === undefined || ms <= 0 || ms > MAX_DURATION_MS) {
        this.error([...path, 'timeout'], 'timeout must be more than zero and at most 7 days, e.g. "10m"');
        return undefined;
      }
      out.timeoutMs = ms;
    }
    return out;
  }

  /** Positions of variable references in a scalar, mapped back into the YAML source. */
  private uses(
    refs: VariableRef[],
    value: string,
    path: ValuePath,
    stepId: string,
    context: VariableUse['context'],
  ): VariableUse[] {
    if (!refs.length) return [];
    const range = this.source.rangeOf(path);
    const src = this.source.text.slice(range.start, range.end);
    const seen = new Map<string, number>();
    return refs.map((ref) => {
      const token = value.slice(ref.start, ref.end);
      const k = seen.get(token) ?? 0;
      seen.set(token, k + 1);
      let idx = -1;
      for (let n = 0, from = 0; n <= k; n++) {
        idx = src.indexOf(token, from);
        if (idx < 0) break;
        from = idx + token.length;
      }
      const offset = range.start + Math.max(idx, 0);
      const a = this.source.positionAt(offset);
      const b = this.source.positionAt(offset + (idx >= 0 ? token.length : 0));
      return {
        name: ref.name,
        stepId,
        context,
        position: { file: this.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column },
      };
    });
  }

  /** Names used in command lines / if: expressions must not be reserved (they would become env vars). */
  private checkVariableNames(workflow: Workflow): void {
    const visit = (steps: Step[]) => {
      for (const step of steps) {
        if (step.kind !== 'run') {
          for (const use of step.uses) {
            if (isReservedVariableName(use.name)) {
              this.problems.push({
                file: this.file,
                line: use.position.line,
                column: use.position.column,
                severity: 'error',
                rule: 'workflow-variable',
                message: reservedMessage(use.name),
              });
            }
          }
        }
        if (step.kind === 'parallel') visit(step.steps);
        if (step.kind === 'if') {
          visit(step.thenSteps);
          visit(step.elseSteps);
        }
      }
    };
    visit(workflow.steps);
  }

  private hiddenCharacters(): void {
    this.problems.push(
      ...hiddenCharProblems(this.source.text, this.file, {
        severity: 'warning',
        where: 'the workflows file',
        lineOffset: this.source.lineOffset,
        classify: (offset) => {
          const inside = this.executable.find((r) => offset >= r.start && offset < r.end);
          return inside ? { severity: 'error', where: inside.what } : undefined;
        },
      }),
    );
  }

  private check<T extends z.ZodType>(schema: T, value: unknown, path: ValuePath): z.output<T> | undefined {
    const r = schema.safeParse(value, { reportInput: true });
    if (r.success) return r.data;
    this.problems.push(...zodProblems(r.error.issues, this.source, { basePath: path, rule: RULE }));
    return undefined;
  }

  private error(path: ValuePath, message: string, options?: { key?: boolean }): void {
    this.problems.push(this.source.problemAt(path, RULE, message, 'error', options));
  }
}

function reservedMessage(name: string): string {
  return `\`${name}\` cannot be a workflow variable: the shell, the system or this tool gives it a meaning (it would be exported to run: steps); choose another name, e.g. APP_${name.replace(/^(LD_|DYLD_|BASH_FUNC_|LC_|CCF_)/, '')}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function withoutKeys(raw: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  if (!keys.some((k) => Object.hasOwn(raw, k))) return raw;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(raw)) {
    if (!keys.includes(k))
      Object.defineProperty(out, k, { value: raw[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function firstLine(script: string): string {
  const line = script.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
