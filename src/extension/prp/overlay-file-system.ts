/**
 * A file system that answers for one file with an editor's unsaved text and for everything else with the disk:
 * lint runs on what the user is typing, while the files a PRP references are still checked where they are.
 */
import type { DirEntry, FileStat, FileSystem } from '../../core/ports/file-system';

export class OverlayFileSystem implements FileSystem {
  private readonly bytes: Uint8Array;

  constructor(
    private readonly base: FileSystem,
    private readonly path: string,
    text: string,
  ) {
    this.bytes = new TextEncoder().encode(text);
  }

  readFile(path: string): Promise<Uint8Array> {
    return path === this.path ? Promise.resolve(this.bytes) : this.base.readFile(path);
  }

  async stat(path: string): Promise<FileStat | undefined> {
    if (path !== this.path) return this.base.stat(path);
    const st = await this.base.stat(path);
    return { type: 'file', size: this.bytes.length, mtimeMs: st?.mtimeMs ?? Date.now() };
  }

  readDir(path: string): Promise<DirEntry[]> {
    return this.base.readDir(path);
  }

  realPath(path: string): Promise<string> {
    return path === this.path ? this.base.realPath(path).catch(() => path) : this.base.realPath(path);
  }

  /** Lint only reads: anything that would write is refused. */
  writeFileAtomic(_path: string, _data: string | Uint8Array): Promise<void> {
    return Promise.reject(new Error('read-only overlay'));
  }

  appendFile(_path: string, _data: string): Promise<void> {
    return Promise.reject(new Error('read-only overlay'));
  }

  mkdir(_path: string): Promise<void> {
    return Promise.reject(new Error('read-only overlay'));
  }

  rename(_from: string, _to: string): Promise<void> {
    return Promise.reject(new Error('read-only overlay'));
  }

  remove(_path: string): Promise<void> {
    return Promise.reject(new Error('read-only overlay'));
  }
}
