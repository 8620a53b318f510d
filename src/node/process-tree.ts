/**
 * Finding and signalling a whole process tree — the step's process group, every descendant (also those that
 * left the group with `setsid`/`setpgid`), and every process carrying our tag in its environment (also those
 * a double fork re-parented to init, where no parent link leads back to us).
 *
 * Why not `tree-kill` or `pidtree`: both walk parent links only (by running `ps`/`pgrep` — absent from slim
 * containers), signal pid by pid and never the process group, so a grandchild forked between the listing and
 * the kill, or re-parented to init, survives. Here the group is signalled first (the kernel does that
 * atomically), then the rest; the tree is re-listed until it is gone.
 *
 * Limits: a process that clears its environment (`env -i`, `sudo`) *and* is re-parented to init *and* left our
 * process group cannot be found; processes of another user cannot be signalled (EPERM) unless we are root;
 * an uninterruptible process (`D` state) dies only when its I/O returns. Tags are Linux-only.
 */
import { isExited, type ProcessInfo, readProcessTable } from './process-table';

/** What to kill: a process and its descendants, a process group, processes tagged in their environment. */
export interface TreeTarget {
  pid?: number;
  /** A process group we know belongs to the tree (the runner's child is a group leader). */
  pgid?: number;
  /** Processes whose `CONTEXT_FORGE_PROCESS_TAGS` contains this tag (Linux). */
  tag?: string;
}

export type KillSignal = 'SIGINT' | 'SIGTERM' | 'SIGKILL' | 'SIGHUP' | 'SIGQUIT';

function toTarget(target: number | TreeTarget): TreeTarget {
  return typeof target === 'number' ? { pid: target } : target;
}

function validPid(n: number | undefined): n is number {
  return n !== undefined && Number.isInteger(n) && n > 1;
}

/**
 * The live members of a tree in a process-table snapshot. Never includes `protectedPids` (ourselves and our
 * ancestors), pid 1, or processes that already exited (zombies).
 */
export function selectTree(
  table: readonly ProcessInfo[],
  target: TreeTarget,
  protectedPids: ReadonlySet<number>,
  known: ReadonlyMap<number, string | undefined> = new Map(),
): ProcessInfo[] {
  const byPid = new Map<number, ProcessInfo>();
  const children = new Map<number, ProcessInfo[]>();
  const byGroup = new Map<number, ProcessInfo[]>();
  for (const p of table) {
    byPid.set(p.pid, p);
    const siblings = children.get(p.ppid);
    if (siblings) siblings.push(p);
    else children.set(p.ppid, [p]);
    const mates = byGroup.get(p.pgid);
    if (mates) mates.push(p);
    else byGroup.set(p.pgid, [p]);
  }
  const queue: ProcessInfo[] = [];
  if (validPid(target.pid)) {
    const root = byPid.get(target.pid);
    if (root) queue.push(root);
  }
  if (validPid(target.pgid)) queue.push(...(byGroup.get(target.pgid) ?? []));
  if (target.tag) for (const p of table) if (p.tags?.includes(target.tag)) queue.push(p);
  // Members seen in an earlier listing stay members after their parent died (same pid *and* start time).
  for (const [pid, startTime] of known) {
    const p = byPid.get(pid);
    if (p && p.startTime === startTime) queue.push(p);
  }

  const members = new Map<number, ProcessInfo>();
  while (queue.length > 0) {
    const p = queue.pop()!;
    if (members.has(p.pid) || protectedPids.has(p.pid) || p.pid <= 1) continue;
    members.set(p.pid, p);
    queue.push(...(children.get(p.pid) ?? []));
    // A member that leads its own group (it called setsid/setpgid): the group is part of the tree too.
    if (p.pgid === p.pid) queue.push(...(byGroup.get(p.pid) ?? []));
  }
  return [...members.values()].filter((p) => !isExited(p));
}

/** Our own pid and every ancestor's, so a tree walk can never reach (and kill) the process doing the killing. */
export function protectedSet(table: readonly ProcessInfo[]): Set<number> {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const out = new Set<number>([process.pid, process.ppid, 0, 1]);
  let cur = byPid.get(process.pid);
  while (cur && !out.has(cur.ppid)) {
    out.add(cur.ppid);
    cur = byPid.get(cur.ppid);
  }
  return out;
}

