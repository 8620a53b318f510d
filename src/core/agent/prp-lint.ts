/**
 * The harness side of `/prp-create`: after the agent stops, the PRP must exist and pass our lint. Errors go back
 * to the agent as findings (`file:line:column: error: message`); warnings are reported but do not block.
 */
import { formatProblem, type Problem } from '../problems';
import type { Workspace } from '../workspace';

/** Lints a PRP (project-relative path). The colleague's `lint` command core fits here. */
export type PrpLinter = (prp: string, signal?: AbortSignal) => Promise<Problem[]>;

export interface LintFindings {
  errors: string[];
  warnings: string[];
}

export async function createdPrpFindings(
  workspace: Workspace,
  target: string,
  lint: PrpLinter | undefined,
  signal?: AbortSignal,
): Promise<LintFindings> {
  const st = await workspace.fs.stat(workspace.abs(target));
  if (st?.type !== 'file') return { errors: [`${target} does not exist: write the PRP there`], warnings: [] };
  if (!lint) return { errors: [], warnings: [] };
  const problems = await lint(target, signal);
  return {
    errors: problems.filter((p) => p.severity === 'error').map(formatProblem),
    warnings: problems.filter((p) => p.severity !== 'error').map(formatProblem),
  };
}

/** The failure message when the PRP still does not lint after the last round. */
export function lintFailure(target: string, errors: readonly string[], rounds: number): string {
  const shown = errors.slice(0, 5).join('; ');
  return `${target} still fails lint after ${rounds} fix round${rounds === 1 ? '' : 's'} (${errors.length} error${
    errors.length === 1 ? '' : 's'
  }): ${shown}${errors.length > 5 ? '; …' : ''}`;
}
