/**
 * Builds the agent's permission policy for a CLI command: `--allow/--ask/--deny` flags, the user-level
 * settings file, and the project's `.claude/settings.json` / `.claude/settings.local.json` (whose allow rules
 * count only once the user approved that exact list — never through `--yes`). Invalid rules anywhere are an
 * `InputError` (exit 2) naming the file or flag, line and column.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { SessionApprovals } from '../core/policy/enforce';
import { PermissionPolicy } from '../core/policy/policy';
import {
  combineRules,
  type PermissionSettings,
  parsePermissionSettings,
  parseRuleFlags,
  projectAllowApprovalTexts,
} from '../core/policy/settings';
import type { ApprovalStore } from '../core/ports/approval-store';
import type { ApprovalsPort } from '../core/ports/approvals';
import { InputError, type Problem } from '../core/problems';
import { decodeUtf8 } from '../core/text';
import { ensureApproved } from '../core/trust/ensure-approved';
import { FileApprovalStore } from '../node/approval-store';
import { userConfigDir, userSettingsFile } from '../node/config-dir';
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

export const PROJECT_SETTINGS_FILES = ['.claude/settings.json', '.claude/settings.local.json'];

export interface LoadedPolicy {
  policy: PermissionPolicy;
  session: SessionApprovals;
  approvals: ApprovalsPort;
  /** Warnings for the user (ignored rules, unsupported tools). */
  warnings: string[];
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
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const cli = parseRuleFlags(flags);
  problems.push(...cli.problems);
  const user = await readSettings(ctx, userSettingsFile(configDir), 'user', problems);
  let project: PermissionSettings | undefined;
  for (const rel of PROJECT_SETTINGS_FILES) {
    const abs = await ctx.workspace.resolveInside(rel).catch(() => undefined);
    if (!abs) continue;
    const s = await readSettings(ctx, abs, 'project', problems, rel);
    if (!s) continue;
    project ??= { rules: { allow: [], ask: [], deny: [] } };
    for (const list of ['allow', 'ask', 'deny'] as const) project.rules[list].push(...s.rules[list]);
    if (s.fileWrites) project.fileWrites = s.fileWrites;
  }
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new InputError(errors);
  for (const p of problems) warnings.push(`${p.file}:${p.line}:${p.column}: ${p.message}`);

  const store = options.store ?? new FileApprovalStore(path.join(configDir, 'approvals.json'));
  const approvals = options.approvals ?? new TtyApprovals();
  let projectAllowApproved = false;
  const allowTexts = projectAllowApprovalTexts(project);
  if (allowTexts.length > 0) {
    const r = await ensureApproved({
      projectRoot: ctx.root,
      commands: allowTexts,
      interactive: ctx.interactive,
      yes: false, // --yes approves the project's commands, never rules that widen what the agent may do
      store,
      approvals,
      fs: ctx.workspace.fs,
      context: 'allow rules from the project settings widen what the agent may do without asking',
      signal: ctx.signal,
    });
    projectAllowApproved = r.approved;
  }
  const sources: Parameters<typeof combineRules>[0] = { cli: cli.rules, projectAllowApproved };
  if (user) sources.user = user;
  if (project) sources.project = project;
  const combined = combineRules(sources);
  if (combined.ignored.length > 0) {
    warnings.push(
      `ignoring ${combined.ignored.length} allow rule(s) from the project settings until you approve them ` +
        `(run interactively once, or move them to ${userSettingsFile(configDir)} or pass them with --allow): ` +
        combined.ignored.map((r) => r.text).join(', '),
    );
  }
  const policy = new PermissionPolicy({
    root: ctx.root,
    home: options.home ?? os.homedir(),
    fs: ctx.workspace.fs,
    rules: combined.rules,
    fileWrites: combined.fileWrites,
    approvedCommands: options.approvedCommands ?? [],
    protectedPaths: [configDir],
  });
  return { policy, session: new SessionApprovals(), approvals, warnings };
}

async function readSettings(
  ctx: CliContext,
  file: string,
  origin: 'user' | 'project',
  problems: Problem[],
  display = file,
): Promise<PermissionSettings | undefined> {
  const fs = ctx.workspace.fs;
  const st = await fs.stat(file);
  if (!st) return undefined;
  const decoded = decodeUtf8(await fs.readFile(file), display);
  problems.push(...decoded.problems);
  if (decoded.problems.length > 0) return undefined;
  const parsed = parsePermissionSettings(decoded.text, display, origin);
  problems.push(...parsed.problems);
  return parsed.settings;
}
