/**
 * Builds the agent's permission policy for a CLI command: `--allow/--ask/--deny` flags, the user-level
 * settings file, and the project's `.claude/settings.json` / `.claude/settings.local.json` (whose allow rules
 * count only once the user approved that exact list — never through `--yes`). Invalid rules anywhere are an
 * `InputError` (exit 2) naming the file or flag, line and column.
 */
import type { Command } from 'commander';
import { parseRuleFlags } from '../core/policy/settings';
import type { ApprovalStore } from '../core/ports/approval-store';
import type { ApprovalsPort } from '../core/ports/approvals';
import { userConfigDir, userSettingsFile } from '../node/config-dir';
import { type LoadedPermissionPolicy, loadPermissionPolicy } from '../node/permission-policy-loader';
import type { CliContext } from './context';
import { TtyApprovals } from './tty-approvals';

export interface PolicyFlags {
  allow?: string[];
  ask?: string[];
  deny?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds `--allow`, `--ask` and `--deny` (each repeatable) to a command. */
export function addPolicyOptions(cmd: Command): Command {
  return cmd
    .option('--allow <rule>', "let the agent do this without asking, e.g. 'Bash(npm install)' (repeatable)", collect)
    .option('--ask <rule>', "always ask before this, e.g. 'Bash(git push:*)' (repeatable)", collect)
    .option('--deny <rule>', "never let the agent do this, e.g. 'Read(./secrets/**)' (repeatable)", collect);
}

export interface LoadedPolicy extends LoadedPermissionPolicy {
  approvals: ApprovalsPort;
}

export async function loadPolicy(
  ctx: CliContext,
  flags: PolicyFlags,
  options: {
    approvedCommands?: Iterable<string>;
    store?: ApprovalStore;
    approvals?: ApprovalsPort;
    configDir?: string;
    home?: string;
  } = {},
): Promise<LoadedPolicy> {
  const configDir = options.configDir ?? userConfigDir();
  const cli = parseRuleFlags(flags);
  const approvals = options.approvals ?? new TtyApprovals();
  const loaded = await loadPermissionPolicy({
    workspace: ctx.workspace,
    approvals,
    interactive: ctx.interactive,
    hostRules: cli.rules,
    hostProblems: cli.problems,
    configDir,
    signal: ctx.signal,
    ignoredHint: `run interactively once, or move them to ${userSettingsFile(configDir)} or pass them with --allow`,
    ...(options.approvedCommands ? { approvedCommands: options.approvedCommands } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.home ? { home: options.home } : {}),
  });
  return { ...loaded, approvals };
}
