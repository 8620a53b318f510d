/**
 * Timing on a shared, noisy machine: warm-up runs are discarded, then the median of several runs is the figure.
 * Speed is always a ratio against a baseline measured in the same run, interleaved with ours, so that load from
 * elsewhere hits both sides alike. Absolute times are context only.
 */
import { spawnSync } from 'node:child_process';

export interface Sample {
  runs: number;
  min: number;
  median: number;
  max: number;
}

export function summarize(values: readonly number[]): Sample {
  if (values.length === 0) throw new Error('no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { runs: sorted.length, min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

export interface CommandSpec {
  /** Shown in the table. */
  label: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that count as a valid run (default: 0 only). */
  okCodes?: number[];
  /** Feeds this to standard input. */
  input?: string;
  /** Runs before each timed run, untimed (e.g. removing the previous run's journal). */
  prepare?: () => void;
}

/** Wall time (ms) of one run of a command; throws when it fails, so a broken command is never timed. */
export function timeCommand(spec: CommandSpec): number {
  spec.prepare?.();
  const started = process.hrtime.bigint();
  const r = spawnSync(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: [spec.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    input: spec.input,
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw new Error(`${spec.label}: ${r.error.message}`);
  const ok = spec.okCodes ?? [0];
  if (r.status === null || !ok.includes(r.status)) {
    throw new Error(
      `${spec.label}: exit ${r.status ?? r.signal} (${[spec.command, ...spec.args].join(' ')})\n${r.stderr.toString().slice(-2000)}`,
    );
  }
  return ms;
}

/**
 * Runs every command `warmup` times, then `runs` rounds in which each command runs once (interleaved, in a
 * rotating order), and returns each command's samples.
 */
export function compareCommands(specs: readonly CommandSpec[], runs: number, warmup = 2): Sample[] {
  for (let i = 0; i < warmup; i++) for (const s of specs) timeCommand(s);
  const times: number[][] = specs.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < specs.length; k++) {
      const at = (k + round) % specs.length;
      times[at]!.push(timeCommand(specs[at]!));
    }
  }
  return times.map(summarize);
}

/** `a / b`, rounded for display. */
export function ratio(ours: number, baseline: number): number {
  return Math.round((ours / baseline) * 100) / 100;
}