function send(id: number, signal: KillSignal | 0): boolean {
  try {
    process.kill(id, signal);
    return true;
  } catch {
    return false; // ESRCH: already gone; EPERM: not ours to signal
  }
}

/** The groups to signal as a whole: the target's, and any group a member leads. Never our own. */
function groupsOf(members: readonly ProcessInfo[], target: TreeTarget, ownGroup: number | undefined): Set<number> {
  const groups = new Set<number>();
  if (validPid(target.pgid)) groups.add(target.pgid);
  for (const m of members) if (m.pgid === m.pid) groups.add(m.pid);
  if (ownGroup !== undefined) groups.delete(ownGroup);
  return groups;
}

async function snapshot(
  target: TreeTarget,
  known?: ReadonlyMap<number, string | undefined>,
): Promise<{ members: ProcessInfo[]; ownGroup: number | undefined }> {
  let table: ProcessInfo[];
  try {
    table = await readProcessTable({ tags: target.tag !== undefined });
  } catch {
    // No process table (`ps` missing or failing): fall back to what the kernel tells about the group alone.
    const groupAlive = validPid(target.pgid) && send(-target.pgid, 0);
    return {
      members: groupAlive ? [{ pid: target.pgid!, ppid: 0, pgid: target.pgid!, state: '?' }] : [],
      ownGroup: undefined,
    };
  }
  const ownGroup = table.find((p) => p.pid === process.pid)?.pgid;
  return { members: selectTree(table, target, protectedSet(table), known), ownGroup };
}

/** The live members of a tree right now. */
export async function listTree(target: number | TreeTarget): Promise<ProcessInfo[]> {
  return (await snapshot(toTarget(target))).members;
}

/**
 * Sends one signal to a whole tree, once: its process group(s), then each member (descendants that left the
 * group, tagged processes). Returns the pids it signalled. Does not wait; see `forceKillTree` and
 * `TreeTermination` for escalation and waiting.
 */
export async function killProcessTree(target: number | TreeTarget, signal: KillSignal): Promise<number[]> {
  const t = toTarget(target);
  const { members, ownGroup } = await snapshot(t);
  const groups = groupsOf(members, t, ownGroup);
  for (const g of groups) send(-g, signal);
  const signalled: number[] = [];
  for (const m of members) {
    if (groups.has(m.pgid) || send(m.pid, signal)) signalled.push(m.pid);
  }
  return signalled;
}

export interface TerminationResult {
  /** Pids still alive when the termination gave up (after SIGKILL and `settleMs`). Normally empty. */
  survivors: number[];
  /** How many distinct processes were signalled at least once. */
  signalled: number;
}

/**
 * SIGKILLs a whole tree and waits (up to `timeoutMs`, default 5 s) until no member is left, re-listing to catch
 * processes forked meanwhile. For `stop --force` from another process, given a recorded pid/pgid/tag.
 */
export async function forceKillTree(
  target: number | TreeTarget,
  options: { timeoutMs?: number } = {},
): Promise<TerminationResult> {
  const termination = new TreeTermination(toTarget(target), { settleMs: options.timeoutMs ?? 5000 });
  termination.raise('kill');
  return termination.done;
}

export type TerminationLevel = 'interrupt' | 'terminate' | 'kill';
const LEVELS: readonly TerminationLevel[] = ['interrupt', 'terminate', 'kill'];
const SIGNAL_OF: Record<TerminationLevel, KillSignal> = { interrupt: 'SIGINT', terminate: 'SIGTERM', kill: 'SIGKILL' };

export interface TerminationOptions {
  /** SIGINT → SIGTERM after `interrupt` ms; SIGTERM → SIGKILL after `terminate` ms (GitHub Actions: 7500/2500). */
  graceMs?: { interrupt?: number; terminate?: number };
  /** After SIGKILL, how long to keep re-listing and re-killing before reporting survivors. */
  settleMs?: number;
  /** How often the tree is re-listed. */
  pollMs?: number;
}

export const DEFAULT_GRACE_MS = { interrupt: 7500, terminate: 2500 } as const;

