/**
 * Writing an init plan: each file atomically (temp + fsync + rename through the port), the manifest last —
 * so an interrupted run leaves every file either old or new, and the next run finishes the job.
 */
import { InputError, problem } from '../problems';
import { PathEscapeError, type Workspace } from '../workspace';
import { MANIFEST_FILE } from './layout';
import type { InitAction, InitPlan, PlannedFile } from './plan';

export type InitSummary = Record<InitAction, string[]>;

export function summarize(plan: InitPlan): InitSummary {
  const summary: InitSummary = { created: [], updated: [], kept: [], unchanged: [] };
  for (const f of plan.files) summary[f.action].push(f.path);
  return summary;
}

export function hasChanges(plan: InitPlan): boolean {
  return plan.files.some((f) => f.action === 'created' || f.action === 'updated');
}

export async function applyInit(workspace: Workspace, plan: InitPlan): Promise<InitSummary> {
  const writes = plan.files.filter(
    (f) => f.content !== undefined && (f.action === 'created' || f.action === 'updated'),
  );
  const ordered = [
    ...writes.filter((f) => f.path !== MANIFEST_FILE),
    ...writes.filter((f) => f.path === MANIFEST_FILE),
  ];
  for (const file of ordered) await write(workspace, file);
  return summarize(plan);
}

async function write(workspace: Workspace, file: PlannedFile): Promise<void> {
  // Checked again right before writing: a link swapped in since planning is still refused.
  try {
    await workspace.resolveInside(workspace.rel(file.writeTo));
  } catch (err) {
    if (err instanceof PathEscapeError) {
      throw new InputError([problem(file.path, 1, 1, 'init-target', `${err.message}; nothing more was written`)]);
    }
    throw err;
  }
  await workspace.fs.writeFileAtomic(file.writeTo, file.content!);
}
