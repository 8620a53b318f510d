import * as assert from 'node:assert/strict';
import { enforce, SessionApprovals, settle } from '../../../src/core/policy/enforce';
import type { PolicyDecision } from '../../../src/core/policy/policy';
import type { ApprovalAnswer, ApprovalRequest, ApprovalsPort } from '../../../src/core/ports/approvals';

class ScriptedApprovals implements ApprovalsPort {
  readonly requests: ApprovalRequest[] = [];
  constructor(private readonly answers: (ApprovalAnswer | Error)[]) {}
  async ask(request: ApprovalRequest): Promise<ApprovalAnswer> {
    this.requests.push(request);
    const a = this.answers.shift();
    if (a === undefined) throw new Error('unexpected prompt');
    if (a instanceof Error) throw a;
    return a;
  }
}

const decision = (d: PolicyDecision['decision'], extra: Partial<PolicyDecision> = {}): PolicyDecision => ({
  decision: d,
  source: d === 'allow' ? 'default' : d === 'deny' ? 'protected' : 'unknown',
  reason: `because ${d}`,
  subject: 'npm install',
  ...extra,
});

describe('policy enforcement', () => {
  it('settle: the whole truth table', () => {
    const rows: [PolicyDecision['decision'], 'agent' | 'project', boolean, boolean, string][] = [
      // decision, origin, interactive, yes → result
      ['deny', 'agent', true, true, 'deny'],
      ['deny', 'project', true, true, 'deny'],
      ['deny', 'project', false, true, 'deny'],
      ['allow', 'agent', false, false, 'allow'],
      ['allow', 'project', false, false, 'allow'],
      ['ask', 'agent', true, false, 'prompt'],
      ['ask', 'agent', true, true, 'prompt'],
      ['ask', 'agent', false, true, 'deny'],
      ['ask', 'agent', false, false, 'deny'],
      ['ask', 'project', false, true, 'allow'],
      ['ask', 'project', true, true, 'allow'],
      ['ask', 'project', true, false, 'prompt'],
      ['ask', 'project', false, false, 'deny'],
    ];
    for (const [d, origin, interactive, yes, expected] of rows) {
      assert.equal(
        settle({ decision: d }, origin, { interactive, yes }),
        expected,
        `${d} ${origin} i=${interactive} y=${yes}`,
      );
    }
  });

  it('a non-interactive ask is refused with a message that says how to allow it', async () => {
    const r = await enforce({
      decision: decision('ask', { suggestion: 'Bash(npm install)' }),
      origin: 'agent',
      mode: { interactive: false, yes: true },
      kind: 'command',
      target: 'npm install',
    });
    assert.equal(r.allowed, false);
    assert.match(r.reason, /--allow 'Bash\(npm install\)'/);
  });

  it('a deny is never shown to the user as a question', async () => {
    const approvals = new ScriptedApprovals([]);
    const r = await enforce({
      decision: decision('deny'),
      origin: 'agent',
      mode: { interactive: true, yes: true },
      kind: 'command',
      target: 'x',
      approvals,
    });
    assert.equal(r.allowed, false);
    assert.equal(approvals.requests.length, 0);
  });

  it('asks the user; "for this session" is remembered for the same exact command only', async () => {
    const approvals = new ScriptedApprovals(['allow-session', 'deny']);
    const session = new SessionApprovals();
    const base = {
      origin: 'agent' as const,
      mode: { interactive: true, yes: false },
      kind: 'command' as const,
      approvals,
      session,
    };
    const first = await enforce({ ...base, decision: decision('ask'), target: 'npm install', context: 'step 2' });
    assert.equal(first.allowed, true);
    assert.deepEqual(approvals.requests[0], {
      kind: 'command',
      command: 'npm install',
      reason: 'because ask',
      context: 'step 2',
      choices: ['allow-once', 'allow-session', 'deny'],
    });
    const again = await enforce({ ...base, decision: decision('ask'), target: 'npm install' });
    assert.equal(again.by, 'session');
    const other = await enforce({ ...base, decision: decision('ask'), target: 'npm install left-pad' });
    assert.equal(other.allowed, false);
    assert.equal(approvals.requests.length, 2);
  });

  it('a never-auto ask can only be approved once, never for the session', async () => {
    const approvals = new ScriptedApprovals(['allow-session', 'allow-once', 'allow-once']);
    const session = new SessionApprovals();
    const base = {
      origin: 'agent' as const,
      mode: { interactive: true, yes: false },
      kind: 'command' as const,
      target: 'bash -c x',
      approvals,
      session,
      decision: decision('ask', { neverAuto: true }),
    };
    const sneaky = await enforce(base);
    assert.equal(sneaky.allowed, false, 'an answer that was not offered counts as no');
    assert.deepEqual(approvals.requests[0]?.choices, ['allow-once', 'deny']);
    assert.equal((await enforce(base)).allowed, true);
    assert.equal(session.size, 0);
    assert.equal((await enforce(base)).by, 'user', 'asked again');
  });

  it('a failing prompt is a no', async () => {
    const r = await enforce({
      decision: decision('ask'),
      origin: 'agent',
      mode: { interactive: true, yes: false },
      kind: 'write',
      target: 'src/x.ts',
      approvals: new ScriptedApprovals([new Error('dialog crashed')]),
    });
    assert.equal(r.allowed, false);
  });

  it('--yes approves the project commands without a prompt', async () => {
    const approvals = new ScriptedApprovals([]);
    const r = await enforce({
      decision: decision('ask'),
      origin: 'project',
      mode: { interactive: true, yes: true },
      kind: 'command',
      target: 'npm test',
      approvals,
    });
    assert.deepEqual([r.allowed, r.by, approvals.requests.length], [true, 'yes', 0]);
  });
});
