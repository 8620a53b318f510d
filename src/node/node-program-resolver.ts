/** The Node implementation of the `ProgramResolver` port: `PATH` lookup with the executable bit checked. */
import { constants as fsConstants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import which from 'which';
import type { ProgramResolver } from '../core/ports/program-resolver';

export class NodeProgramResolver implements ProgramResolver {
  /** `searchPath` defaults to the `PATH` of the environment at lookup time. */
  constructor(private readonly searchPath?: string) {}

  async which(name: string): Promise<string | undefined> {
    // A name with a separator is a path, not something to search for.
    if (!name || name.includes('/') || name.includes('\0')) return undefined;
    const found = await which(name, { nothrow: true, path: this.searchPath ?? process.env.PATH ?? '' });
    return found ?? undefined;
  }

  async isExecutable(absolutePath: string): Promise<boolean> {
    try {
      const st = await fsp.stat(absolutePath);
      if (!st.isFile()) return false;
      await fsp.access(absolutePath, fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  }
}
