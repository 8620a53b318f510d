import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCassette } from '../../../src/core/agent/cassette';
import { SessionApprovals } from '../../../src/core/policy/enforce';
import { PermissionPolicy } from '../../../src/core/policy/policy';
import {
  type CreatedAgent,
  createAgentPort,
  NO_PROVIDER_MESSAGE,
  ProviderConfigError,
} from '../../../src/node/agent-factory';
import { NodeFileSystem } from '../../../src/node/node-file-system';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { agentProject, calcImplementStep, readText, runEngine } from '../../support/agent-harness';
import { reply } from '../../support/fake-anthropic';
import { type Harness, startHarness } from '../../support/model-harness';
import { removeTempDirs, tempDir } from '../../support/temp-project';

describe('agent runtime: record and replay through createAgentPort', function () {
  this.timeout(60_000);
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
    removeTempDirs();
  });

  async function agentFor(
    root: string,
    options: { provider?: string; record?: string; cassette?: string; env?: Record<string, string> },
  ): Promise<CreatedAgent> {
    const fs = new NodeFileSystem();
    return createAgentPort({
      ...options,
      cwd: root,
      fs,
      runner: new NodeProcessRunner(),
      clock: h.clock,
      policy: new PermissionPolicy({ root, home: tempDir('ccf-home-'), fs }),
      session: new SessionApprovals(),
      interactive: false,
      env: options.env ?? { PATH: process.env.PATH },
    });
  }

  function scriptTwoRounds(): void {
    h.fake.enqueue(
      reply.toolUse('read_file', { path: 'src/math.js' }, { text: 'Reading add.' }),
      reply.toolUse('edit_file', { path: 'src/math.js', old_text: 'return a - b;', new_text: 'return b - a;' }),
      reply.text('Changed add.'),
      reply.toolUse('edit_file', { path: 'src/math.js', old_text: 'return b - a;', new_text: 'return a + b;' }),
      reply.text('add now returns the sum.'),
    );
  }

  async function record(): Promise<{ cassette: string; text: string }> {
    const root = await agentProject();
    const cassette = path.join(tempDir('ccf-cassette-'), 'fix-add.cassette.json');
    const env = { ANTHROPIC_API_KEY: h.fake.apiKey, ANTHROPIC_BASE_URL: h.fake.baseURL, PATH: process.env.PATH ?? '' };
    const created = await agentFor(root, { record: cassette, env });
    assert.equal(created.provider, 'anthropic');
    assert.match(created.description, /recording to/);
    scriptTwoRounds();
    const { outcome } = await runEngine({ root, runtime: created.agent, h }, [calcImplementStep()]);
    assert.equal(outcome, 'passed');
    assert.equal(created.recorded(), 5);
    return { cassette, text: readFileSync(cassette, 'utf8') };
  }

  it('records a run’s model exchanges as a valid cassette without the API key', async () => {
    const { cassette, text } = await record();
    assert.ok(!text.includes(h.fake.apiKey), 'the key is never stored');
    assert.doesNotMatch(text, /sk-ant-/);
    const parsed = parseCassette(readFileSync(cassette), cassette);
    assert.deepEqual(parsed.problems, []);
    const c = parsed.value!;
    assert.equal(c.format, 'codex-context-forge.cassette');
    assert.equal(c.provider, 'anthropic');
    assert.deepEqual(Object.keys(c.conversations), ['/prp-execute PRPs/fix-add.md']);
    assert.equal(c.conversations['/prp-execute PRPs/fix-add.md']!.length, 5);
    assert.doesNotMatch(text, /CLAUDE\.md — calc/, 'prompts are stored as shapes (hashes), not text');
  });

  it('replays it deterministically with no key and no server: same tool calls, same files, same gates', async () => {
    const { cassette } = await record();
    const before = h.fake.messageRequests().length;
    const root = await agentProject();
    const created = await agentFor(root, { cassette, env: { PATH: process.env.PATH ?? '' } });
    assert.equal(created.provider, 'replay');
    assert.match(created.description, /^REPLAY of .*no model is called/);
    const { outcome, state } = await runEngine({ root, runtime: created.agent, h }, [calcImplementStep()]);
    assert.equal(outcome, 'passed');
    assert.match(readText(root, 'src/math.js'), /return a \+ b;/);
    assert.equal(h.fake.messageRequests().length, before, 'the server was not called');
    assert.deepEqual(created.unplayed(), []);
    const implement = state.steps.find((s) => s.id === 'implement')!;
    assert.equal(implement.attempts, 2);
    assert.ok(implement.usage.cacheReadInputTokens > 0, 'recorded usage is reported');
    assert.equal(state.validations.failed, 1);
  });

  it('a replay that diverges from the recording stops with a clear failure instead of drifting', async () => {
    const { cassette } = await record();
    const root = await agentProject();
    // The workspace differs: the recorded edit's old text is not there, so the tool result is an error now.
    writeFileSync(
      path.join(root, 'src/math.js'),
      readFileSync(path.join(root, 'src/math.js'), 'utf8').replace('return a - b;', 'return a -  b;'),
    );
    const created = await agentFor(root, { cassette });
    const { outcome, state } = await runEngine({ root, runtime: created.agent, h }, [calcImplementStep()]);
    assert.equal(outcome, 'failed');
    const implement = state.steps.find((s) => s.id === 'implement')!;
    assert.match(
      implement.reason ?? '',
      /Replay of fix-add\.cassette\.json: \/prp-execute PRPs\/fix-add\.md, model turn 3 does not match/,
    );
    assert.match(
      implement.reason ?? '',
      /tool_result for toolu_\w+ \(ok\), this run sent tool_result for toolu_\w+ \(an error\)/,
    );
  });

  it('a cassette that is not one is refused with positions; a missing provider has a clear message', async () => {
    const root = await agentProject();
    const bad = path.join(root, 'bad.cassette.json');
    writeFileSync(bad, '{\n  "format": "something-else",\n  "version": 1\n}\n');
    await assert.rejects(agentFor(root, { cassette: bad }), (err: Error & { problems?: Array<{ line: number }> }) => {
      assert.equal(err.name, 'InputError');
      assert.match(err.message, /bad\.cassette\.json:2:\d+: error:/);
      return true;
    });
    await assert.rejects(agentFor(root, {}), (err: Error) => {
      assert.ok(err instanceof ProviderConfigError);
      assert.equal(err.message, NO_PROVIDER_MESSAGE);
      return true;
    });
    await assert.rejects(agentFor(root, { provider: 'gpt' }), /unknown provider "gpt"/);
    await assert.rejects(agentFor(root, { provider: 'replay' }), /--provider replay needs --cassette/);
    await assert.rejects(
      agentFor(root, { provider: 'claude-code', record: 'x.json' }),
      /--record needs --provider anthropic/,
    );
    await assert.rejects(
      agentFor(root, { env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://example.com' } }),
      /plain http/,
    );
  });
});
