/** The Node implementation of the core `FileSystem` port. */
import { constants as fsConstants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { DirEntry, EntryType, FileStat, FileSystem } from '../core/ports/file-system';

function typeOf(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryType {
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'directory';
  return 'other';
}

export class NodeFileSystem implements FileSystem {
  async readFile(p: string): Promise<Uint8Array> {
    return fsp.readFile(p);
  }

  async stat(p: string): Promise<FileStat | undefined> {
    try {
      const s = await fsp.lstat(p);
      return { type: typeOf(s), size: s.size, mtimeMs: s.mtimeMs };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') {
        return undefined;
      }
      throw err;
    }
  }

  async readDir(p: string): Promise<DirEntry[]> {
    const entries = await fsp.readdir(p, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, type: typeOf(e) }));
  }

  async realPath(p: string): Promise<string> {
    return fsp.realpath(p);
  }

  async writeFileAtomic(p: string, data: string | Uint8Array): Promise<void> {
    await fsp.mkdir(path.dirname(p), { recursive: true });
    await writeFileAtomic(p, typeof data === 'string' ? data : Buffer.from(data), { fsync: true });
  }

  async appendFile(p: string, data: string, options?: { sync?: boolean }): Promise<void> {
    const handle = await fsp.open(p, fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT, 0o644);
    try {
      await handle.write(data);
      if (options?.sync) await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async mkdir(p: string): Promise<void> {
    await fsp.mkdir(p, { recursive: true });
  }

  async rename(from: string, to: string): Promise<void> {
    await fsp.rename(from, to);
  }

  async remove(p: string, options?: { recursive?: boolean }): Promise<void> {
    await fsp.rm(p, { force: true, recursive: options?.recursive ?? false });
  }
}
