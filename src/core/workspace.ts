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
    let probe = lexical;
    const tail: string[] = [];
    for (;;) {
      try {
        const real = await this.fs.realPath(probe);
        const full = tail.length ? path.join(real, ...tail.reverse()) : real;
        if (!isInside(root, full))
          throw new PathEscapeError(requested, 'resolves outside the project (through a symlink)');
        return lexical;
      } catch (err) {
        if (err instanceof PathEscapeError) throw err;
        const parent = path.dirname(probe);
        if (parent === probe) throw new PathEscapeError(requested, 'cannot be resolved');
        tail.push(path.basename(probe));
        probe = parent;
      }
    }
  }
}
