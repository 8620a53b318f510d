/**
 * The project root and the rule that nothing is read or written outside it: paths are
 * resolved, then checked with `path.relative` after `realpath`, so `..`, absolute paths,
 * sibling prefixes (`/ws/proj-evil`) and symlinks pointing out are all refused.
 */
import * as path from 'node:path';
import type { FileSystem } from './ports/file-system';

export class PathEscapeError extends Error {
  constructor(
    readonly requested: string,
    readonly reason: string,
  ) {
    super(`path "${requested}" ${reason}`);
    this.name = 'PathEscapeError';
  }
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Project-relative, `/`-separated form of an absolute path inside `root`. */
export function toProjectPath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

function components(p: string): string[] {
  return p.split(/[\\/]+/).filter((c) => c !== '' && c !== '.');
}

export interface CanonicalPath {
  /** The path as the kernel would reach it: symlinks resolved component by component. */
  real: string;
  /** Set when the path cannot be resolved safely (a dangling symlink, an unreadable component). */
  unresolvable?: string;
}

/**
 * Resolves `requested` (relative to `base`) the way the kernel walks it: from the root, one component at a
 * time, following symlinks as they are met, so `link/../x` climbs out of the *real* directory the link led
 * to (`path.resolve` would drop `link/..` on paper first). A missing tail is appended as written; a dangling
 * symlink is unresolvable (writing through it would create its target, wherever that is).
 */
export async function canonicalPath(
  fs: Pick<FileSystem, 'realPath' | 'stat'>,
  base: string,
  requested: string,
): Promise<CanonicalPath> {
  if (requested.includes('\0')) return { real: path.resolve(base, requested), unresolvable: 'contains a NUL byte' };
  const absolute = path.isAbsolute(requested);
  const parts = absolute ? components(requested) : [...components(base), ...components(requested)];
  let current = path.parse(absolute ? requested : base).root || path.sep;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '..') {
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    try {
      current = await fs.realPath(next);
    } catch {
      const st = await fs.stat(next).catch(() => undefined);
      if (st?.type === 'symlink') return { real: next, unresolvable: 'is a symbolic link whose target does not exist' };
      if (st !== undefined) return { real: next, unresolvable: 'cannot be resolved' };
      return { real: path.resolve(current, ...parts.slice(i)) };
    }
  }
  return { real: current };
}

export class Workspace {
  private realRoot: string | undefined;

  constructor(
    readonly root: string,
    readonly fs: FileSystem,
  ) {
    if (!path.isAbsolute(root)) throw new Error(`workspace root must be absolute: ${root}`);
  }

  /** The project root with symlinks resolved (cached). */
  async canonicalRoot(): Promise<string> {
    if (this.realRoot === undefined) this.realRoot = await this.fs.realPath(this.root);
    return this.realRoot;
  }

  /** Absolute path of a project-relative (or absolute) path, without touching the disk. */
  abs(relative: string): string {
    return path.resolve(this.root, relative);
  }

  rel(absolute: string): string {
    return toProjectPath(this.root, absolute);
  }

  /**
   * Resolves `requested` against the root and proves it stays inside after following symlinks.
   * For a path that does not exist yet, the nearest existing ancestor is resolved instead
   * (so creating `a/b/new.md` under a symlinked `a` that points outside is refused too).
   */
  async resolveInside(requested: string): Promise<string> {
    if (requested.includes('\0')) throw new PathEscapeError(requested, 'contains a NUL byte');
    const lexical = path.resolve(this.root, requested);
    if (!isInside(this.root, lexical)) throw new PathEscapeError(requested, 'is outside the project');
    const root = await this.canonicalRoot();
    const canonical = await canonicalPath(this.fs, this.root, requested);
    if (canonical.unresolvable) throw new PathEscapeError(requested, canonical.unresolvable);
    if (!isInside(root, canonical.real)) {
      throw new PathEscapeError(requested, 'resolves outside the project (through a symlink)');
    }
    return lexical;
  }
}
