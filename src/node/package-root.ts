/**
 * Where the installed package lives (the folder holding our package.json, `templates/`, `schemas/`).
 * Works from the bundle (`dist/cli.js`, `dist/extension.js`) and from sources run by tsx.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'codex-context-forge';
let cached: { root: string; version: string } | undefined;

function find(): { root: string; version: string } {
  let dir = __dirname;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === PACKAGE_NAME) return { root: dir, version: pkg.version ?? '0.0.0' };
    } catch {
      // not here; keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${__dirname}`);
    dir = parent;
  }
}

export function packageRoot(): string {
  cached ??= find();
  return cached.root;
}

export function packageVersion(): string {
  cached ??= find();
  return cached.version;
}

export function templatesDir(): string {
  return path.join(packageRoot(), 'templates');
}
