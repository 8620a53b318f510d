/**
 * Shared by the reliability suites: the built CLI, scratch projects, a content hash of a project tree, and the
 * figures each suite reports (printed by `reporter.cjs` before the closing `N passed, N failed` line).
 */
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const CLI = path.join(REPO, 'dist/cli.js');
export const CORPUS = path.join(__dirname, 'corpus');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** An environment for the CLI: approvals in `config`, no colour, no API keys or base URL from the caller. */
export function cliEnv(config: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CCF_CONFIG_DIR: config, NO_COLOR: '1', ...extra };
  for (const k of ['ANTHROPIC_API_KEY', 'CLAUDE_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN'])
    if (!(k in extra)) delete env[k];
  return env;
}

export function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): CliResult {
  const started = performance.now();
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    ms: performance.now() - started,
  };
}

/** The same, without blocking this process (needed when a server in this process must answer the CLI). */
export function runCliAsync(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

const made: string[] = [];

export function scratch(prefix: string): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

export function removeScratch(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * SHA-256 over every entry under `dir` — relative path, kind, mode, bytes of files, targets of links (never
 * followed) — so "byte-identical afterwards" is one comparison.
 */
export function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(a);
      if (st.isSymbolicLink()) h.update(`L ${r} -> ${readlinkSync(a)}\n`);
      else if (st.isDirectory()) {
        h.update(`D ${r} ${st.mode}\n`);
        walk(a, r);
      } else {
        h.update(`F ${r} ${st.mode} ${st.size}\n`);
        h.update(readFileSync(a));
      }
    }
  };
  walk(dir, '');
  return h.digest('hex');
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** One figure for the closing summary (`reporter.cjs` prints them). */
export function figure(suite: string, name: string, value: string | number): void {
  const file = process.env.CCF_RELIABILITY_FIGURES ?? path.join(REPO, '.tmp/reliability-figures.jsonl');
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ suite, name, value })}\n`);
}
