/**
 * Which file changes fire `onFileChange` hooks: never the tool's own state (`.context-forge/`), VCS internals
 * or dependencies, and never the writes a hook itself makes while it runs (or just after — a formatter
 * hook must not trigger itself forever). A hook's `paths` globs narrow it further.
 */
import picomatch from 'picomatch';

export const WATCH_IGNORED_DIRS: readonly string[] = ['.git', 'node_modules', '.context-forge'];

/** True for project-relative paths the watcher never reports. */
export function isIgnoredChange(relative: string): boolean {
  const parts = relative.split('/');
  return parts.some((p) => WATCH_IGNORED_DIRS.includes(p));
}

/** A hook's path filter: empty = every file. */
export function pathFilter(globs: readonly string[]): (relative: string) => boolean {
  if (globs.length === 0) return () => true;
  const match = picomatch([...globs], { dot: true });
  return (relative) => match(relative);
}

/**
 * Tracks when hooks run so their own writes are not taken for the user's: changes seen while a hook runs,
 * or within `settleMs` after it ends, are dropped.
 */
export class OwnWrites {
  private running = 0;
  private quietUntil = 0;

  constructor(private readonly settleMs = 750) {}

  begin(): void {
    this.running++;
  }

  end(now: number): void {
    this.running = Math.max(0, this.running - 1);
    this.quietUntil = now + this.settleMs;
  }

  /** Whether a change seen at `now` is the tool's own. */
  isOwn(now: number): boolean {
    return this.running > 0 || now < this.quietUntil;
  }
}
