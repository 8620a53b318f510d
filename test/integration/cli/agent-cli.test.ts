/**
 * The built CLI (`dist/cli.js`) with a model provider: the key and base URL from the environment (the fake
 * Messages API on 127.0.0.1), `--record` to a cassette, `--provider replay --cassette` with no key, and the
 * messages for a provider that cannot work. Spawned asynchronously: the fake server lives in this process.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeAnthropic, reply } from '../../support/fake-anthropic';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const CALC = path.resolve(__dirname, '../../fixtures/agent/calc');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('CLI with a model provider (dist/cli.js against the fake Messages API)', function () {
  this.timeout(120_000);
  const made: string[] = [];
  let fake: FakeAnthropic;
  let config: string;

  const temp = (prefix: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };

  function cli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd,
        env: {
          ...process.env,
          CCF_CONFIG_DIR: config,
          NO_COLOR: '1',
          ANTHROPIC_API_KEY: '',
          CLAUDE_API_KEY: '',
          ANTHROPIC_BASE_URL: '',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  async function project(): Promise<string> {
    const dir = temp('ccf-agent-cli-');
    cpSync(CALC, dir, { recursive: true });
    const init = await cli(dir, ['init']);
    assert.equal(init.code, 0, init.stderr);
    return dir;
  }

  beforeEach(async () => {
    fake = await FakeAnthropic.start();
    config = temp('ccf-config-');
  });
  afterEach(async () => {
    await fake.stop();
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const line = '/implement-feature add a subtract helper';
  const script = () =>
    fake.enqueue(
      reply.toolUse('read_file', { path: 'src/math.js' }),
      reply.toolUse('write_file', { path: 'src/subtract.js', content: 'module.exports = (a, b) => a - b;\n' }),
      reply.text('Added src/subtract.js.'),
    );

  it('runs a slash command with the anthropic provider from the environment, records it, and replays it with no key', async () => {
    const dir = await project();
    script();
    const cassette = path.join(temp('ccf-cassette-'), 'subtract.cassette.json');
    const recorded = await cli(dir, ['orchestrate', line, '--record', cassette], {
      ANTHROPIC_API_KEY: fake.apiKey,
      ANTHROPIC_BASE_URL: fake.baseURL,
    });
    assert.equal(recorded.code, 0, recorded.stderr + recorded.stdout);
    assert.match(
      recorded.stderr,
      /Agent: anthropic \(model claude-sonnet-5-5, key from ANTHROPIC_API_KEY, base URL http:\/\/127\.0\.0\.1:\d+, recording to .*subtract\.cassette\.json\)/,
    );
    assert.match(recorded.stdout, /· read_file src\/math\.js/);
    assert.match(recorded.stdout, /» Added src\/subtract\.js\./);
    assert.equal(readFileSync(path.join(dir, 'src/subtract.js'), 'utf8'), 'module.exports = (a, b) => a - b;\n');
    assert.equal(fake.messageRequests().length, 3);
    const text = readFileSync(cassette, 'utf8');
    assert.ok(!text.includes(fake.apiKey));

    const report = await cli(dir, ['report', '--json']);
    assert.equal(report.code, 0, report.stderr);
    const r = JSON.parse(report.stdout) as { metrics: { usage: { cacheReadInputTokens: number; costUsd?: number } } };
    assert.ok(r.metrics.usage.cacheReadInputTokens > 0);
    assert.ok((r.metrics.usage.costUsd ?? 0) > 0);

    const again = await project();
    const replayed = await cli(again, ['orchestrate', line, '--provider', 'replay', '--cassette', cassette]);
    assert.equal(replayed.code, 0, replayed.stderr + replayed.stdout);
    assert.match(replayed.stderr, /Agent \(REPLAY\): REPLAY of .*subtract\.cassette\.json .*no model is called/);
    assert.equal(readFileSync(path.join(again, 'src/subtract.js'), 'utf8'), 'module.exports = (a, b) => a - b;\n');
    assert.equal(fake.messageRequests().length, 3, 'the replay called no model');
  });

  it('explains a provider that cannot work (exit 2), and runs without one until an agent step needs it', async () => {
    const dir = await project();
    const unknown = await cli(dir, ['orchestrate', line, '--provider', 'gpt']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown provider "gpt": choose one of anthropic, claude-code, codex, replay/);
    const noKey = await cli(dir, ['orchestrate', line, '--provider', 'anthropic']);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /no model provider configured: set ANTHROPIC_API_KEY/);
    const missing = await cli(dir, ['orchestrate', line, '--provider', 'replay', '--cassette', 'nope.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read the cassette .*nope\.json/);
    const none = await cli(dir, ['orchestrate', line]);
    assert.equal(none.code, 1);
    assert.match(none.stdout + none.stderr, /no model provider configured/);
    const over = await cli(dir, ['orchestrate', line, '--max-context-tokens', '500'], {
      ANTHROPIC_API_KEY: fake.apiKey,
      ANTHROPIC_BASE_URL: fake.baseURL,
    });
    assert.equal(over.code, 2, over.stderr);
    assert.match(over.stderr, /over --max-context-tokens 500; not started\. Biggest parts: /);
    assert.equal(fake.messageRequests().length, 0, 'refused before any model call');
    const bad = await cli(dir, ['orchestrate', line, '--max-context-tokens', 'lots']);
    assert.equal(bad.code, 2);
    assert.equal(existsSync(path.join(dir, 'src/subtract.js')), false);
  });
});
