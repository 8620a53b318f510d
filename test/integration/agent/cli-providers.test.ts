import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PermissionPolicy } from '../../../src/core/policy/policy';
import type { AgentResult } from '../../../src/core/ports/agent';
import { type CreatedAgent, createAgentPort } from '../../../src/node/agent-factory';
import { NodeFileSystem } from '../../../src/node/node-file-system';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { agentProject, RecordingObserver, readText } from '../../support/agent-harness';
import { FakeClock } from '../../support/fake-clock';
import { isLive, waitFor } from '../../support/processes';
import { removeTempDirs, tempDir } from '../../support/temp-project';

const FAKE_BIN = path.resolve(__dirname, '../../support/fake-agents/bin');
const NOW = Date.UTC(2026, 10, 27, 13, 0, 0);

type Line = Record<string, unknown> | string;
interface Run {
  lines?: Line[];
  stderr?: string[];
  exit?: number;
  writeFiles?: Record<string, string>;
  grandchildPidFile?: string;
  sleepMs?: number;
}
interface Logged {
  program: string;
  argv: string[];
  stdin: string;
  cwd: string;
}

/**
 * The `claude-code` and `codex` providers against small fake executables on PATH (test/support/fake-agents)
 * that print the documented event streams — including malformed lines and non-zero exits.
 */
