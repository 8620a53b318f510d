/**
 * An in-memory implementation of the core `FileSystem` port for unit tests: POSIX paths, files,
 * directories and symlinks (relative or absolute targets, followed like the kernel does, with ELOOP
 * after 40 hops). Errors carry Node-style `code`s (`ENOENT`, `ENOTDIR`, `EISDIR`, `ELOOP`, `EEXIST`).
 */
import * as path from 'node:path';
import type { DirEntry, EntryType, FileStat, FileSystem } from '../../src/core/ports/file-system';

type Entry =
  | { type: 'file'; data: Uint8Array; mtimeMs: number }
  | { type: 'directory'; mtimeMs: number }
  | { type: 'symlink'; target: string; mtimeMs: number };

function fsError(code: string, syscall: string, p: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: ${syscall} '${p}'`) as NodeJS.ErrnoException;
  err.code = code;
  err.syscall = syscall;
  err.path = p;
  return err;
}

const MAX_SYMLINK_HOPS = 40;

export class MemoryFileSystem implements FileSystem {
  private readonly entries = new Map<string, Entry>([['/', { type: 'directory', mtimeMs: 0 }]]);
  private clock = 1;

  // ---- test helpers -------------------------------------------------------------------------

  /** Creates (or replaces) a file, creating parent directories. */
  writeFile(p: string, data: string | Uint8Array): this {
    const abs = this.norm(p);
    this.mkdirSync(path.posix.dirname(abs));
    const parent = this.resolve(path.posix.dirname(abs), true, 'open');
    this.entries.set(path.posix.join(parent, path.posix.basename(abs)), {
      type: 'file',
      data: typeof data === 'string' ? new TextEncoder().encode(data) : data,
      mtimeMs: this.clock++,
    });
    return this;
  }

  /** Creates a symlink at `p` pointing to `target` (absolute, or relative to the link's folder). */
  symlink(target: string, p: string): this {
    const abs = this.norm(p);
    this.mkdirSync(path.posix.dirname(abs));
    const parent = this.resolve(path.posix.dirname(abs), true, 'symlink');
    const at = path.posix.join(parent, path.posix.basename(abs));
    if (this.entries.has(at)) throw fsError('EEXIST', 'symlink', p);
    this.entries.set(at, { type: 'symlink', target, mtimeMs: this.clock++ });
    return this;
  }

  mkdirSync(p: string): this {
    const abs = this.norm(p);
    let cur = '/';
    for (const part of abs.split('/').filter(Boolean)) {
      const next = path.posix.join(cur, part);
      const e = this.entries.get(next);
      if (!e) {
        this.entries.set(next, { type: 'directory', mtimeMs: this.clock++ });
        cur = next;
      } else if (e.type === 'symlink') {
        cur = this.resolve(next, true, 'mkdir');
      } else if (e.type === 'directory') {
        cur = next;
      } else {
        throw fsError('ENOTDIR', 'mkdir', p);
      }
    }
    return this;
  }

  /** Text of a file (for assertions). */
  readText(p: string): string {
    const e = this.entries.get(this.resolve(p, true, 'open'));
    if (e?.type !== 'file') throw fsError('ENOENT', 'open', p);
    return new TextDecoder().decode(e.data);
  }

  // ---- the port -----------------------------------------------------------------------------

  async readFile(p: string): Promise<Uint8Array> {
    const real = this.resolve(p, true, 'open');
    const e = this.entries.get(real);
    if (!e) throw fsError('ENOENT', 'open', p);
    if (e.type === 'directory') throw fsError('EISDIR', 'read', p);
    if (e.type !== 'file') throw fsError('ENOENT', 'open', p);
    return e.data.slice();
  }

  async stat(p: string): Promise<FileStat | undefined> {
    let at: string;
    try {
      at = this.resolve(p, false, 'lstat');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    }
    const e = this.entries.get(at);
    if (!e) return undefined;
    return { type: e.type as EntryType, size: e.type === 'file' ? e.data.byteLength : 0, mtimeMs: e.mtimeMs };
  }

  async readDir(p: string): Promise<DirEntry[]> {
    const real = this.resolve(p, true, 'scandir');
    const e = this.entries.get(real);
    if (!e) throw fsError('ENOENT', 'scandir', p);
    if (e.type !== 'directory') throw fsError('ENOTDIR', 'scandir', p);
    const out: DirEntry[] = [];
    const prefix = real === '/' ? '/' : `${real}/`;
    for (const [key, entry] of this.entries) {
      if (key === real || !key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      if (rest.includes('/')) continue;
      out.push({ name: rest, type: entry.type as EntryType });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async realPath(p: string): Promise<string> {
    const real = this.resolve(p, true, 'realpath');
    if (!this.entries.has(real)) throw fsError('ENOENT', 'realpath', p);
    return real;
  }

  async writeFileAtomic(p: string, data: string | Uint8Array): Promise<void> {
    this.writeFile(p, data);
  }

  async appendFile(p: string, data: string): Promise<void> {
    let before: Uint8Array = new Uint8Array();
    try {
      before = await this.readFile(p);
    } catch {
      // new file
    }
    const add = new TextEncoder().encode(data);
    const merged = new Uint8Array(before.byteLength + add.byteLength);
    merged.set(before);
    merged.set(add, before.byteLength);
    this.writeFile(p, merged);
  }

  async mkdir(p: string): Promise<void> {
    this.mkdirSync(p);
  }

  async rename(from: string, to: string): Promise<void> {
    const src = path.posix.join(
      this.resolve(path.posix.dirname(this.norm(from)), true, 'rename'),
      path.posix.basename(from),
    );
    const e = this.entries.get(src);
    if (!e) throw fsError('ENOENT', 'rename', from);
    const dstParent = this.resolve(path.posix.dirname(this.norm(to)), true, 'rename');
    const dst = path.posix.join(dstParent, path.posix.basename(to));
    for (const key of [...this.entries.keys()]) {
      if (key === src || key.startsWith(`${src}/`)) {
        const entry = this.entries.get(key)!;
        this.entries.delete(key);
        this.entries.set(dst + key.slice(src.length), entry);
      }
    }
  }

  async remove(p: string, options?: { recursive?: boolean }): Promise<void> {
    let at: string;
    try {
      at = this.resolve(p, false, 'rm');
    } catch {
      return;
    }
    const e = this.entries.get(at);
    if (!e) return;
    const children = [...this.entries.keys()].filter((k) => k.startsWith(`${at}/`));
    if (e.type === 'directory' && children.length && !options?.recursive) throw fsError('ENOTEMPTY', 'rm', p);
    for (const k of children) this.entries.delete(k);
    this.entries.delete(at);
  }

  // ---- path resolution ----------------------------------------------------------------------

  private norm(p: string): string {
    if (!path.posix.isAbsolute(p)) throw new Error(`MemoryFileSystem paths must be absolute: ${p}`);
    return path.posix.normalize(p);
  }

  /**
   * Canonical path of `p`: every symlink among the parents followed, and the last component too
   * when `followLast`. Missing intermediate components throw ENOENT; a missing last one is returned as is.
   */
  private resolve(p: string, followLast: boolean, syscall: string): string {
    let hops = 0;
    const parts = this.norm(p).split('/').filter(Boolean);
    let cur = '/';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part === '..') {
        cur = path.posix.dirname(cur);
        continue;
      }
      const next = path.posix.join(cur, part);
      const e = this.entries.get(next);
      const last = i === parts.length - 1;
      if (!e) {
        if (last) return next;
        throw fsError('ENOENT', syscall, p);
      }
      if (e.type === 'symlink' && (!last || followLast)) {
        if (++hops > MAX_SYMLINK_HOPS) throw fsError('ELOOP', syscall, p);
        const target = path.posix.isAbsolute(e.target) ? e.target : path.posix.join(cur, e.target);
        const rest = parts.slice(i + 1);
        parts.splice(0, parts.length, ...path.posix.normalize(target).split('/').filter(Boolean), ...rest);
        i = -1;
        cur = '/';
        continue;
      }
      if (!last && e.type === 'file') throw fsError('ENOTDIR', syscall, p);
      cur = next;
    }
    return cur;
  }
}
