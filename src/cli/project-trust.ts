/**
 * CLI side of project-command trust: before a command runs a project's gates, `run:` steps or hooks, it calls
 * `requireProjectApproval`. Approved → returns. Not approved (no terminal and no `--yes`, the user declined, or
 * a command hides characters) → a `CliError` with exit code 2 that lists the commands and says how to approve.
 */
import type { ApprovalStore } from '../core/ports/approval-store';
import type { ApprovalsPort } from '../core/ports/approvals';
import { type EnsureApprovedResult, ensureApproved, type ProjectCommand } from '../core/trust/ensure-approved';
import { FileApprovalStore } from '../node/approval-store';
import type { CliContext } from './context';
import { CliError } from './errors';
import { ExitCode } from './exit-codes';
import { TtyApprovals } from './tty-approvals';

export interface ProjectApprovalOptions {
  yes: boolean;
  store?: ApprovalStore;
  approvals?: ApprovalsPort;
  /** Shown in the prompt: what wants to run them. */
  context?: string;
}

export async function requireProjectApproval(
  ctx: CliContext,
  commands: readonly (string | ProjectCommand)[],
  options: ProjectApprovalOptions,
): Promise<EnsureApprovedResult> {
  const result = await ensureApproved({
    projectRoot: ctx.root,
    commands,
    interactive: ctx.interactive,
    yes: options.yes,
    store: options.store ?? new FileApprovalStore(),
    approvals: options.approvals ?? new TtyApprovals(),
    fs: ctx.workspace.fs,
    ...(options.context ? { context: options.context } : {}),
    signal: ctx.signal,
  });
  if (!result.approved) throw new CliError(result.message ?? 'project commands not approved', ExitCode.Usage);
  if (result.message) ctx.out.err(`warning: ${result.message}`);
  return result;
}
