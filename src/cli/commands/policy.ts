/**
 * `policy check`: what the agent's permission policy would decide, without running anything — for a shell
 * command, or a read/write of a path — with the rules from the user settings, the project settings and the
 * `--allow/--ask/--deny` flags. Exit 0 when allowed, 1 when it would ask or be refused, 2 for invalid rules.
 */
import type { Command } from 'commander';
import type { PolicyDecision } from '../../core/policy/policy';
import type { Rule } from '../../core/policy/rules';
import { action } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { addPolicyOptions, loadPolicy, type PolicyFlags } from '../policy-setup';

interface CheckOptions extends PolicyFlags {
  read?: string;
  write?: string;
  json?: boolean;
}

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description("inspect the agent's permission policy");
  addPolicyOptions(
    policy
      .command('check [command]')
      .description('show whether the agent may run a shell command (or read/write a path) without asking, and why')
      .option('--read <path>', 'check reading this path instead of a command')
      .option('--write <path>', 'check writing this path instead of a command')
      .option('--json', 'print the decision as JSON'),
  ).action(
    action(async (ctx, command: string | undefined, options: CheckOptions) => {
      const targets = [command, options.read, options.write].filter((t) => t !== undefined);
      if (targets.length !== 1) throw new UsageError('give exactly one of: a command, --read <path>, --write <path>');
      const { policy: p, warnings } = await loadPolicy(ctx, options);
      for (const w of warnings) ctx.out.err(`warning: ${w}`);
      const decision =
        command !== undefined
          ? await p.checkCommand(command)
          : options.read !== undefined
            ? await p.checkToolCall({ tool: 'read_file', input: { path: options.read } })
            : await p.checkToolCall({ tool: 'write_file', input: { path: options.write } });
      if (options.json) ctx.out.json(toJson(decision));
      else print(ctx.out, decision);
      return decision.decision === 'allow' ? ExitCode.Ok : ExitCode.Failed;
    }),
  );
}

function ruleJson(rule: Rule | undefined) {
  if (!rule) return undefined;
  return {
    text: rule.text,
    list: rule.list,
    origin: rule.origin,
    ...(rule.location ? { location: rule.location } : {}),
  };
}

function toJson(d: PolicyDecision) {
  return {
    decision: d.decision,
    neverAuto: d.neverAuto === true,
    source: d.source,
    reason: d.reason,
    subject: d.subject,
    rule: ruleJson(d.rule),
    suggestion: d.suggestion,
    segments: d.segments?.map((s) => ({
      text: s.text,
      decision: s.decision,
      neverAuto: s.neverAuto === true,
      source: s.source,
      reason: s.reason,
      rule: ruleJson(s.rule),
    })),
  };
}

function print(out: import('../output').Output, d: PolicyDecision): void {
  const color = d.decision === 'allow' ? 'green' : d.decision === 'deny' ? 'red' : 'yellow';
  const label = d.decision === 'ask' && d.neverAuto ? 'ask (always)' : d.decision;
  out.out(`${out.style(color, label)}  ${d.subject}`);
  out.out(`  ${d.reason}`);
  if (d.segments && d.segments.length > 1) {
    for (const s of d.segments) out.out(`  - ${s.decision.padEnd(5)} ${s.text}  (${s.reason})`);
  }
  if (d.suggestion && d.decision === 'ask') out.out(`  to allow without asking: --allow '${d.suggestion}'`);
}
