/** Path helpers shared by the tools: resolving what the model wrote, and showing paths back to it. */
import * as path from 'node:path';
import { toProjectPath } from '../../workspace';
import { ToolError } from './tool';

/** The absolute path for a path the model wrote (project-relative or absolute). */
export function resolveToolPath(root: string, requested: string): string {
  if (requested.includes('\0')) throw new ToolError(`the path ${JSON.stringify(requested)} contains a NUL byte`);
  return path.resolve(root, requested);
}

/** How a path is shown to the model: project-relative with `/`, or absolute when outside the project. */
export function displayPath(root: string, absolute: string): string {
  const rel = toProjectPath(root, absolute);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? absolute : rel;
}
