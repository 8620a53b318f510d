/**
 * A bounded walk of a directory tree for glob and grep: depth-first in name order, symbolic links listed but
 * never followed (no cycles, no escaping through a link), heavy folders (`.git`, `node_modules`…) skipped unless
 * the caller asks for them by name, and at most `maxEntries` entries visited.
 */
import * as path from 'node:path';
import type { EntryType, FileSystem } from '../../ports/file-system';

/** Folders skipped unless named in the pattern: version control, dependencies, caches, our own run data. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.git',
  'node_modules',
  '.context-forge',
  '.venv',
  'venv',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'target',
  '.next',
  '.turbo',
]);

export interface WalkEntry {
  /** Absolute. */
  abs: string;
  /** Relative to the walk's base, `/`-separated. */
  rel: string;
  type: EntryType;
}

export interface WalkResult {
  entries: WalkEntry[];
  /** The walk stopped at `maxEntries`. */
  truncated: boolean;
}

export async function walkTree(
  fs: FileSystem,
  base: string,
  options: { maxEntries: number; include?: ReadonlySet<string>; signal?: AbortSignal },
): Promise<WalkResult> {
  const entries: WalkEntry[] = [];
  let truncated = false;
  const visit = async (dir: string, rel: string, depth: number): Promise<void> => {
    if (depth > 64 || truncated || options.signal?.aborted) return;
    let children: Awaited<ReturnType<FileSystem['readDir']>>;
    try {
      children = await fs.readDir(dir);
    } catch {
      return; // unreadable: skipped
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      if (entries.length >= options.maxEntries) {
        truncated = true;
        return;
      }
      const childRel = rel ? `${rel}/${child.name}` : child.name;
      const abs = path.join(dir, child.name);
      entries.push({ abs, rel: childRel, type: child.type });
      if (child.type === 'directory' && (!SKIPPED_DIRS.has(child.name) || options.include?.has(child.name))) {
        await visit(abs, childRel, depth + 1);
      }
    }
  };
  await visit(base, '', 0);
  return { entries, truncated };
}

/** Skipped folder names that a glob pattern names explicitly (`node_modules/foo/**` walks node_modules). */
export function namedSkippedDirs(pattern: string): Set<string> {
  const named = new Set<string>();
  for (const part of pattern.split('/')) if (SKIPPED_DIRS.has(part)) named.add(part);
  return named;
}
