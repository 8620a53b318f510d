/**
 * The agent's permission policy in VS Code, built like the CLI's: user-level rules (`settings.json` in the user's
 * Context Forge config directory), the project's `.claude/settings.json` / `.claude/settings.local.json` — whose
 * allow rules count only after the user approved that exact list (modal dialog; "always" is remembered outside
 * the project) — and the protected paths (the config directory itself). Invalid rules stop the run with their
 * file, line and column.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { SessionApprovals } from '../../core/policy/enforce';
import { PermissionPolicy } from '../../core/policy/policy';
import {
  combineRules,
  type PermissionSettings,
  parsePermissionSettings,
  projectAllowApprovalTexts,
} from '../../core/policy/settings';
import type { ApprovalsPort } from '../../core/ports/approvals';
import { InputError, type Problem } from '../../core/problems';
import { decodeUtf8 } from '../../core/text';
import { ensureApproved } from '../../core/trust/ensure-approved';
import type { Workspace } from '../../core/workspace';
import { FileApprovalStore } from '../../node/approval-store';
import { userConfigDir, userSettingsFile } from '../../node/config-dir';

export const PROJECT_SETTINGS_FILES = ['.claude/settings.json', '.claude/settings.local.json'];

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

export interface AgentPolicy {
  policy: PermissionPolicy;
  session: SessionApprovals;
  warnings: string[];
}

export async function loadAgentPolicy(workspace: Workspace, approvals: ApprovalsPort): Promise<AgentPolicy> {
  const configDir = userConfigDir();
  const problems: Problem[] = [];
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
      interactive: true,
      yes: false,
      store: new FileApprovalStore(path.join(configDir, 'approvals.json')),
      approvals,
      fs: workspace.fs,
      context: 'allow rules from the project settings widen what the agent may do without asking',
    });
    projectAllowApproved = r.approved;
  }
  const sources: Parameters<typeof combineRules>[0] = { projectAllowApproved };
  if (user) sources.user = user;
  if (project) sources.project = project;
  const combined = combineRules(sources);
  if (combined.ignored.length > 0) {
    warnings.push(
      `ignoring ${combined.ignored.length} allow rule(s) from the project settings until you approve them: ${combined.ignored.map((r) => r.text).join(', ')}`,
    );
  }
  const policy = new PermissionPolicy({
    root: workspace.root,
    home: os.homedir(),
    fs: workspace.fs,
    rules: combined.rules,
    fileWrites: combined.fileWrites,
    approvedCommands: [],
    protectedPaths: [configDir],
  });
  return { policy, session: new SessionApprovals(), warnings };
}
