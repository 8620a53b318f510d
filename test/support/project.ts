/** Temporary projects on the real file system for tests: files, executables, symlinks, and a private PATH. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../src/core/workspace';
import { NodeFileSystem } from '../../src/node/node-file-system';
import { NodeProgramResolver } from '../../src/node/node-program-resolver';

export type FileSpec = string | Buffer | { content: string; executable: true } | { symlink: string };

export interface TestProject {
  /** The folder holding the project (and things "outside" it). */
  base: string;
  root: string;
  /** A bin folder used as the whole PATH of the resolver. */
  bin: string;
  workspace: Workspace;
  programs: NodeProgramResolver;
  write(rel: string, spec: FileSpec): void;
  cleanup(): void;
}

/** Executables put on the private PATH by default. */
export const DEFAULT_PROGRAMS = [
  'npm',
  'npx',
  'pnpm',
  'yarn',
  'uv',
  'make',
  'curl',
  'jq',
  'sleep',
  'grep',
  'node',
  'timeout',
];

export function makeProject(files: Record<string, FileSpec> = {}, programs: string[] = DEFAULT_PROGRAMS): TestProject {
  const base = mkdtempSync(path.join(os.tmpdir(), 'ccf-project-'));
  const root = path.join(base, 'project');
  const bin = path.join(base, 'bin');
  mkdirSync(root);
  mkdirSync(bin);
  for (const p of programs) {
    writeFileSync(path.join(bin, p), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(bin, p), 0o755);
  }
  // A file on PATH without the executable bit is not a program.
  writeFileSync(path.join(bin, 'not-executable'), '#!/bin/sh\n');
  const write = (rel: string, spec: FileSpec): void => {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    if (typeof spec === 'string' || Buffer.isBuffer(spec)) writeFileSync(abs, spec);
    else if ('symlink' in spec) symlinkSync(spec.symlink, abs);
    else {
      writeFileSync(abs, spec.content);
      chmodSync(abs, 0o755);
    }
  };
  for (const [rel, spec] of Object.entries(files)) write(rel, spec);
  return {
    base,
    root,
    bin,
    workspace: new Workspace(root, new NodeFileSystem()),
    programs: new NodeProgramResolver(bin),
    write,
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** A package.json with the given scripts and dev dependencies. */
export function packageJson(scripts: Record<string, string>, devDependencies: Record<string, string> = {}): string {
  return `${JSON.stringify({ name: 'fixture-app', private: true, scripts, devDependencies }, null, 2)}\n`;
}
