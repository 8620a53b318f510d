/** What every CLI command gets: the project root, output, and the Node adapters behind the core ports. */
import * as path from 'node:path';
import { Workspace } from '../core/workspace';
import { NodeFileSystem } from '../node/node-file-system';
import type { Output } from './output';

export interface CliContext {
  /** Absolute project root (`--cwd`, default: the current directory). */
  root: string;
  workspace: Workspace;
  out: Output;
  /** Aborted on SIGINT; long-running commands pass it down. */
  signal: AbortSignal;
  /** Whether stdin is an interactive terminal (approvals may prompt). */
  interactive: boolean;
}

export function createContext(cwd: string | undefined, out: Output, signal: AbortSignal): CliContext {
  const root = path.resolve(cwd ?? process.cwd());
  return {
    root,
    workspace: new Workspace(root, new NodeFileSystem()),
    out,
    signal,
    interactive: Boolean(process.stdin.isTTY),
  };
}
