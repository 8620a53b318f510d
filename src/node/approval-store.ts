/**
 * The approval store as a JSON file in the user's config directory (`approvals.json`, mode 0600, directory
 * 0700). Writes are atomic (temp file + fsync + rename, `write-file-atomic`) and serialised between processes by
 * a lock file, each write re-reading the file so concurrent approvals are merged, not lost. A store that sits
 * inside the project asking for approval is never trusted (a repository could ship pre-approved commands) and
 * never written.
 *
 * {"version":1,"projects":{"/real/project/path":{"sha256:…":{"command":"npm test","approvedAt":"…"}}}}
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { jsonErrorOffset } from '../core/json-syntax';
import type { ApprovalStore, StoredApproval } from '../core/ports/approval-store';
import { InputError, problem } from '../core/problems';
import { positionAt } from '../core/text';
import { isInside } from '../core/workspace';
import { approvalsFile } from './config-dir';

const FileSchema = z.object({
  version: z.literal(1),
  projects: z.record(
    z.string(),
    z.record(z.string().regex(/^sha256:[0-9a-f]{64}$/), z.object({ command: z.string(), approvedAt: z.string() })),
  ),
});

type Projects = Map<string, Map<string, { command: string; approvedAt: string }>>;

const LOCK_STALE_MS = 10_000;
const LOCK_TIMEOUT_MS = 5_000;

export class FileApprovalStore implements ApprovalStore {
  constructor(readonly file: string = approvalsFile()) {}

  get location(): string {
    return this.file;
  }

  async approvedHashes(projectKey: string): Promise<ReadonlySet<string>> {
    if (await this.insideProject(projectKey)) return new Set();
    const projects = await this.read();
    return new Set(projects.get(projectKey)?.keys() ?? []);
  }

  async remember(projectKey: string, approvals: readonly StoredApproval[]): Promise<void> {
    const dir = path.dirname(this.file);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    if (await this.insideProject(projectKey)) {
      throw new Error(
        `the approvals store ${this.file} is inside the project ${projectKey}; set CCF_CONFIG_DIR to a directory outside it`,
      );
    }
    await this.withLock(async () => {
      const projects = await this.read();
      const entries = projects.get(projectKey) ?? new Map();
      for (const a of approvals) entries.set(a.hash, { command: a.command, approvedAt: a.approvedAt });
      projects.set(projectKey, entries);
      const json = {
        version: 1,
        projects: Object.fromEntries([...projects].map(([k, v]) => [k, Object.fromEntries(v)])),
      };
      await writeFileAtomic(this.file, `${JSON.stringify(json, null, 2)}\n`, { fsync: true, mode: 0o600 });
    });
  }

  /** Whether the store file would live inside `projectKey` (after resolving symlinks of its directory). */
  private async insideProject(projectKey: string): Promise<boolean> {
    let dir = path.dirname(path.resolve(this.file));
    const tail: string[] = [];
    for (;;) {
      try {
        const real = await fsp.realpath(dir);
        return isInside(projectKey, path.join(real, ...tail.reverse()));
      } catch {
        const parent = path.dirname(dir);
        if (parent === dir) return isInside(projectKey, path.resolve(this.file));
        tail.push(path.basename(dir));
        dir = parent;
      }
    }
  }

  private async read(): Promise<Projects> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw err;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      const pos = positionAt(text, jsonErrorOffset(text) ?? 0);
      throw new InputError([
        problem(
          this.file,
          pos.line,
          pos.column,
          'approvals-store',
          `the approvals store is not valid JSON (${(err as Error).message}); fix it or delete it to approve again`,
        ),
      ]);
    }
    const parsed = FileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError([
        problem(
          this.file,
          1,
          1,
          'approvals-store',
          `the approvals store has an unexpected shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message}; delete it to approve again`,
        ),
      ]);
    }
    const projects: Projects = new Map();
    for (const [key, entries] of Object.entries(parsed.data.projects))
      projects.set(key, new Map(Object.entries(entries)));
    return projects;
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const lock = `${this.file}.lock`;
    const started = Date.now();
    for (;;) {
      try {
        const handle = await fsp.open(lock, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const st = await fsp.stat(lock).catch(() => undefined);
        if (st && Date.now() - st.mtimeMs > LOCK_STALE_MS) {
          await fsp.rm(lock, { force: true });
          continue;
        }
        if (Date.now() - started > LOCK_TIMEOUT_MS)
          throw new Error(`the approvals store is locked by another process (${lock})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    try {
      return await fn();
    } finally {
      await fsp.rm(lock, { force: true });
    }
  }
}
