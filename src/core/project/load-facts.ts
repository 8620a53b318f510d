/**
 * The project facts PRP conditionals (`## IF techStack.database === 'postgresql'`), lint and templates are
 * resolved against. Problems in the manifests do not stop anything: use `loadProjectFactsWithProblems`
 * where they should be shown.
 */
import type { Problem } from '../problems';
import type { Workspace } from '../workspace';
import type { ProjectFacts } from './facts';
import { detectProject } from './tech-stack';

export async function loadProjectFacts(workspace: Workspace): Promise<ProjectFacts> {
  return (await loadProjectFactsWithProblems(workspace)).facts;
}

export async function loadProjectFactsWithProblems(
  workspace: Workspace,
): Promise<{ facts: ProjectFacts; problems: Problem[] }> {
  const detected = await detectProject(workspace);
  return { facts: { techStack: detected.techStack }, problems: detected.problems };
}
