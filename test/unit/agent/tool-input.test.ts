import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { rejectedToolResult, validateToolInput } from '../../../src/core/agent/tool-input';

describe('tool input validation', () => {
  const schema = z.object({ path: z.string(), limit: z.number().int().positive().optional() });

  it('passes valid input through typed', () => {
    const r = validateToolInput({ id: 't1', name: 'read_file', input: { path: 'a.ts', limit: 3 } }, schema);
    assert.deepEqual(r, { ok: true, value: { path: 'a.ts', limit: 3 } });
  });

  it('turns schema-invalid input into an is_error tool_result naming each field', () => {
    const r = validateToolInput({ id: 't2', name: 'read_file', input: { path: 42, limit: -1 } }, schema);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.result.toolUseId, 't2');
    assert.equal(r.result.isError, true);
    assert.match(
      String(r.result.content),
      /^Invalid input for tool "read_file": path: .*expected string.*; limit: .*The tool was not run\.$/,
    );
  });

  it('answers a rejected call with its message as an is_error result', () => {
    assert.deepEqual(
      rejectedToolResult({ id: 't3', name: 'x', reason: 'invalid_json', rawInput: '{', message: 'not JSON' }),
      { type: 'tool_result', toolUseId: 't3', isError: true, content: 'not JSON' },
    );
  });
});
