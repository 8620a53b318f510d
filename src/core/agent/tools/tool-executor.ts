/**
 * Runs the model's tool calls — every one through the permission policy first:
 *
 *   input validated (zod) → `PermissionPolicy.checkToolCall` → `enforce` (deny stays deny; "ask" prompts a human
 *   when the run is interactive, and is a deny otherwise; `--yes` never approves the agent's asks) → the tool.
 *
 * Anything that stops a call — an unknown tool, invalid input, a refusal, a tool error, an exception — goes back
 * to the model as an `is_error` tool_result that says why, so it can change course. Nothing the model writes into
 * a tool call (`requires_approval: false`, "this is safe") is read by the policy.
 */
import { z } from 'zod';
import { enforce, type RunMode, type SessionApprovals } from '../../policy/enforce';
import type { PermissionPolicy } from '../../policy/policy';
import type { ApprovalsPort } from '../../ports/approvals';
import type { FileSystem } from '../../ports/file-system';
import type { ToolCall, ToolDefinition, ToolResultBlock } from '../../ports/model-client';
import type { ProcessRunner } from '../../ports/process-runner';
import { validateToolInput } from '../tool-input';
import { type AgentTool, DEFAULT_TOOL_LIMITS, type ToolContext, ToolError, type ToolLimits } from './tool';

/** What happened to one tool call, for observers (the CLI's progress lines, the extension's panel, tests). */
export interface ToolCallRecord {
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** `ran`: the tool ran (it may still have reported an error); the others: it did not run. */
  outcome: 'ran' | 'invalid' | 'refused' | 'unknown-tool';
  isError: boolean;
  /** The policy's or the user's reason, when refused. */
  reason?: string;
  changed?: string[];
  durationMs: number;
}

export interface ToolExecutorOptions {
  root: string;
  fs: FileSystem;
  runner: ProcessRunner;
  policy: PermissionPolicy;
  approvals?: ApprovalsPort;
  mode: RunMode;
  session?: SessionApprovals;
  tools: readonly AgentTool<unknown>[];
  limits?: Partial<ToolLimits>;
  /** Shown in approval prompts: who asks (run, step, command). */
  context?: string;
  commandEnv?: Readonly<Record<string, string>>;
  now?: () => number;
  onToolCall?: (record: ToolCallRecord) => void;
}

/** Environment overrides for commands the agent runs: API keys blanked so no command can print them. */
export const AGENT_COMMAND_ENV: Readonly<Record<string, string>> = Object.freeze({
  ANTHROPIC_API_KEY: '',
  CLAUDE_API_KEY: '',
  ANTHROPIC_AUTH_TOKEN: '',
});

export class ToolExecutor {
  private readonly byName: Map<string, AgentTool<unknown>>;
  private readonly limits: ToolLimits;

  constructor(private readonly options: ToolExecutorOptions) {
    this.byName = new Map(options.tools.map((t) => [t.name, t]));
    this.limits = { ...DEFAULT_TOOL_LIMITS, ...options.limits };
  }

  /** The tool definitions for the request (see `toolDefinitions`). */
  definitions(): ToolDefinition[] {
    return toolDefinitions(this.options.tools);
  }

  /** Runs one call and answers it with exactly one tool_result. Never throws (except when cancelled mid-call). */
  async execute(call: ToolCall, signal: AbortSignal): Promise<ToolResultBlock> {
    const now = this.options.now ?? Date.now;
    const started = now();
    const record = (r: Omit<ToolCallRecord, 'id' | 'name' | 'input' | 'durationMs'>) =>
      this.options.onToolCall?.({ id: call.id, name: call.name, input: call.input, durationMs: now() - started, ...r });
    const fail = (content: string): ToolResultBlock => ({
      type: 'tool_result',
      toolUseId: call.id,
      isError: true,
      content,
    });

    const tool = this.byName.get(call.name);
    if (!tool) {
      record({ outcome: 'unknown-tool', isError: true });
      return fail(`There is no tool named "${call.name}". Available tools: ${[...this.byName.keys()].join(', ')}.`);
    }
    const valid = validateToolInput(call, tool.input);
    if (!valid.ok) {
      record({ outcome: 'invalid', isError: true });
      return valid.result;
    }
    const decision = await this.options.policy.checkToolCall({ tool: call.name, input: valid.value });
    const target = tool.target(valid.value);
    const enforced = await enforce({
      decision,
      origin: 'agent',
      mode: this.options.mode,
      kind: tool.access,
      target,
      ...(this.options.approvals ? { approvals: this.options.approvals } : {}),
      ...(this.options.session ? { session: this.options.session } : {}),
      ...(this.options.context ? { context: this.options.context } : {}),
      signal,
    });
    if (!enforced.allowed) {
      record({ outcome: 'refused', isError: true, reason: enforced.reason });
      return fail(
        `Permission denied for ${call.name} ${JSON.stringify(target)}: ${enforced.reason}. The tool was not run.`,
      );
    }

    const ctx: ToolContext = {
      root: this.options.root,
      fs: this.options.fs,
      runner: this.options.runner,
      policy: this.options.policy,
      signal,
      limits: this.limits,
      commandEnv: this.options.commandEnv ?? AGENT_COMMAND_ENV,
    };
    try {
      const out = await tool.run(valid.value, ctx);
      record({ outcome: 'ran', isError: Boolean(out.isError), ...(out.changed ? { changed: out.changed } : {}) });
      return {
        type: 'tool_result',
        toolUseId: call.id,
        content: out.content,
        ...(out.isError ? { isError: true } : {}),
      };
    } catch (err) {
      if (signal.aborted) throw err;
      const message = err instanceof ToolError ? err.message : `the tool failed: ${(err as Error)?.message ?? err}`;
      record({ outcome: 'ran', isError: true });
      return fail(message);
    }
  }
}

/** Tool definitions for a request, the last one marked as a cache breakpoint (caches the whole list). */
export function toolDefinitions(tools: readonly AgentTool<unknown>[]): ToolDefinition[] {
  const defs = tools.map(
    (t): ToolDefinition => ({ name: t.name, description: t.description, inputSchema: jsonSchemaOf(t.input) }),
  );
  if (defs.length > 0) defs[defs.length - 1]!.cache = {};
  return defs;
}

/** JSON Schema of a tool's zod input, without the `$schema` line (it costs tokens and says nothing to the model). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}
