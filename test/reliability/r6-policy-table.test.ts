/**
 * R6 — the command policy table (`test/support/policy-command-table.ts`, shared with the unit test that checks it
 * in-process) through the CLI: each row is `codex-context-forge policy check --json [--allow/--ask/--deny …] --
 * <command>` in a real project with secrets, control surfaces and symlinks out (`createPolicyFixture`), with the
 * fixture's home as HOME. The decision, "never auto-allowed", and the exit code (0 only when allowed) must match.
 * Rows whose context is not expressible as CLI flags (the project's approved gate commands) are checked by the
 * unit test only.
 */
import * as assert from 'node:assert/strict';
import { CONTEXTS, type Context, type Expected, TABLE } from '../support/policy-command-table';
import { createPolicyFixture, type PolicyFixture } from '../support/policy-fixture';
import { cliEnv, figure, runCliAsync } from './support';

type Flags = { allow?: string[]; ask?: string[]; deny?: string[] };
const CONCURRENCY = 3;

function flagsOf(context: Context): string[] | undefined {
  const c = CONTEXTS[context] as Flags & Record<string, unknown>;
  if (Object.keys(c).some((k) => !['allow', 'ask', 'deny'].includes(k))) return undefined;
  return (['allow', 'ask', 'deny'] as const).flatMap((list) => (c[list] ?? []).flatMap((r) => [`--${list}`, r]));
}

describe('R6 command policy table through `policy check`', function () {
  this.timeout(300_000);
  let fx: PolicyFixture;
  const rows = TABLE.filter(([command, context]) => flagsOf(context) !== undefined && !command.includes('\0'));
  const results = new Map<number, { decision: string; neverAuto: boolean; code: number | null; raw: string }>();
  const tally = { allow: 0, ask: 0, 'ask!': 0, deny: 0 } satisfies Record<Expected, number>;

  before(async () => {
    fx = createPolicyFixture();
    const env = cliEnv(fx.configDir, { HOME: fx.home });
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const i = next++;
        const [command, context] = rows[i]!;
        const r = await runCliAsync(fx.root, ['policy', 'check', '--json', ...flagsOf(context)!, '--', command], env);
        let parsed: { decision?: string; neverAuto?: boolean } = {};
        try {
          parsed = JSON.parse(r.stdout);
        } catch {
          // reported by the row's test
        }
        results.set(i, {
          decision: parsed.decision ?? '?',
          neverAuto: parsed.neverAuto === true,
          code: r.code,
          raw: (r.stdout + r.stderr).slice(0, 2000),
        });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  });

  after(() => {
    fx?.cleanup();
    figure('R6', 'commands checked through the CLI', rows.length);
    figure(
      'R6',
      'allow / ask / ask (never auto) / deny',
      `${tally.allow} / ${tally.ask} / ${tally['ask!']} / ${tally.deny}`,
    );
  });

  it('checks at least 40 commands, of every decision', () => {
    assert.ok(rows.length >= 40, `only ${rows.length} rows`);
    for (const e of ['allow', 'ask', 'ask!', 'deny'] as const)
      assert.ok(
        rows.some((r) => r[2] === e),
        `no ${e} row`,
      );
  });

  rows.forEach(([command, context, expected, why], i) => {
    const label = command.length > 70 ? `${command.slice(0, 67)}…` : command;
    it(`${JSON.stringify(label)} [${context}] → ${expected}: ${why}`, () => {
      const r = results.get(i)!;
      const shown = `${r.decision}${r.neverAuto ? '!' : ''} (exit ${r.code})\n${r.raw}`;
      if (expected === 'ask!') {
        assert.equal(r.decision, 'ask', shown);
        assert.equal(r.neverAuto, true, shown);
      } else {
        assert.equal(r.decision, expected, shown);
        if (expected === 'ask') assert.equal(r.neverAuto, false, shown);
      }
      assert.equal(r.code, expected === 'allow' ? 0 : 1, shown);
      tally[expected]++;
    });
  });
});
