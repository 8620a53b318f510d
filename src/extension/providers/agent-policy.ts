/**
 * The agent's permission policy in VS Code, built like the CLI's: user-level rules (`settings.json` in the user's
 * Context Forge config directory), the project's `.claude/settings.json` / `.claude/settings.local.json` — whose
 * allow rules count only after the user approved that exact list (modal dialog; "always" is remembered outside
 * the project) — and the protected paths (the config directory itself). Invalid rules stop the run with their
 * file, line and column.
 */
import type { ApprovalsPort } from '../../core/ports/approvals';
import type { Workspace } from '../../core/workspace';
import { type LoadedPermissionPolicy, loadPermissionPolicy } from '../../node/permission-policy-loader';

export type AgentPolicy = LoadedPermissionPolicy;

/** The modal dialogs can always ask; `--yes`-style approval of widening rules does not exist here. */
export function loadAgentPolicy(workspace: Workspace, approvals: ApprovalsPort): Promise<AgentPolicy> {
  return loadPermissionPolicy({ workspace, approvals, interactive: true });
}
