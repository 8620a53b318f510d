/**
 * R3 — the Messages API faults of the agent issue, through the CLI: `orchestrate "/implement-feature …"` in a real
 * project (the calc fixture after `init`), the anthropic provider pointed at the fake Messages API on 127.0.0.1
 * (ANTHROPIC_BASE_URL), the fault scripted at the first request. The one intended change is writing
 * `src/subtract.js` with the tool call that follows the fault.
 *
 * Survived: the CLI ends with the documented exit code and a message, never an internal error or a hang.
 * Nothing half-applied: afterwards the project outside `.context-forge/` is either unchanged or changed by exactly
 * the complete intended write — a tool call from a cut, truncated or invalid turn is never executed.
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FakeAnthropic, fault, type Reply, reply } from '../support/fake-anthropic';
import { cliEnv, figure, hashTree, REPO, removeScratch, runCliAsync, scratch } from './support';

const CALC = path.join(REPO, 'test/fixtures/agent/calc');
const LINE = '/implement-feature add a subtract helper';
const CONTENT = 'module.exports = (a, b) => a - b;\n';
const write = () => reply.toolUse('write_file', { path: 'src/subtract.js', content: CONTENT });
const done = () => reply.text('Added src/subtract.js.');

interface Case {
  name: string;
  replies: () => Reply[];
  code: number;
  written: boolean;
  says?: RegExp;
}

const CASES: Case[] = [
  {
    name: '529 overloaded, then an answer: retried',
    replies: () => [fault.overloaded(), write(), done()],
    code: 0,
    written: true,
  },
  {
    name: '500, then an answer: retried',
    replies: () => [fault.serverError(), write(), done()],
    code: 0,
    written: true,
  },
  {
    name: '429 with retry-after: 1 — waits, then retried',
    replies: () => [fault.rateLimited({ retryAfter: 1 }), write(), done()],
    code: 0,
    written: true,
  },
  {
    name: 'an SSE error event after HTTP 200, mid-stream: retried',
    replies: () => [fault.midStreamError(write(), { afterEvents: 4 }), write(), done()],
    code: 0,
    written: true,
  },
  {
    name: 'a stream cut after a complete tool_use block (no message_stop): that call is never executed',
    replies: () => [{ ...write(), stream: { cutAfterEvents: 9 } }, done()],
    code: 0,
    written: false,
  },
  {
    name: 'max_tokens in the middle of a tool_use: the partial call is not executed',
    replies: () => [
      reply.blocks(
        [{ type: 'tool_use', name: 'write_file', rawJson: '{"path":"src/subtract.js","content":"module.ex' }],
        {
          stopReason: 'max_tokens',
        },
      ),
      done(),
    ],
    code: 0,
    written: false,
  },
  {
    name: 'invalid tool JSON: answered with an error result, not executed',
    replies: () => [
      reply.blocks([{ type: 'tool_use', name: 'write_file', rawJson: '{"path": "src/subtract.js", "content": }' }]),
      done(),
    ],
    code: 0,
    written: false,
  },
  {
    name: 'schema-invalid tool input (content is a number): refused, not executed',
    replies: () => [reply.toolUse('write_file', { path: 'src/subtract.js', content: 42 }), done()],
    code: 0,
    written: false,
  },
  {
    name: 'a refusal: reported, nothing executed',
    replies: () => [
      reply.text('I will not do that.', {
        stopReason: 'refusal',
        stopDetails: { type: 'refusal', category: 'cyber', explanation: 'policy' },
      }),
    ],
    code: 1,
    written: false,
    says: /declined to continue/,
  },
  {
    name: '429 with an implausible retry-after (999999999): the run is parked until the reset, resumable',
    replies: () => [fault.rateLimited({ retryAfter: 999999999, resetInMs: 3_600_000 }), write(), done()],
    code: 1,
    written: false,
    says: /park|resume/i,
  },
  {
    name: '429 spend limit: not retried, said clearly',
    replies: () => [fault.spendLimit(), write(), done()],
    code: 1,
    written: false,
    says: /spend|usage limit/i,
  },
  {
    name: '401 invalid key: not retried, names the variable to fix',
    replies: () => [fault.unauthorized(), write(), done()],
    code: 1,
    written: false,
    says: /ANTHROPIC_API_KEY/,
  },
];

describe('R3 Messages API faults through the CLI (fake Messages API on 127.0.0.1)', function () {
  this.timeout(120_000);
  let template: string;
  let fake: FakeAnthropic;
  const tally = { survived: 0, halfApplied: 0 };

  before(async () => {
    template = scratch('ccf-r3-template-');
    cpSync(CALC, template, { recursive: true });
    const init = await runCliAsync(template, ['init'], cliEnv(scratch('ccf-r3-config-')));
    assert.equal(init.code, 0, init.stderr);
  });
  beforeEach(async () => {
    fake = await FakeAnthropic.start();
  });
  afterEach(async () => {
    await fake.stop();
  });
  after(() => {
    removeScratch();
    figure('R3', 'API faults through the CLI', CASES.length);
    figure('R3', 'survived (documented exit code, no internal error, no hang)', `${tally.survived}/${CASES.length}`);
    figure('R3', 'half-applied changes (must be 0)', tally.halfApplied);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const dir = scratch('ccf-r3-');
      cpSync(template, dir, { recursive: true });
      const before = hashTree(path.join(dir, 'src'));
      fake.enqueue(...c.replies());
      const env = cliEnv(scratch('ccf-r3-config-'), {
        ANTHROPIC_API_KEY: fake.apiKey,
        ANTHROPIC_BASE_URL: fake.baseURL,
      });
      const r = await runCliAsync(dir, ['orchestrate', LINE, '--yes'], env, 90_000);
      const out = r.stdout + r.stderr;
      assert.ok(r.signal === null, `ended by ${r.signal}\n${out}`);
      assert.doesNotMatch(out, /internal error/i, out);
      assert.equal(r.code, c.code, out);
      if (c.says) assert.match(out, c.says);
      const file = path.join(dir, 'src/subtract.js');
      const complete = existsSync(file) && readFileSync(file, 'utf8') === CONTENT;
      const untouched = !existsSync(file) && hashTree(path.join(dir, 'src')) === before;
      if (!(complete || untouched)) tally.halfApplied++;
      assert.ok(complete || untouched, 'src/ is either unchanged or holds the complete intended file');
      assert.equal(existsSync(file), c.written, c.written ? 'the retried call wrote the file' : 'no call ran');
      tally.survived++;
    });
  }
});
