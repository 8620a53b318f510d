/**
 * Builds the agent's permission policy the same way for every host: rules from the user-level settings file (in
 * the user's Context Forge config directory), the host's own rules (the CLI's `--allow/--ask/--deny`), and the
 * project's `.claude/settings.json` / `.claude/settings.local.json` — whose allow rules count only once the user
 * approved that exact list (never through `--yes`: those rules widen what the agent may do). The config directory
 * itself is protected. Invalid rules anywhere are an `InputError` naming the file or flag, line and column.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { SessionApprovals } from '../core/policy/enforce';
import { PermissionPolicy } from '../core/policy/policy';
import {
  combineRules,
  type PermissionSettings,
  parsePermissionSettings,
  projectAllowApprovalTexts,
} from '../core/policy/settings';
import type { ApprovalStore } from '../core/ports/approval-store';
import type { ApprovalsPort } from '../core/ports/approvals';
import { InputError, type Problem } from '../core/problems';
import { decodeUtf8 } from '../core/text';
import { ensureApproved } from '../core/trust/ensure-approved';
import type { Workspace } from '../core/workspace';
import { FileApprovalStore } from './approval-store';
import { userConfigDir, userSettingsFile } from './config-dir';

export const PROJECT_SETTINGS_FILES = ['.claude/settings.json', '.claude/settings.local.json'];

export interface PolicyLoadOptions {
  workspace: Workspace;
  approvals: ApprovalsPort;
  /** Whether the approvals port can ask someone now (a terminal, a dialog). */
  interactive: boolean;
  /** Rules the host adds for this run (parsed `--allow/--ask/--deny`). */
  hostRules?: PermissionSettings['rules'];
  /** Problems found while parsing `hostRules` (reported with the others). */
  hostProblems?: Problem[];
  /** Gate commands the user approved, which the agent may run too. */
  approvedCommands?: Iterable<string>;
  store?: ApprovalStore;
  configDir?: string;
  home?: string;
  signal?: AbortSignal;
  /** How to tell the user where else allow rules can go (shown with ignored project allow rules). */
  ignoredHint?: string;
}

export interface LoadedPermissionPolicy {
  policy: PermissionPolicy;
  session: SessionApprovals;
  /** For the user: ignored rules, unsupported tools. */
  warnings: string[];
}

export async function loadPermissionPolicy(options: PolicyLoadOptions): Promise<LoadedPermissionPolicy> {
  const { workspace } = options;
  const configDir = options.configDir ?? userConfigDir();
  const problems: Problem[] = [...(options.hostProblems ?? [])];
  const warnings: string[] = [];
  const user = await readRules(workspace, userSettingsFile(configDir), 'user', problems);
  let project: PermissionSettings | undefined;
  for (const rel of PROJECT_SETTINGS_FILES) {
    const abs = await workspace.resolveInside(rel).catch(() => undefined);
    if (!abs) continue;
    const s = await readRules(workspace, abs, 'project', problems, rel);
    if (!s) continue;
    project ??= { rules: { allow: [], ask: [], deny: [] } };
    for (const list of ['allow', 'ask', 'deny'] as const) project.rules[list].push(...s.rules[list]);
    if (s.fileWrites) project.fileWrites = s.fileWrites;
  }
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new InputError(errors);
  for (const p of problems) warnings.push(`${p.file}:${p.line}:${p.column}: ${p.message}`);

  let projectAllowApproved = false;
  const allowTexts = projectAllowApprovalTexts(project);
  if (allowTexts.length > 0) {
    const r = await ensureApproved({
      projectRoot: workspace.root,
      commands: allowTexts,
      interactive: options.interactive,
      yes: false, // --yes approves the project's commands, never rules that widen what the agent may do
      store: options.store ?? new FileApprovalStore(path.join(configDir, 'approvals.json')),
      approvals: options.approvals,
      fs: workspace.fs,
      context: 'allow rules from the project settings widen what the agent may do without asking',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    projectAllowApproved = r.approved;
  }
  const sources: Parameters<typeof combineRules>[0] = { projectAllowApproved };
  if (options.hostRules) sources.cli = options.hostRules;
  if (user) sources.user = user;
  if (project) sources.project = project;
  const combined = combineRules(sources);
  if (combined.ignored.length > 0) {
    warnings.push(
      `ignoring ${combined.ignored.length} allow rule(s) from the project settings until you approve them` +
        `${options.ignoredHint ? ` (${options.ignoredHint})` : ''}: ${combined.ignored.map((r) => r.text).join(', ')}`,
    );
  }
  const policy = new PermissionPolicy({
    root: workspace.root,
    home: options.home ?? os.homedir(),
    fs: workspace.fs,
    rules: combined.rules,
    fileWrites: combined.fileWrites,
    approvedCommands: options.approvedCommands ?? [],
    protectedPaths: [configDir],
  });
  return { policy, session: new SessionApprovals(), warnings };
}

async function readRules(
  workspace: Workspace,
  file: string,
  origin: 'user' | 'project',
  problems: Problem[],
  display = file,
): Promise<PermissionSettings | undefined> {
  const st = await workspace.fs.stat(file);
  if (!st) return undefined;
  const decoded = decodeUtf8(await workspace.fs.readFile(file), display);
  problems.push(...decoded.problems);
  if (decoded.problems.length > 0) return undefined;
  const parsed = parsePermissionSettings(decoded.text, display, origin);
  problems.push(...parsed.problems);
  return parsed.settings;
}
