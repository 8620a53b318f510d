/**
 * The file-system port. Core code never touches `node:fs`; hosts pass an implementation
 * (`src/node/node-file-system.ts`, or an in-memory one in tests). All paths are absolute.
 */
export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface FileStat {
  type: EntryType;
  size: number;
  mtimeMs: number;
}

export interface DirEntry {
  name: string;
  type: EntryType;
}

export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  /** `undefined` when the path does not exist. Does not follow a final symlink (lstat). */
  stat(path: string): Promise<FileStat | undefined>;
  readDir(path: string): Promise<DirEntry[]>;
  /** Resolves every symlink; rejects when the path does not exist. */
  realPath(path: string): Promise<string>;
  /** Writes via temp file + fsync + rename so readers see the old or the new content, never a torn file. */
  writeFileAtomic(path: string, data: string | Uint8Array): Promise<void>;
  /** Appends and (when `sync`) fsyncs before resolving. */
  appendFile(path: string, data: string, options?: { sync?: boolean }): Promise<void>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
}
