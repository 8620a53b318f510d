import * as assert from 'node:assert/strict';
import type { ApprovalStore, StoredApproval } from '../../../src/core/ports/approval-store';
import type { ApprovalAnswer, ApprovalRequest, ApprovalsPort } from '../../../src/core/ports/approvals';
import { commandHash } from '../../../src/core/trust/command-hash';
import { ensureApproved } from '../../../src/core/trust/ensure-approved';

class MemoryStore implements ApprovalStore {
  readonly location = '/home/u/.config/codex-context-forge/approvals.json';
  readonly data = new Map<string, Map<string, StoredApproval>>();
  failWrites = false;
  async approvedHashes(key: string): Promise<ReadonlySet<string>> {
    return new Set(this.data.get(key)?.keys() ?? []);
  }
  async remember(key: string, approvals: readonly StoredApproval[]): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    const m = this.data.get(key) ?? new Map();
    for (const a of approvals) m.set(a.hash, a);
    this.data.set(key, m);
  }
}

class Answers implements ApprovalsPort {
  readonly requests: ApprovalRequest[] = [];
  constructor(private readonly answers: ApprovalAnswer[]) {}
  async ask(request: ApprovalRequest): Promise<ApprovalAnswer> {
    this.requests.push(request);
    const a = this.answers.shift();
    if (!a) throw new Error('unexpected prompt');
    return a;
  }
}

/** realpath stand-in: `/work/link` is a symlink to `/work/proj`. */
const fs = { realPath: async (p: string) => (p === '/work/link' ? '/work/proj' : p) };
const at = () => new Date('2026-01-02T03:04:05Z');

describe('project command approval', () => {
  const gates = ['npm run lint', 'npm test'];

  it('asks the first time, remembers "always" by project real path and command hash', async () => {
    const store = new MemoryStore();
    const approvals = new Answers(['allow-always']);
    const base = { projectRoot: '/work/link', interactive: true, yes: false, store, approvals, fs, now: at };
    const first = await ensureApproved({ ...base, commands: [...gates, { command: 'npm test', source: 'dup' }] });
    assert.deepEqual([first.approved, first.by], [true, 'user-always']);
    assert.deepEqual(approvals.requests[0]?.commands, gates, 'the exact commands, each once');
    assert.deepEqual(approvals.requests[0]?.choices, ['allow-once', 'allow-always', 'deny']);
    assert.deepEqual(
      [...(store.data.get('/work/proj')?.values() ?? [])],
      [
        { hash: commandHash('npm run lint'), command: 'npm run lint', approvedAt: '2026-01-02T03:04:05.000Z' },
        { hash: commandHash('npm test'), command: 'npm test', approvedAt: '2026-01-02T03:04:05.000Z' },
      ],
    );
    const second = await ensureApproved({ ...base, projectRoot: '/work/proj', commands: gates });
    assert.deepEqual([second.approved, second.by], [true, 'store'], 'no second prompt');
    assert.equal(approvals.requests.length, 1);
  });

  it('a changed command asks again, listing only what changed', async () => {
    const store = new MemoryStore();
    await store.remember('/work/proj', [{ hash: commandHash('npm test'), command: 'npm test', approvedAt: 'x' }]);
    const approvals = new Answers(['allow-once']);
    const r = await ensureApproved({
      projectRoot: '/work/proj',
      commands: ['npm test', 'npm test -- --coverage'],
      interactive: true,
      yes: false,
      store,
      approvals,
      fs,
    });
    assert.deepEqual([r.approved, r.by], [true, 'user-once']);
    assert.deepEqual(approvals.requests[0]?.commands, ['npm test -- --coverage']);
    assert.match(approvals.requests[0]!.reason, /new or changed/);
    assert.equal(store.data.get('/work/proj')?.size, 1, '"once" is not remembered');
  });

  it('the same command in another project is a new approval', async () => {
    const store = new MemoryStore();
    await store.remember('/work/proj', [{ hash: commandHash('npm test'), command: 'npm test', approvedAt: 'x' }]);
    const r = await ensureApproved({
      projectRoot: '/work/other',
      commands: ['npm test'],
      interactive: false,
      yes: false,
      store,
      fs,
    });
    assert.equal(r.approved, false);
  });

  it('with no terminal and no --yes, refuses and says exactly how to approve', async () => {
    const r = await ensureApproved({
      projectRoot: '/work/proj',
      commands: [{ command: 'npm test', source: 'PRPs/auth.md' }, 'make deploy'],
      interactive: false,
      yes: false,
      store: new MemoryStore(),
      approvals: new Answers([]),
      fs,
    });
    assert.deepEqual([r.approved, r.by, r.pending], [false, 'no-terminal', ['npm test', 'make deploy']]);
    assert.match(r.message!, /2 project commands have not been approved on this machine for \/work\/proj/);
    assert.match(r.message!, / 1\. npm test {4}\(PRPs\/auth\.md\)/);
    assert.match(r.message!, /--yes/);
    assert.match(r.message!, /approvals\.json/);
  });

  it('--yes approves for this invocation only, without a prompt and without remembering', async () => {
    const store = new MemoryStore();
    const approvals = new Answers([]);
    const r = await ensureApproved({
      projectRoot: '/work/proj',
      commands: gates,
      interactive: true,
      yes: true,
      store,
      approvals,
      fs,
    });
    assert.deepEqual([r.approved, r.by, approvals.requests.length, store.data.size], [true, 'yes', 0, 0]);
  });

  it('a declined prompt runs nothing', async () => {
    const r = await ensureApproved({
      projectRoot: '/work/proj',
      commands: gates,
      interactive: true,
      yes: false,
      store: new MemoryStore(),
      approvals: new Answers(['deny']),
      fs,
    });
    assert.deepEqual([r.approved, r.by, r.pending], [false, 'declined', gates]);
  });

  it('commands with invisible characters can never be approved, not even with --yes', async () => {
    const r = await ensureApproved({
      projectRoot: '/work/proj',
      commands: ['npm test', 'echo ok\u202e; rm -rf ~'],
      interactive: true,
      yes: true,
      store: new MemoryStore(),
      approvals: new Answers(['allow-always']),
      fs,
    });
    assert.deepEqual([r.approved, r.by], [false, 'refused']);
    assert.match(r.message!, /⟨U\+202E RIGHT-TO-LEFT OVERRIDE⟩/);
  });

  it('"always" that cannot be saved still runs this time, with a warning', async () => {
    const store = new MemoryStore();
    store.failWrites = true;
    const r = await ensureApproved({
      projectRoot: '/work/proj',
      commands: gates,
      interactive: true,
      yes: false,
      store,
      approvals: new Answers(['allow-always']),
      fs,
    });
    assert.deepEqual([r.approved, r.by], [true, 'user-once']);
    assert.match(r.message!, /could not be remembered: disk full/);
  });

  it('hashes the exact text', () => {
    // printf 'npm test' | sha256sum
    assert.equal(commandHash('npm test'), 'sha256:328e123c63857fd8473bd4bd3581e655b08b7440d7f5d2c31cc375607582f539');
    assert.notEqual(commandHash('npm test'), commandHash('npm test '));
    assert.match(commandHash(''), /^sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855$/);
  });
});
