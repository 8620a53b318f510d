/**
 * What an agent tool is: a name and description for the model, a zod schema for its input (the model's JSON
 * is validated before anything runs), the kind of access it needs (what the permission policy and a human
 * approve), and the work itself — done only through ports (file system, process runner).
 *
 * A tool reports a problem the model can act on by throwing `ToolError` (or returning `isError`); the
 * executor turns either into an `is_error` tool_result. Tools never check permissions themselves: the
 * executor (`tool-executor.ts`) runs `PermissionPolicy.checkToolCall` + `enforce` before `run` is called.
 */
import type { z } from 'zod';
import type { PermissionPolicy } from '../../policy/policy';
import type { FileSystem } from '../../ports/file-system';
import type { ProcessRunner } from '../../ports/process-runner';

export type AgentToolName = 'read_file' | 'list_dir' | 'glob' | 'grep' | 'write_file' | 'edit_file' | 'run_command';

/** Caps that keep one tool call from flooding the conversation or hanging the run. */
export interface ToolLimits {
  /** Most characters of a tool result sent back to the model. */
  maxResultChars: number;
  /** Largest file read_file/edit_file/grep will open, in bytes. */
  maxFileBytes: number;
  /** Largest content write_file accepts, in bytes. */
  maxWriteBytes: number;
  /** Most entries glob/grep walk before stopping. */
  maxWalkEntries: number;
  /** run_command: default and largest timeout. */
  commandTimeoutMs: number;
  maxCommandTimeoutMs: number;
}

export const DEFAULT_TOOL_LIMITS: Readonly<ToolLimits> = Object.freeze({
  maxResultChars: 40_000,
  maxFileBytes: 2 * 1024 * 1024,
  maxWriteBytes: 1024 * 1024,
  maxWalkEntries: 20_000,
  commandTimeoutMs: 2 * 60_000,
  maxCommandTimeoutMs: 10 * 60_000,
});

export interface ToolContext {
  /** The project root (absolute): relative paths are resolved against it. */
  root: string;
  fs: FileSystem;
  runner: ProcessRunner;
  /** Used by glob/grep to leave out files the agent may not see (sensitive files, outside the project). */
  policy: PermissionPolicy;
  signal: AbortSignal;
  limits: ToolLimits;
  /** Environment overrides for run_command (e.g. API keys blanked so a command cannot print them). */
  commandEnv: Readonly<Record<string, string>>;
}

export interface ToolOutput {
  content: string;
  isError?: boolean;
  /** Project-relative files this call created or changed (for the run's evidence and observers). */
  changed?: string[];
}

export interface AgentTool<T = unknown> {
  name: AgentToolName;
  description: string;
  input: z.ZodType<T>;
  /** What a human is asked about when the policy says "ask". */
  access: 'read' | 'write' | 'command';
  /** The exact path or command the policy decided on (what an approval prompt shows and a session remembers). */
  target(input: T): string;
  run(input: T, ctx: ToolContext): Promise<ToolOutput>;
}

/** A failure the model should see as an `is_error` tool_result (bad path, text not found…). */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** A typed tool, stored in a list of tools of any input type. */
export function defineTool<T>(tool: AgentTool<T>): AgentTool<unknown> {
  return tool as AgentTool<unknown>;
}

/** `text` cut to `max` characters, keeping the head and the tail, with a note of what was left out. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.4);
  const tail = max - head;
  const omitted = text.length - head - tail;
  return `${text.slice(0, head)}\n[… ${omitted} characters omitted …]\n${text.slice(text.length - tail)}`;
}
