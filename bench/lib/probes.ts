/** Bundles the in-process probes (`bench/probes/*.ts`) with the CLI's esbuild settings and runs them. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO, WORK } from './fixtures';

const built = new Map<string, string>();

async function bundle(name: string): Promise<string> {
  const cached = built.get(name);
  if (cached) return cached;
  const outfile = path.join(WORK, 'probes', `${name}.mjs`);
  await esbuild.build({
    entryPoints: [path.join(REPO, 'bench/probes', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
    // Bundled CommonJS dependencies call require(): give the ESM bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  built.set(name, outfile);
  return outfile;
}

/** Runs a probe in a fresh Node process and returns its JSON answer. */
export async function runProbe<T>(name: string, args: unknown, nodeArgs: string[] = []): Promise<T> {
  const file = await bundle(name);
  const r = spawnSync(process.execPath, [...nodeArgs, file, JSON.stringify(args)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`probe ${name} failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}
