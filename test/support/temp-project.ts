/** Temporary project folders for tests that touch the real file system, and snapshots of their contents. */
import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../src/core/workspace';
import { NodeFileSystem } from '../../src/node/node-file-system';

export const FIXTURES = path.resolve(__dirname, '../fixtures');
export const PROJECT_FIXTURES = path.join(FIXTURES, 'projects');
export const REPO_ROOT = path.resolve(__dirname, '../..');
export const TEMPLATES = path.join(REPO_ROOT, 'templates');

const made: string[] = [];

/** A fresh empty folder (realpath'd, so macOS /var → /private/var does not confuse containment checks). */
export function tempDir(prefix = 'ccf-test-'): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** A temporary copy of `test/fixtures/projects/<name>`. */
export function copyFixture(name: string): string {
  const dir = tempDir(`ccf-${name}-`);
  cpSync(path.join(PROJECT_FIXTURES, name), dir, { recursive: true });
  return dir;
}

export function workspaceAt(dir: string): Workspace {
  return new Workspace(dir, new NodeFileSystem());
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every file's bytes (and every link's target) under `dir`, keyed by relative `/` path. */
export function snapshotTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const childAbs = path.join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      const st = lstatSync(childAbs);
      if (st.isSymbolicLink()) out.set(childRel, `-> ${readlinkSync(childAbs)}`);
      else if (st.isDirectory()) {
        out.set(`${childRel}/`, '');
        walk(childAbs, childRel);
      } else out.set(childRel, readFileSync(childAbs).toString('base64'));
    }
  };
  walk(dir, '');
  return out;
}
