/**
 * A snapshot of the machine's processes: pid, parent, process group, session, state, and (on Linux) the
 * process-tree tags we put in the environment of everything we spawn.
 *
 * Linux reads `/proc/<pid>/stat` (no `ps` needed — slim containers often lack procps). Elsewhere it runs
 * `ps -A -o pid=,ppid=,pgid=,stat=` (argv, no shell). Tags are only readable on Linux (`/proc/<pid>/environ`,
 * for processes of the same user, or any as root).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable that carries process-tree tags (space-separated) to everything we spawn. */
export const PROCESS_TAGS_ENV = 'CONTEXT_FORGE_PROCESS_TAGS';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Session id; `undefined` where `ps` does not report it. */
  sid?: number;
  /** One-letter state (`R`, `S`, `D`, `Z`, `T`…). A zombie (`Z`) or dead (`X`) process has already exited. */
  state: string;
  /** Start time in clock ticks since boot (Linux only): with the pid, identifies a process across pid reuse. */
  startTime?: string;
  /** Values of `CONTEXT_FORGE_PROCESS_TAGS` (Linux only, and only when asked for). */
  tags?: readonly string[];
}

export function isExited(p: ProcessInfo): boolean {
  return p.state === 'Z' || p.state === 'X' || p.state === 'x';
}

/** Parses the content of `/proc/<pid>/stat`. The command name may contain spaces and parentheses. */
export function parseProcStat(text: string): ProcessInfo | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // After the comm: state(3) ppid(4) pgrp(5) session(6) … starttime(22) → indexes 0, 1, 2, 3 … 19.
  const [state, ppid, pgrp, session] = fields;
  const startTime = fields[19];
  if (!Number.isInteger(pid) || state === undefined || ppid === undefined || pgrp === undefined) return undefined;
  return {
    pid,
    ppid: Number(ppid),
    pgid: Number(pgrp),
    sid: session === undefined ? undefined : Number(session),
    state,
    startTime,
  };
}

/** Reads `/proc/<pid>/environ` and returns the tags it carries (empty when unreadable or absent). */
export function parseTags(environ: Uint8Array): string[] {
  const buf = Buffer.from(environ.buffer, environ.byteOffset, environ.byteLength);
  const key = Buffer.from(`${PROCESS_TAGS_ENV}=`);
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0, start);
    if (end === -1) end = buf.length;
    if (end - start >= key.length && buf.compare(key, 0, key.length, start, start + key.length) === 0) {
      return splitTags(buf.toString('utf8', start + key.length, end));
    }
    start = end + 1;
  }
  return [];
}

export function splitTags(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter((t) => t.length > 0);
}

/**
 * procfs is served from kernel memory, not disk: synchronous reads take microseconds and are several times
 * faster than going through the thread pool for hundreds of tiny files.
 */
function readLinuxProcess(pid: number, withTags: boolean): ProcessInfo | undefined {
  let info: ProcessInfo | undefined;
  try {
    info = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // exited between readdir and read
  }
  if (info && withTags && !isExited(info)) {
    try {
      info.tags = parseTags(readFileSync(`/proc/${pid}/environ`));
    } catch {
      info.tags = []; // EACCES: another user's process
    }
  }
  return info;
}

/** One process, or `undefined` when it does not exist. */
export async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') return readLinuxProcess(pid, false);
  return (await readProcessTable()).find((p) => p.pid === pid);
}

/** All processes. With `tags`, also reads each process's tags (Linux). */
export async function readProcessTable(options: { tags?: boolean } = {}): Promise<ProcessInfo[]> {
  if (process.platform === 'linux') {
    const out: ProcessInfo[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const info = readLinuxProcess(Number(name), options.tags ?? false);
      if (info) out.push(info);
    }
    return out;
  }
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { maxBuffer: 64 * 1024 * 1024 }, (err, out) =>
      err ? reject(err) : resolve(out),
    );
  });
  const out: ProcessInfo[] = [];
  for (const line of stdout.split('\n')) {
    const [pid, ppid, pgid, stat] = line.trim().split(/\s+/);
    if (pid === undefined || ppid === undefined || pgid === undefined) continue;
    const info: ProcessInfo = { pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state: (stat ?? '?')[0]! };
    if (Number.isInteger(info.pid)) out.push(info);
  }
  return out;
}