describe('agent runtime: CLI agent providers (fake claude and codex on PATH)', function () {
  this.timeout(30_000);
  let root: string;
  let dir: string;
  let observer: RecordingObserver;
  let clock: FakeClock;

  beforeEach(async () => {
    root = await agentProject();
    dir = tempDir('ccf-fake-agent-');
    observer = new RecordingObserver();
    clock = new FakeClock(NOW);
  });
  afterEach(() => removeTempDirs());

  async function provider(name: 'claude-code' | 'codex', runs: Run[], pathOverride?: string): Promise<CreatedAgent> {
    const scenario = path.join(dir, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({ runs }));
    const fs = new NodeFileSystem();
    return createAgentPort({
      provider: name,
      cwd: root,
      fs,
      runner: new NodeProcessRunner({ graceMs: { interrupt: 200, terminate: 200 } }),
      clock,
      policy: new PermissionPolicy({ root, home: dir, fs }),
      interactive: false,
      observer,
      providerEnv: {
        PATH: pathOverride ?? `${FAKE_BIN}${path.delimiter}${process.env.PATH}`,
        FAKE_AGENT_SCENARIO: scenario,
        FAKE_AGENT_LOG: path.join(dir, 'log.jsonl'),
      },
    });
  }

  function logged(): Logged[] {
    try {
      return readFileSync(path.join(dir, 'log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Logged);
    } catch {
      return [];
    }
  }

  function run(created: CreatedAgent, attempt = 1, feedback?: string, signal = new AbortController().signal) {
    return created.agent.run({
      stepId: 'implement',
      attempt,
      command: 'prp-execute',
      argsText: 'PRPs/fix-add.md',
      signal,
      ...(feedback ? { feedback } : {}),
    });
  }

  const claudeInit = { type: 'system', subtype: 'init', session_id: 'sess-1', model: 'claude-sonnet-5-5', tools: [] };
  const usage = {
    input_tokens: 12,
    cache_creation_input_tokens: 3000,
    cache_read_input_tokens: 9000,
    output_tokens: 400,
  };
  const claudeSuccess = (text: string, cost = 0.0421) => ({
    type: 'result',
    subtype: 'success',
    is_error: false,
    duration_ms: 3952,
    num_turns: 4,
    result: text,
    session_id: 'sess-1',
    total_cost_usd: cost,
    usage,
  });
  const assistant = (id: string, block: Record<string, unknown>) => ({
    type: 'assistant',
    session_id: 'sess-1',
    message: { id, model: 'claude-sonnet-5-5', role: 'assistant', content: [block], usage },
  });

  describe('claude-code', () => {
    it('runs claude -p headless with stream-json, allowed tools from the frontmatter, the prompt on stdin; parses session, text, tool use, result, cost and usage', async () => {
      const created = await provider('claude-code', [
        {
          lines: [
            claudeInit,
            assistant('msg_1', { type: 'text', text: 'Reading the PRP.' }),
            assistant('msg_1', { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: 'src/math.js' } }),
            { type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1' }] } },
            'this is not json',
            '{"type": "assistant", "message": {"content": [',
            claudeSuccess('Implemented add.'),
          ],
        },
      ]);
      const result = await run(created);
      assert.equal(result.status, 'completed', result.error);
      assert.deepEqual(result.usage, {
        inputTokens: 12,
        outputTokens: 400,
        cacheCreationInputTokens: 3000,
        cacheReadInputTokens: 9000,
        costUsd: 0.0421,
      });
      assert.equal(result.model, 'claude-sonnet-5-5');
      const [call] = logged();
      assert.equal(call!.program, 'claude');
      assert.deepEqual(call!.argv.slice(0, 5), ['-p', '--output-format', 'stream-json', '--verbose', '--allowedTools']);
      assert.match(call!.argv[5]!, /^Read,Write,Edit,MultiEdit,Glob,Grep,LS,Bash,TodoWrite,Task,WebFetch$/);
      const denied = call!.argv[call!.argv.indexOf('--disallowedTools') + 1]!;
      assert.match(denied, /Edit\(PRPs\/fix-add\.md\)/);
      assert.match(denied, /Edit\(\.claude\/\*\*\)/);
      assert.ok(!call!.argv.includes('--resume'));
      assert.match(call!.stdin, /\*\*PRP\*\*: PRPs\/fix-add\.md/);
      assert.equal(call!.cwd, root);
      assert.ok(observer.warnings.some((w) => /claude printed 2 line\(s\) that are not JSON events/.test(w)));
      assert.deepEqual(observer.messages, ['Implemented add.']);
    });

    it('continues the session with --resume on the next round, the harness’s evidence as the prompt', async () => {
      const created = await provider('claude-code', [
        { lines: [claudeInit, claudeSuccess('Round 1 done.')] },
        { lines: [claudeInit, claudeSuccess('Round 2 done.', 0.01)] },
      ]);
      await run(created, 1);
      const second = await run(created, 2, '## Level 2: Unit Tests failed (exit code 1)\nexpected 5, actual 1');
      assert.equal(second.status, 'completed');
      assert.equal(second.usage?.costUsd, 0.01, 'each round reports its own cost');
      const [, call] = logged();
      assert.deepEqual(call!.argv.slice(call!.argv.indexOf('--resume'), call!.argv.indexOf('--resume') + 2), [
        '--resume',
        'sess-1',
      ]);
      assert.match(call!.stdin, /The harness ran the validation gates after your round 1/);
      assert.match(call!.stdin, /expected 5, actual 1/);
    });

    it('a non-zero exit without a result fails with the end of stderr', async () => {
      const created = await provider('claude-code', [
        { lines: [claudeInit], stderr: ['Error: Invalid API key · Please run /login'], exit: 1 },
      ]);
      const result = await run(created);
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /claude exited with code 1: Error: Invalid API key · Please run \/login/);
    });

    it('a usage-limit result parks the run until the limit resets', async () => {
      const resetsAt = Math.floor(NOW / 1000) + 7200;
      const created = await provider('claude-code', [
        {
          lines: [
            claudeInit,
            {
              type: 'result',
              subtype: 'success',
              is_error: true,
              result: `Claude AI usage limit reached|${resetsAt}`,
              session_id: 'sess-1',
              total_cost_usd: 0,
            },
          ],
        },
      ]);
      const result = await run(created);
      assert.equal(result.status, 'parked');
      assert.equal(result.parkedUntil, resetsAt * 1000);
      assert.match(result.error ?? '', /waiting until \d\d:\d\d/);
    });

    it('a turn-limit result fails clearly', async () => {
      const created = await provider('claude-code', [
        {
          lines: [
            claudeInit,
            { type: 'result', subtype: 'error_max_turns', is_error: true, num_turns: 30, session_id: 'sess-1' },
          ],
        },
      ]);
      const result = await run(created);
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /turn limit \(30 turns\)/);
    });

    it('cancelling kills claude and the processes it started', async () => {
      const pidFile = path.join(dir, 'grandchild.pid');
      const created = await provider('claude-code', [
        { lines: [claudeInit], grandchildPidFile: pidFile, sleepMs: 20_000 },
      ]);
      const controller = new AbortController();
      const started = Date.now();
      const pending = run(created, 1, undefined, controller.signal);
      while (!readIfExists(pidFile)) await new Promise((r) => setTimeout(r, 50));
      controller.abort();
      const result: AgentResult = await pending;
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /Cancel/);
      assert.ok(Date.now() - started < 10_000);
      const pid = Number(readIfExists(pidFile));
      await waitFor(() => !isLive(pid), `grandchild ${pid} gone`, 5000);
    });

    it('restores the PRP and fails the round when the agent changed it', async () => {
      const before = readText(root, 'PRPs/fix-add.md');
      const created = await provider('claude-code', [
        { lines: [claudeInit, claudeSuccess('Relaxed the gates.')], writeFiles: { 'PRPs/fix-add.md': 'gutted' } },
      ]);
      const result = await run(created);
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /changed PRPs\/fix-add\.md, which is read-only .* reverted/);
      assert.equal(readText(root, 'PRPs/fix-add.md'), before);
    });

    it('says how to install claude when it is not on PATH', async () => {
      const created = await provider('claude-code', [{ lines: [] }], dir);
      const result = await run(created);
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /could not start claude .*install Claude Code/);
    });
  });

  describe('codex', () => {
    const thread = { type: 'thread.started', thread_id: 'thr-9' };
    const turnDone = (input = 5000, cached = 4000, output = 300) => ({
      type: 'turn.completed',
      usage: { input_tokens: input, cached_input_tokens: cached, output_tokens: output },
    });

    it('runs codex exec --json in the workspace-write sandbox with the prompt on stdin; parses thread, items and usage (cost unknown)', async () => {
      const created = await provider('codex', [
        {
          lines: [
            thread,
            { type: 'turn.started' },
            {
              type: 'item.started',
              item: { id: 'i1', type: 'command_execution', command: 'ls', status: 'in_progress' },
            },
            {
              type: 'item.completed',
              item: {
                id: 'i1',
                type: 'command_execution',
                command: 'ls',
                aggregated_output: 'src\n',
                exit_code: 0,
                status: 'completed',
              },
            },
            {
              type: 'item.completed',
              item: {
                id: 'i2',
                type: 'file_change',
                changes: [{ path: 'src/math.js', kind: 'update' }],
                status: 'completed',
              },
            },
            'Reading prompt from stdin...',
            { type: 'item.completed', item: { id: 'i3', type: 'agent_message', text: 'Fixed add.' } },
            turnDone(),
          ],
        },
      ]);
      const result = await run(created);
      assert.equal(result.status, 'completed', result.error);
      assert.deepEqual(result.usage, {
        inputTokens: 1000,
        outputTokens: 300,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 4000,
      });
      assert.equal(result.usage?.costUsd, undefined, 'Codex reports no cost and OpenAI models are not priced');
      const [call] = logged();
      assert.equal(call!.program, 'codex');
      assert.deepEqual(call!.argv, ['exec', '--json', '--sandbox', 'workspace-write', '--skip-git-repo-check', '-']);
      assert.match(call!.stdin, /\*\*PRP\*\*: PRPs\/fix-add\.md/);
      assert.ok(observer.warnings.some((w) => /codex printed 1 line/.test(w)));
      assert.deepEqual(observer.messages, ['Fixed add.']);
    });

    it('resumes the thread on the next round', async () => {
      const created = await provider('codex', [{ lines: [thread, turnDone()] }, { lines: [thread, turnDone()] }]);
      await run(created, 1);
      await run(created, 2, 'Level 2 failed');
      const [, call] = logged();
      assert.deepEqual(call!.argv.slice(-3), ['resume', 'thr-9', '-']);
      assert.match(call!.stdin, /Level 2 failed/);
    });

    it('a usage limit parks the run for as long as codex says', async () => {
      const created = await provider('codex', [
        {
          lines: [
            thread,
            { type: 'turn.failed', error: { message: "You've hit your usage limit. Try again in 2 hours 5 minutes." } },
          ],
          exit: 1,
        },
      ]);
      const result = await run(created);
      assert.equal(result.status, 'parked');
      assert.equal(result.parkedUntil, NOW + (2 * 60 + 5) * 60_000);
    });

    it('an error event or a non-zero exit fails with its message', async () => {
      const created = await provider('codex', [
        { lines: [thread, { type: 'error', message: 'stream disconnected before completion' }], exit: 1 },
      ]);
      const result = await run(created);
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /codex reported: stream disconnected before completion/);
      const crashed = await provider('codex', [{ lines: [], stderr: ['panic: boom'], exit: 101 }]);
      const r2 = await run(crashed);
      assert.match(r2.error ?? '', /codex exited with code 101: panic: boom/);
    });
  });
});

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
