/**
 * Reading the manifests detection looks at: through the FileSystem port, inside the project only
 * (a manifest symlinked out of the project is refused), strict UTF-8 with the size cap. Never throws.
 */
import type { Problem } from '../../problems';
import { problem } from '../../problems';
import { decodeUtf8 } from '../../text';
import { PathEscapeError, type Workspace } from '../../workspace';

export interface ProjectFile {
  /** Project-relative `/` path. */
  path: string;
  text: string;
}

export interface ReadOutcome {
  file: ProjectFile | undefined;
  problems: Problem[];
}

/** Reads `relative` when it exists as a file (or a link to one inside the project); `undefined` otherwise. */
export async function readProjectFile(workspace: Workspace, relative: string): Promise<ReadOutcome> {
  const abs = workspace.abs(relative);
  const stat = await workspace.fs.stat(abs).catch(() => undefined);
  if (stat === undefined) return { file: undefined, problems: [] };
  if (stat.type !== 'file' && stat.type !== 'symlink') return { file: undefined, problems: [] };
  try {
    await workspace.resolveInside(relative);
  } catch (err) {
    if (err instanceof PathEscapeError) {
      return {
        file: undefined,
        problems: [problem(relative, 1, 1, 'path-escape', `${err.message}; it was not read`, 'warning')],
      };
    }
    throw err;
  }
  let bytes: Uint8Array;
  try {
    bytes = await workspace.fs.readFile(abs);
  } catch (err) {
    // A directory behind a symlink, a dangling link, permissions: not a manifest we can use.
    return {
      file: undefined,
      problems: [problem(relative, 1, 1, 'read-failed', `cannot read: ${(err as Error).message}`, 'warning')],
    };
  }
  const decoded = decodeUtf8(bytes, relative);
  if (decoded.problems.length > 0) return { file: undefined, problems: decoded.problems };
  return { file: { path: relative, text: decoded.text }, problems: [] };
}

/** Whether `relative` exists (file, directory or link) — for marker files such as lockfiles. */
export async function exists(workspace: Workspace, relative: string): Promise<boolean> {
  const stat = await workspace.fs.stat(workspace.abs(relative)).catch(() => undefined);
  return stat !== undefined;
}

/** Names of the entries at the project root (empty when it cannot be listed). */
export async function rootEntries(workspace: Workspace): Promise<string[]> {
  try {
    return (await workspace.fs.readDir(workspace.root)).map((e) => e.name).sort();
  } catch {
    return [];
  }
}
