/**
 * Lists the project's files for before/after snapshots. In a git repository the list is
 * `git ls-files --cached --others --exclude-standard` (tracked plus untracked-but-not-ignored);
 * elsewhere a walk that skips `.git`, `node_modules` and `.context-forge`. Large files are
 * fingerprinted by size and mtime only.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { countTestCases, type FileFingerprint, type WorkTreeSnapshot } from '../core/worktree/snapshot';

const execFileAsync = promisify(execFile);
const SKIP_DIRS = new Set(['.git', 'node_modules', '.context-forge']);
const HASH_LIMIT = 4 * 1024 * 1024;
const MAX_FILES = 50_000;

async function gitFiles(root: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

async function walk(root: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const out: string[] = [];
  const stack = [''];
  while (stack.length > 0 && out.length < MAX_FILES) {
    const dir = stack.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(path.join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) stack.push(rel);
      } else if (e.isFile()) out.push(rel);
    }
  }
  return out;
}

export async function snapshotWorkTree(root: string): Promise<WorkTreeSnapshot> {
  const listed = (await gitFiles(root)) ?? (await walk(root));
  const files = new Map<string, FileFingerprint>();
  for (const rel of listed.slice(0, MAX_FILES)) {
    if (rel.split('/').some((part) => SKIP_DIRS.has(part))) continue;
    const abs = path.join(root, rel);
    try {
      const s = await stat(abs);
      if (!s.isFile()) continue;
      if (s.size > HASH_LIMIT) {
        files.set(rel, { path: rel, size: s.size, hash: `mtime:${s.mtimeMs}`, testCases: 0 });
        continue;
      }
      const data = await readFile(abs);
      const hash = createHash('sha256').update(data).digest('hex');
      files.set(rel, { path: rel, size: s.size, hash, testCases: countTestCases(rel, data.toString('utf8')) });
    } catch {
      // deleted while listing: not part of this snapshot
    }
  }
  return { files };
}
