/**
 * Keeps the project snapshot the agent sees: taken when first needed, taken again when it is older than
 * `contextRefreshInterval` (settings; 0 = never automatically), or on demand (`/context-refresh [--full]`).
 *
 * A conversation keeps the snapshot it started with — changing its context block mid-conversation would
 * invalidate the prompt cache of every later turn. New conversations (the next step) get the fresh one.
 */
import { type ProjectSnapshot, type SnapshotDeps, takeSnapshot } from './snapshot';

export interface ContextManagerOptions extends SnapshotDeps {
  /** `orchestration.contextRefreshIntervalMs`; 0 turns automatic refreshes off. */
  refreshIntervalMs: number;
}

export class ContextManager {
  private current: ProjectSnapshot | undefined;
  private pending: Promise<ProjectSnapshot> | undefined;
  /** How many snapshots were taken (for status displays and tests). */
  refreshes = 0;

  constructor(private readonly options: ContextManagerOptions) {}

  /** The snapshot to use now: the cached one unless it is missing or stale. */
  async snapshot(): Promise<ProjectSnapshot> {
    const s = this.current;
    const interval = this.options.refreshIntervalMs;
    if (s && (interval <= 0 || this.options.now() - s.takenAt < interval)) return s;
    return this.refresh({ full: s?.full ?? false });
  }

  /** Takes a new snapshot now (`full`: larger caps — deeper tree, more history). */
  async refresh(options: { full?: boolean } = {}): Promise<ProjectSnapshot> {
    // Concurrent callers (parallel steps) share one refresh.
    this.pending ??= takeSnapshot(this.options, options)
      .then((s) => {
        this.current = s;
        this.refreshes++;
        return s;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** The last snapshot taken, if any (never triggers a refresh). */
  get last(): ProjectSnapshot | undefined {
    return this.current;
  }
}
