/**
 * Test-side process inspection, written independently of src/node/process-table.ts so a bug there cannot hide
 * a survivor: scans /proc directly (Linux) and reads each process's environment for a test's tag.
 * Also the clean-up every process test runs in `afterEach`, so a failing test leaves nothing behind.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
}

function readStat(pid: number): Proc | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const rest = text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
  return { pid, state: rest[0]!, ppid: Number(rest[1]), pgid: Number(rest[2]) };
}

function hasTag(pid: number, tag: string): boolean {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return env.some((e) => e.startsWith('CONTEXT_FORGE_PROCESS_TAGS=') && e.split('=')[1]!.split(' ').includes(tag));
  } catch {
    return false;
  }
}

function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Every process that has not exited (zombies have: they only wait to be reaped). */
export function liveProcesses(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readStat(Number(name));
    if (p && p.state !== 'Z' && p.state !== 'X') out.push(p);
  }
  return out;
}

export function isLive(pid: number): boolean {
  const p = readStat(pid);
  return p !== undefined && p.state !== 'Z' && p.state !== 'X';
}

export function processInfo(pid: number): Proc | undefined {
  return readStat(pid);
}

/** Live processes in group `pgid`, descended from `pid`, or carrying `tag`. */
export function survivors(where: { pgid?: number; ancestor?: number; tag?: string; pids?: number[] }): Proc[] {
  const live = liveProcesses();
  const byPid = new Map(live.map((p) => [p.pid, p]));
  const descends = (p: Proc): boolean => {
    let cur: Proc | undefined = p;
    for (let i = 0; cur && i < 64; i++) {
      if (cur.ppid === where.ancestor) return true;
      cur = byPid.get(cur.ppid);
    }
    return false;
  };
  return live.filter(
    (p) =>
      p.pid !== process.pid &&
      ((where.pgid !== undefined && p.pgid === where.pgid) ||
        (where.ancestor !== undefined && descends(p)) ||
        (where.tag !== undefined && hasTag(p.pid, where.tag)) ||
        (where.pids?.includes(p.pid) ?? false)),
  );
}

/** Polls `condition` until true; rejects with `message` after `timeoutMs` (generous: tests run on 2 busy cores). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${message}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Clean-up registry: tags (every process spawned by a test's runner carries the test's tag), process groups and
 * pids (checked to still carry a tracked tag, so a recycled pid is never killed) are SIGKILLed by `killAll`.
 */
export class ProcessJanitor {
  private readonly tags = new Set<string>();
  private readonly groups = new Set<number>();
  private readonly pids = new Map<number, string | undefined>();

  tag(name: string): string {
    const tag = `test-${name}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    this.tags.add(tag);
    return tag;
  }

  group(pgid: number): void {
    this.groups.add(pgid);
  }

  /** A pid to kill; it must still carry a tracked tag, or (for a process that cleared its environment) run `comm`. */
  pid(pid: number, comm?: string): void {
    this.pids.set(pid, comm);
  }

  /** SIGKILLs everything tracked; returns what was still alive (a test may assert it was nothing). */
  killAll(): Proc[] {
    const found = new Map<number, Proc>();
    for (const tag of this.tags) for (const p of survivors({ tag })) found.set(p.pid, p);
    for (const g of this.groups) for (const p of survivors({ pgid: g })) found.set(p.pid, p);
    for (const [pid, comm] of this.pids) {
      const p = readStat(pid);
      if (!p || p.state === 'Z') continue;
      if ([...this.tags].some((t) => hasTag(pid, t)) || (comm !== undefined && commOf(pid) === comm)) found.set(pid, p);
    }
    for (const p of found.values()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.tags.clear();
    this.groups.clear();
    this.pids.clear();
    return [...found.values()];
  }
}
