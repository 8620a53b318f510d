/**
 * Turning a model's tool call into either validated arguments or the `is_error` tool_result that tells
 * the model what was wrong — so invalid JSON and schema-invalid input never reach a tool.
 */
import type { z } from 'zod';
import type { RejectedToolCall, ToolCall, ToolResultBlock } from '../ports/model-client';

/** The `is_error` tool_result answering a call the client refused to hand out as executable. */
export function rejectedToolResult(call: RejectedToolCall): ToolResultBlock {
  return { type: 'tool_result', toolUseId: call.id, isError: true, content: call.message };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 10)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
}

/**
 * Validates a call's input against the tool's zod schema. On failure the tool is not run; the returned
 * tool_result (is_error) lists each problem by field so the model can correct the call.
 */
export function validateToolInput<T>(
  call: ToolCall,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; result: ToolResultBlock } {
  const parsed = schema.safeParse(call.input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    result: {
      type: 'tool_result',
      toolUseId: call.id,
      isError: true,
      content: `Invalid input for tool "${call.name}": ${describeIssues(parsed.error.issues)}. The tool was not run.`,
    },
  };
}
