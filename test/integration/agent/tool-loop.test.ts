import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { type AgentTestSetup, readText, setupAgent } from '../../support/agent-harness';
import { fault, type RecordedRequest, reply } from '../../support/fake-anthropic';
import { HARNESS_START } from '../../support/model-harness';
import { removeTempDirs } from '../../support/temp-project';

type Block = { type: string; text?: string; tool_use_id?: string; is_error?: boolean; content?: unknown };

/** The blocks of the last user turn of a recorded request (the tool results the loop sent). */
function lastUserBlocks(r: RecordedRequest): Block[] {
  const m = r.body.messages[r.body.messages.length - 1]!;
  assert.equal(m.role, 'user');
  return typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : (m.content as Block[]);
}

function resultText(b: Block): string {
  return typeof b.content === 'string' ? b.content : JSON.stringify(b.content);
}

describe('agent runtime: tool loop, policy and faults (fake Messages API)', function () {
  this.timeout(30_000);
  let s: AgentTestSetup;

  afterEach(async () => {
    await s?.stop();
    removeTempDirs();
  });

  describe('permission policy', () => {
    it('a denied tool call reaches the model as an is_error result and nothing is written', async () => {
      s = await setupAgent();
      s.h.fake.enqueue(
        reply.toolUse('write_file', { path: '.vscode/settings.json', content: '{"chat.tools.autoApprove": true}' }),
        reply.toolUse('write_file', { path: '../outside.txt', content: 'escape' }),
        reply.text('I could not change the editor settings.'),
      );
      const result = await s.runtime.run(s.request('implement-feature', 'make the editor trust everything'));
      assert.equal(result.status, 'completed');
      assert.equal(existsSync(path.join(s.root, '.vscode/settings.json')), false);
      assert.equal(existsSync(path.join(s.root, '../outside.txt')), false);
      const [, second, third] = s.h.fake.messageRequests();
      for (const r of [second!, third!]) {
        const [b] = lastUserBlocks(r);
        assert.equal(b!.type, 'tool_result');
        assert.equal(b!.is_error, true);
        assert.match(resultText(b!), /Permission denied for write_file/);
        assert.match(resultText(b!), /refused/);
      }
      assert.deepEqual(
        s.observer.tools.map((t) => t.outcome),
        ['refused', 'refused'],
      );
      assert.equal(s.approvals.asked.length, 0, 'a deny is never put to a human');
    });

    it('in a non-interactive run an "ask" is a deny — also with --yes — and the command does not run', async () => {
      s = await setupAgent({ mode: { interactive: false, yes: true } });
      s.h.fake.enqueue(reply.toolUse('run_command', { command: 'touch marker.txt' }), reply.text('done'));
      await s.runtime.run(s.request('implement-feature', 'touch a file'));
      assert.equal(existsSync(path.join(s.root, 'marker.txt')), false);
      const [b] = lastUserBlocks(s.h.fake.messageRequests()[1]!);
      assert.equal(b!.is_error, true);
      assert.match(resultText(b!), /not interactive/);
      assert.match(resultText(b!), /--allow 'Bash\(touch marker\.txt\)'/);
      assert.equal(s.approvals.asked.length, 0);
    });

    it('an allow rule lets the same command run without asking; an interactive "ask" goes to the approvals port', async () => {
      s = await setupAgent({ allow: ['Bash(touch marker.txt)'] });
      s.h.fake.enqueue(reply.toolUse('run_command', { command: 'touch marker.txt' }), reply.text('done'));
      await s.runtime.run(s.request('implement-feature', 'touch a file'));
      assert.equal(existsSync(path.join(s.root, 'marker.txt')), true);
      const [b] = lastUserBlocks(s.h.fake.messageRequests()[1]!);
      assert.notEqual(b!.is_error, true);
      assert.match(resultText(b!), /\$ touch marker\.txt\nexit code 0/);
      await s.stop();

      s = await setupAgent({ mode: { interactive: true, yes: false }, answers: ['allow-once'] });
      s.h.fake.enqueue(reply.toolUse('run_command', { command: 'touch other.txt' }), reply.text('done'));
      await s.runtime.run(s.request('implement-feature', 'touch a file'));
      assert.equal(s.approvals.asked.length, 1);
      assert.equal(s.approvals.asked[0]!.kind, 'command');
      assert.equal(s.approvals.asked[0]!.command, 'touch other.txt', 'the exact command is shown');
      assert.equal(existsSync(path.join(s.root, 'other.txt')), true);
    });

    it('during /prp-execute the PRP is read-only for tools and shell commands alike', async () => {
      s = await setupAgent({ allow: ['Bash(sed:*)'] });
      const before = readText(s.root, 'PRPs/fix-add.md');
      s.h.fake.enqueue(
        reply.toolUse('edit_file', { path: 'PRPs/fix-add.md', old_text: 'npm test', new_text: 'true' }),
        reply.toolUse('write_file', { path: './PRPs/../PRPs/fix-add.md', content: 'gutted' }),
        reply.toolUse('run_command', { command: "sed -i 's/npm test/true/' PRPs/fix-add.md" }),
        reply.toolUse('read_file', { path: 'PRPs/fix-add.md' }),
        reply.text('I cannot change the PRP.'),
      );
      await s.runtime.run(s.request('prp-execute', 'PRPs/fix-add.md'));
      assert.equal(readText(s.root, 'PRPs/fix-add.md'), before);
      const requests = s.h.fake.messageRequests();
      for (const i of [1, 2, 3]) {
        const [b] = lastUserBlocks(requests[i]!);
        assert.equal(b!.is_error, true, `call ${i} refused`);
        assert.match(resultText(b!), /read-only/);
      }
      const [read] = lastUserBlocks(requests[4]!);
      assert.notEqual(read!.is_error, true, 'reading the PRP is fine');
      // Outside /prp-execute the same file is an ordinary project file.
      s.h.fake.enqueue(
        reply.toolUse('edit_file', {
          path: 'PRPs/fix-add.md',
          old_text: '# PRP: Fix add',
          new_text: '# PRP: Fix addition',
        }),
        reply.text('ok'),
      );
      await s.runtime.run(s.request('implement-feature', 'rename the PRP title'));
      assert.match(readText(s.root, 'PRPs/fix-add.md'), /Fix addition/);
    });

    it('glob and grep leave out files the agent may not read', async () => {
      s = await setupAgent();
      const { writeText } = await import('../../support/agent-harness');
      writeText(s.root, '.env', 'API_TOKEN=secret-value\n');
      writeText(s.root, 'certs/server.key', 'API_TOKEN=private\n');
      s.h.fake.enqueue(
        reply.toolUse('glob', { pattern: '**/*' }),
        reply.toolUse('grep', { pattern: 'API_TOKEN' }),
        reply.text('done'),
      );
      await s.runtime.run(s.request('implement-feature', 'find tokens'));
      const [g] = lastUserBlocks(s.h.fake.messageRequests()[1]!);
      const [r] = lastUserBlocks(s.h.fake.messageRequests()[2]!);
      assert.match(resultText(g!), /src\/math\.js/);
      assert.doesNotMatch(resultText(g!), /\.env\b|server\.key/);
      assert.match(resultText(g!), /not shown: the permission policy/);
      assert.doesNotMatch(resultText(r!), /secret-value|private/);
      assert.match(resultText(r!), /No matches/);
    });
  });

  describe('loop-level faults', () => {
    it('a stream cut after a tool call (before message_stop) is retried, and the call runs once', async () => {
      s = await setupAgent();
      const write = reply.toolUse('write_file', { path: 'notes.txt', content: 'once\n' });
      s.h.fake.enqueue(fault.cutStream(write, { afterEvents: -2 }), write, reply.text('done'));
      const result = await s.runtime.run(s.request('implement-feature', 'write a note'));
      assert.equal(result.status, 'completed');
      const requests = s.h.fake.messageRequests();
      assert.equal(requests.length, 3);
      assert.equal(requests[0]!.rawBody, requests[1]!.rawBody, 'the cut turn is sent again unchanged');
      assert.ok(requests[0]!.sentEvents!.some((e) => e.event === 'content_block_stop'));
      assert.equal(s.observer.tools.filter((t) => t.name === 'write_file').length, 1);
      assert.equal(readText(s.root, 'notes.txt'), 'once\n');
      assert.equal(s.observer.retries.length, 1);
      // The billed tokens of the cut attempt are counted.
      assert.ok(result.usage!.cacheCreationInputTokens + result.usage!.inputTokens > 0);
    });

    it('a tool call cut off by max_tokens is not executed; the model is told to continue in smaller steps', async () => {
      s = await setupAgent();
      s.h.fake.enqueue(
        fault.maxTokensInToolUse('write_file', { path: 'big.txt', content: 'x'.repeat(400) }, { text: 'Writing.' }),
        reply.toolUse('write_file', { path: 'small.txt', content: 'part 1\n' }),
        reply.text('done'),
      );
      const result = await s.runtime.run(s.request('implement-feature', 'write a big file'));
      assert.equal(result.status, 'completed');
      assert.equal(existsSync(path.join(s.root, 'big.txt')), false);
      assert.equal(readText(s.root, 'small.txt'), 'part 1\n');
      const second = s.h.fake.messageRequests()[1]!;
      const assistant = second.body.messages[second.body.messages.length - 2]!;
      assert.deepEqual(
        (assistant.content as Block[]).map((b) => b.type),
        ['text'],
        'the truncated tool_use is not sent back',
      );
      const [note] = lastUserBlocks(second);
      assert.match(note!.text ?? '', /cut off at the output token limit/);
      assert.match(note!.text ?? '', /write_file call was incomplete and was not run/);
    });

    it('complete tool calls in a turn that did not stop for tools are answered with is_error, never run', async () => {
      s = await setupAgent();
      s.h.fake.enqueue(
        reply.blocks([{ type: 'tool_use', name: 'write_file', input: { path: 'a.txt', content: 'x' } }], {
          stopReason: 'max_tokens',
        }),
        reply.blocks([{ type: 'tool_use', name: 'write_file', input: { path: 'b.txt', content: 'y' } }], {
          stopReason: 'end_turn',
        }),
      );
      const first = await s.runtime.run(s.request('implement-feature', 'x', { stepId: 'impl' }));
      assert.equal(first.status, 'completed');
      const [rejected, note] = lastUserBlocks(s.h.fake.messageRequests()[1]!);
      assert.equal(rejected!.type, 'tool_result');
      assert.equal(rejected!.is_error, true);
      assert.equal(note!.type, 'text');
      assert.equal(existsSync(path.join(s.root, 'a.txt')), false);
      assert.equal(existsSync(path.join(s.root, 'b.txt')), false);
      // The end_turn's call is answered at the start of the next round's first user turn.
      s.h.fake.enqueue(reply.text('ok'));
      await s.runtime.run(
        s.request('implement-feature', 'x', { stepId: 'impl', attempt: 2, feedback: 'Level 2 failed' }),
      );
      const [owed, feedback] = lastUserBlocks(s.h.fake.messageRequests()[2]!);
      assert.equal(owed!.type, 'tool_result');
      assert.equal(owed!.is_error, true);
      assert.match(feedback!.text ?? '', /Level 2 failed/);
    });

    it('invalid tool JSON and schema-invalid input come back as is_error results; nothing runs', async () => {
      s = await setupAgent();
      s.h.fake.enqueue(
        fault.invalidToolJson('write_file', '{"path": "a.txt", "content": '),
        reply.toolUse('edit_file', { path: 'src/math.js', old_text: 42 }),
        reply.toolUse('no_such_tool', {}),
        reply.text('giving up'),
      );
      await s.runtime.run(s.request('implement-feature', 'x'));
      const requests = s.h.fake.messageRequests();
      const texts = [1, 2, 3].map((i) => {
        const [b] = lastUserBlocks(requests[i]!);
        assert.equal(b!.is_error, true);
        return resultText(b!);
      });
      assert.match(texts[0]!, /JSON/i);
      assert.match(texts[1]!, /Invalid input for tool "edit_file": old_text/);
      assert.match(texts[2]!, /no tool named "no_such_tool"/);
      assert.equal(existsSync(path.join(s.root, 'a.txt')), false);
      assert.match(readText(s.root, 'src/math.js'), /return a - b;/);
    });

    it('edit_file fails when the old text is missing or not unique', async () => {
      s = await setupAgent();
      s.h.fake.enqueue(
        reply.toolUse('edit_file', { path: 'src/math.js', old_text: 'return a + b;', new_text: 'x' }),
        reply.toolUse('edit_file', { path: 'src/math.js', old_text: 'function', new_text: 'const' }),
        reply.text('stop'),
      );
      await s.runtime.run(s.request('implement-feature', 'x'));
      const [missing] = lastUserBlocks(s.h.fake.messageRequests()[1]!);
      const [twice] = lastUserBlocks(s.h.fake.messageRequests()[2]!);
      assert.match(resultText(missing!), /old_text was not found in src\/math\.js/);
      assert.match(resultText(twice!), /occurs 2 times in src\/math\.js \(lines 4, 9\)/);
      assert.match(readText(s.root, 'src/math.js'), /function add/);
    });

    it('a rate limit beyond the retry cap parks the round ("waiting until HH:MM")', async () => {
      s = await setupAgent();
      s.h.fake.enqueue(fault.rateLimited({ retryAfter: 3600 }));
      const result = await s.runtime.run(s.request('implement-feature', 'x'));
      assert.equal(result.status, 'parked');
      assert.equal(result.parkedUntil, HARNESS_START + 3_600_000);
      assert.match(result.error ?? '', /waiting until \d\d:\d\d/);
    });

    it('a spend limit fails with a clear message and is not retried', async () => {
      s = await setupAgent();
      s.h.fake.enqueue(fault.spendLimit());
      const result = await s.runtime.run(s.request('implement-feature', 'x'));
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /Not retried/);
      assert.equal(s.h.fake.messageRequests().length, 1);
    });

    it('a refusal fails the round with the model’s reason', async () => {
      s = await setupAgent();
      s.h.fake.enqueue(fault.refusal('', 'cyber', 'The request was declined.'));
      const result = await s.runtime.run(s.request('implement-feature', 'x'));
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /declined to continue \(cyber: The request was declined\.\)/);
    });

    it('pause_turn sends the paused turn back and continues', async () => {
      s = await setupAgent();
      s.h.fake.enqueue(fault.pauseTurn(), reply.text('finished after the pause'));
      const result = await s.runtime.run(s.request('implement-feature', 'x'));
      assert.equal(result.status, 'completed');
      const second = s.h.fake.messageRequests()[1]!;
      assert.equal(second.body.messages[second.body.messages.length - 1]!.role, 'assistant');
    });

    it('stops at the turn cap with a clear failure', async () => {
      s = await setupAgent({ runtime: { maxTurns: 3 } });
      s.h.fake.script(() => reply.toolUse('list_dir', { path: '.' }));
      const result = await s.runtime.run(s.request('implement-feature', 'loop forever'));
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /used all 3 model turns/);
      assert.equal(s.h.fake.messageRequests().length, 3);
    });

    it('honours the abort signal: a running command is killed and the round ends as cancelled', async () => {
      s = await setupAgent({ allow: ['Bash(sleep:*)'] });
      s.h.fake.enqueue(reply.toolUse('run_command', { command: 'sleep 30' }));
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 300);
      const result = await s.runtime.run(s.request('implement-feature', 'x', { signal: controller.signal }));
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /Cancel/);
      assert.ok(Date.now() - started < 10_000);
    });

    it('an unknown model has an unknown cost (never 0)', async () => {
      s = await setupAgent({ runtime: { model: 'claude-unknown-9' } });
      s.h.fake.enqueue(reply.text('hi'));
      const result = await s.runtime.run(s.request('implement-feature', 'x'));
      assert.equal(result.status, 'completed');
      assert.equal(result.model, 'claude-unknown-9');
      assert.ok(result.usage);
      assert.equal(result.usage.costUsd, undefined);
    });

    it('refuses to start over --max-context-tokens, naming the biggest parts, before any model call', async () => {
      s = await setupAgent({ runtime: { budget: { maxTokens: 1000 } } });
      const result = await s.runtime.run(s.request('prp-execute', 'PRPs/fix-add.md'));
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /over --max-context-tokens 1,000; not started/);
      assert.match(result.error ?? '', /claude-md CLAUDE\.md|command \.claude\/commands\/prp-execute\.md/);
      assert.equal(s.h.fake.messageRequests().length, 0);
      // The same check, before a run starts (what `run-prp --max-context-tokens` calls).
      const pre = await s.runtime.preflight('prp-execute', 'PRPs/fix-add.md');
      assert.ok(!('error' in pre));
      assert.equal(pre.verdict.ok, false);
      assert.ok(pre.estimate.total > 1000);
      assert.deepEqual(pre.estimate.parts.map((p) => p.name).sort(), [
        'claude-md CLAUDE.md',
        'command .claude/commands/prp-execute.md',
        'docfile PRPs/ai_docs/math-notes.md',
        'prp PRPs/fix-add.md',
        'snapshot',
        'system prompt',
        'tool definitions',
      ]);
    });

    it('warns over the context budget and still runs', async () => {
      s = await setupAgent({ runtime: { budget: { warnTokens: 500 } } });
      s.h.fake.enqueue(reply.text('ok'));
      const result = await s.runtime.run(s.request('prp-execute', 'PRPs/fix-add.md'));
      assert.equal(result.status, 'completed');
      assert.ok(s.observer.warnings.some((w) => /budget 500\); biggest parts:/.test(w)));
    });
  });

  describe('prompt and context', () => {
    it('sends a stable system prompt, the tools and a context block with cache breakpoints, then the expanded command', async () => {
      s = await setupAgent();
      s.h.fake.enqueue(reply.text('ok'));
      await s.runtime.run(s.request('prp-execute', 'PRPs/fix-add.md'));
      const body = s.h.fake.messageRequests()[0]!.body;
      const tools = body.tools!;
      assert.deepEqual(
        tools.map((t) => t.name),
        ['read_file', 'list_dir', 'glob', 'grep', 'write_file', 'edit_file', 'run_command'],
      );
      assert.ok(tools[tools.length - 1]!.cache_control, 'the last tool carries a breakpoint');
      const system = body.system as Array<{ text: string; cache_control?: unknown }>;
      assert.ok(system[0]!.cache_control);
      assert.doesNotMatch(system[0]!.text, /\d{4}-\d\d-\d\d|\/tmp\//, 'no dates or paths in the system prompt');
      assert.ok(body.cache_control, 'automatic caching of the conversation tail');
      const first = body.messages[0]!.content as Array<{ text: string; cache_control?: unknown }>;
      assert.ok(first[0]!.cache_control);
      assert.match(first[0]!.text, /<claude-md path="CLAUDE.md">/);
      assert.match(first[0]!.text, /<prp path="PRPs\/fix-add.md">/);
      assert.match(first[0]!.text, /<docfile path="PRPs\/ai_docs\/math-notes.md">/);
      assert.match(first[0]!.text, /<project-snapshot>[\s\S]*Tests: runner node:test/);
      assert.match(first[1]!.text, /\*\*PRP\*\*: PRPs\/fix-add\.md/, '$ARGUMENTS expanded');
      assert.match(first[1]!.text, /read-only during this run/);
      assert.doesNotMatch(first[1]!.text, /\$ARGUMENTS/);
    });

    it('/context-verify runs deterministically (no model call); /context-refresh --full takes a new snapshot first', async () => {
      s = await setupAgent({ runtime: { verify: { pathDirs: (process.env.PATH ?? '').split(':') } } });
      const ok = await s.runtime.run(s.request('context-verify', ''));
      assert.equal(ok.status, 'completed', ok.error);
      assert.equal(s.h.fake.messageRequests().length, 0);
      assert.match(s.observer.messages.at(-1)!, /checked \d+ references in 3 files: 0 errors/);
      const { writeText } = await import('../../support/agent-harness');
      writeText(s.root, 'PRPs/ai_docs/math-notes.md', '- Helpers live in `src/helpers/`.\n');
      const stale = await s.runtime.run(s.request('context-verify', 'PRPs/ai_docs/math-notes.md'));
      assert.equal(stale.status, 'failed');
      assert.match(
        stale.error ?? '',
        /PRPs\/ai_docs\/math-notes\.md:1:\d+: error: the path src\/helpers\/ does not exist/,
      );

      s.h.fake.enqueue(reply.text('CLAUDE.md is current.'));
      const refreshed = await s.runtime.run(s.request('context-refresh', '--full'));
      assert.equal(refreshed.status, 'completed');
      const context = (s.h.fake.messageRequests()[0]!.body.messages[0]!.content as Block[])[0]!.text!;
      assert.match(context, /<project-snapshot>/);
    });

    it('a missing slash command fails clearly', async () => {
      s = await setupAgent();
      const result = await s.runtime.run(s.request('no-such-command', ''));
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /no slash command \/no-such-command/);
    });
  });
});
