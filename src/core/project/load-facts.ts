/**
 * The project facts the CLI evaluates `## IF` conditions against.
 *
 * For now this returns empty facts (every known name resolves, nothing is detected): `detectTechStack`
 * (src/core/project/tech-stack.ts) is being written in parallel and is wired in here when it lands, so every
 * caller (lint, and later validate/run-prp) gets detection without changing.
 */
import type { Workspace } from '../workspace';
import { emptyTechStack, type ProjectFacts } from './facts';

export async function loadProjectFacts(_workspace: Workspace): Promise<ProjectFacts> {
  return { techStack: emptyTechStack() };
}