/**
 * A graceful, escalating termination of a tree: `raise('interrupt')` sends SIGINT, then SIGTERM after the
 * interrupt grace, then SIGKILL after the terminate grace; `raise('terminate')` starts at SIGTERM. It only ever
 * escalates (a later `raise` to a lower level is ignored). Each signal goes to every member once — a second
 * SIGINT means "force quit" to many tools — except SIGKILL, repeated until the tree is gone. Processes that
 * appear later get the current level's signal. `done` resolves when no member is left.
 */
export class TreeTermination {
  private level = -1;
  private levelSince = 0;
  /** The level whose signal the loop has sent to the whole tree. */
  private applied = -1;
  private readonly signalledAt = new Map<number, number>();
  /** Every member seen so far (pid → start time), so one re-parented after its parent died is still found. */
  private readonly known = new Map<number, string | undefined>();
  private readonly grace: { interrupt: number; terminate: number };
  private readonly settleMs: number;
  private readonly pollMs: number;
  private wake: (() => void) | undefined;
  private started = false;
  private resolveDone!: (r: TerminationResult) => void;
  readonly done: Promise<TerminationResult>;

  constructor(
    private readonly target: TreeTarget,
    options: TerminationOptions = {},
  ) {
    this.grace = {
      interrupt: options.graceMs?.interrupt ?? DEFAULT_GRACE_MS.interrupt,
      terminate: options.graceMs?.terminate ?? DEFAULT_GRACE_MS.terminate,
    };
    this.settleMs = options.settleMs ?? 5000;
    this.pollMs = options.pollMs ?? 200;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get currentLevel(): TerminationLevel | undefined {
    return LEVELS[this.level];
  }

  raise(level: TerminationLevel): void {
    const index = LEVELS.indexOf(level);
    if (index <= this.level) return;
    this.level = index;
    this.levelSince = Date.now();
    if (!this.started) {
      this.started = true;
      this.run().then(this.resolveDone, () => this.resolveDone({ survivors: [], signalled: this.signalledAt.size }));
    } else {
      this.wake?.();
    }
  }

  private async run(): Promise<TerminationResult> {
    let delay = 10;
    for (;;) {
      const { members, ownGroup } = await snapshot(this.target, this.known);
      if (members.length === 0) return { survivors: [], signalled: this.signalledAt.size };
      for (const m of members) this.known.set(m.pid, m.startTime);
      this.escalateIfDue();
      const levelName = LEVELS[this.level]!;
      const signal = SIGNAL_OF[levelName];
      if (this.applied < this.level || levelName === 'kill') {
        // A new level (or SIGKILL, which is safe to repeat): the groups first — the kernel signals every member,
        // also one forked a moment ago — then each member outside them.
        const groups = groupsOf(members, this.target, ownGroup);
        for (const g of groups) send(-g, signal);
        for (const m of members) {
          if (!groups.has(m.pgid)) send(m.pid, signal);
          this.signalledAt.set(m.pid, this.level);
        }
        this.applied = this.level;
        delay = 10;
      } else {
        // Same level: only processes that appeared since get it; the others already have it once.
        for (const m of members) {
          if ((this.signalledAt.get(m.pid) ?? -1) < this.level) {
            send(m.pid, signal);
            this.signalledAt.set(m.pid, this.level);
          }
        }
      }
      if (levelName === 'kill' && Date.now() - this.levelSince >= this.settleMs) {
        return { survivors: members.map((m) => m.pid), signalled: this.signalledAt.size };
      }
      const nextEscalation = this.msToEscalation();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, Math.min(delay, nextEscalation)));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      delay = Math.min(delay * 2, this.pollMs);
    }
  }

  private msToEscalation(): number {
    const levelName = LEVELS[this.level];
    const elapsed = Date.now() - this.levelSince;
    if (levelName === 'interrupt') return this.grace.interrupt - elapsed;
    if (levelName === 'terminate') return this.grace.terminate - elapsed;
    return Number.POSITIVE_INFINITY;
  }

  private escalateIfDue(): void {
    if (this.msToEscalation() <= 0) this.raise(LEVELS[this.level] === 'interrupt' ? 'terminate' : 'kill');
  }
}
