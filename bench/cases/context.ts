/** What every benchmark case gets: how many runs, the CLI, a config dir for approvals, a log. */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { CLI, WORK } from '../lib/fixtures';
import type { Entry } from '../lib/results';

export interface BenchContext {
  /** Timed runs per figure (after warm-up). */
  runs: number;
  warmup: number;
  quick: boolean;
  /** Measure peer tools (installs them into .tmp/bench/peers when missing). */
  peers: boolean;
  log(message: string): void;
  node: string;
  cli: string;
  /** An environment for the CLI: approvals in a scratch config dir, no colour, no API keys. */
  env: NodeJS.ProcessEnv;
}

export type BenchCase = (ctx: BenchContext) => Promise<Entry[]>;

export function createContext(options: { runs: number; warmup: number; quick: boolean; peers: boolean }): BenchContext {
  const config = path.join(WORK, 'config');
  mkdirSync(config, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CCF_CONFIG_DIR: config, NO_COLOR: '1' };
  for (const k of ['ANTHROPIC_API_KEY', 'CLAUDE_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN']) delete env[k];
  return {
    ...options,
    log: (m) => process.stderr.write(`  ${m}\n`),
    node: process.execPath,
    cli: CLI,
    env,
  };
}

/** Whether the built CLI has a command (commands land from other branches over time): its help lists it. */
export function cliHas(ctx: BenchContext, command: string): boolean {
  const r = spawnSync(ctx.node, [ctx.cli, '--help'], { env: ctx.env, encoding: 'utf8' });
  return new RegExp(`^\\s+${command}\\b`, 'm').test(r.stdout);
}
