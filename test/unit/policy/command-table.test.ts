/**
 * The command table: every class of the security notes (sections 1, 2, 7, 8) as one row — command, context,
 * expected decision, why. Run against a real project on disk (symlinks included) with the real parser.
 * `ask!` means "ask, and no rule or session approval may ever lift it" (never auto-allowed).
 * Every row is also checked in a non-interactive run (an ask becomes a deny) and with `--yes` for an agent
 * command (`--yes` never approves an agent's ask).
 */
import * as assert from 'node:assert/strict';
import { settle } from '../../../src/core/policy/enforce';
import type { PermissionPolicy } from '../../../src/core/policy/policy';
import { CONTEXTS, type Context, TABLE } from '../../support/policy-command-table';
import { createPolicyFixture, type PolicyFixture } from '../../support/policy-fixture';

describe('policy: command table', () => {
  let fx: PolicyFixture;
  const policies = new Map<Context, PermissionPolicy>();
  before(() => {
    fx = createPolicyFixture();
    for (const name of Object.keys(CONTEXTS) as Context[]) policies.set(name, fx.policy(CONTEXTS[name]));
  });
  after(() => fx.cleanup());

  it('has at least 60 rows covering every class', () => {
    assert.ok(TABLE.length >= 60, `only ${TABLE.length} rows`);
    for (const e of ['allow', 'ask', 'ask!', 'deny'] as const)
      assert.ok(
        TABLE.some((r) => r[2] === e),
        `no ${e} row`,
      );
  });

  for (const [command, context, expected, why] of TABLE) {
    const label = command.length > 70 ? `${command.slice(0, 67)}…` : command;
    it(`${JSON.stringify(label)} [${context}] → ${expected}: ${why}`, async () => {
      const d = await policies.get(context)!.checkCommand(command);
      const shown = `${d.decision}${d.neverAuto ? '!' : ''} (${d.source}: ${d.reason})`;
      if (expected === 'ask!') {
        assert.equal(d.decision, 'ask', shown);
        assert.equal(d.neverAuto, true, `expected never-auto: ${shown}`);
      } else {
        assert.equal(d.decision, expected, shown);
        if (expected === 'ask') assert.notEqual(d.neverAuto, true, `did not expect never-auto: ${shown}`);
      }
      assert.ok(d.reason.length > 0, 'a decision always has a reason');
      // Non-interactive: an ask is a deny; --yes never approves the agent's ask and never overrides a deny.
      const ci = settle(d, 'agent', { interactive: false, yes: false });
      const ciYes = settle(d, 'agent', { interactive: false, yes: true });
      assert.equal(ci, d.decision === 'allow' ? 'allow' : 'deny');
      assert.equal(ciYes, ci);
      assert.equal(settle(d, 'project', { interactive: false, yes: true }), d.decision === 'deny' ? 'deny' : 'allow');
    });
  }
});
