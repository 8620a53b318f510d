/** One benchmark figure, the table printed and written into BENCHMARKS.md, and bench/results.json. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from './fixtures';
import type { Sample } from './stats';

export interface Side {
  /** What was run. */
  label: string;
  /** Milliseconds unless `unit` says otherwise. */
  sample: Sample;
}

export interface Entry {
  id: string;
  title: string;
  /** `measured`; `pending` (what it needs has not landed); `unavailable` (e.g. a peer tool not installable). */
  status: 'measured' | 'pending' | 'unavailable';
  baseline?: Side;
  ours?: Side;
  /** ours.median / baseline.median. */
  ratio?: number;
  /** A figure that is not a ratio (tokens, percent, size, ms), when the goal is stated on it. */
  value?: { text: string; number: number };
  unit?: string;
  goal: string;
  met?: boolean;
  /** Further figures: per-step overhead, MB/s, memory peak… */
  details?: Record<string, string | number>;
  note?: string;
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  commit: string;
  loadAverage: number[];
}

export function machine(): Machine {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: REPO,
      encoding: 'utf8',
    }).trim();
    if (dirty) commit += '+changes';
  } catch {
    // not a git checkout
  }
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    commit,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const fmt = (n: number, unit = 'ms'): string => {
  if (unit !== 'ms') return `${n} ${unit}`;
  if (n >= 10_000) return `${(n / 1000).toFixed(1)} s`;
  if (n >= 100) return `${Math.round(n)} ms`;
  return `${n.toFixed(1)} ms`;
};

function cells(e: Entry): string[] {
  const unit = e.unit ?? 'ms';
  const spread = e.ours
    ? `${fmt(e.ours.sample.min, unit)} / ${fmt(e.ours.sample.median, unit)} / ${fmt(e.ours.sample.max, unit)}`
    : '';
  const met = e.met === undefined ? (e.status === 'measured' ? '' : e.status) : e.met ? 'yes' : 'NO';
  const result = e.value ? e.value.text : e.ratio !== undefined ? `${e.ratio}×` : '—';
  return [
    e.id,
    e.title,
    e.baseline ? `${e.baseline.label}: ${fmt(e.baseline.sample.median, unit)}` : '—',
    e.ours ? `${e.ours.label}: ${fmt(e.ours.sample.median, unit)}` : '—',
    result,
    e.goal,
    met,
    e.ours ? String(e.ours.sample.runs) : '',
    spread,
  ];
}

const HEAD = [
  '',
  'benchmark',
  'baseline (median)',
  'ours (median)',
  'result',
  'goal',
  'met',
  'runs',
  'ours min / median / max',
];

export function markdownTable(entries: readonly Entry[]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const rows = [HEAD, HEAD.map(() => '---'), ...entries.map(cells)];
  const table = rows.map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
  const details = entries
    .filter((e) => e.details || e.note)
    .map((e) => {
      const parts = Object.entries(e.details ?? {}).map(([k, v]) => `${k}: ${v}`);
      return `- **${e.id}** ${[...parts, ...(e.note ? [e.note] : [])].join('; ')}`;
    });
  return `${table}\n\n${details.join('\n')}`;
}

export function machineLine(m: Machine): string {
  return `${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpu} · ${m.cores} cores · ${m.memoryGiB} GiB · ${m.os} · Node ${m.node} · commit ${m.commit} · load average at start ${m.loadAverage.join(' ')}`;
}

/** Plain-text table for the terminal. */
export function textTable(entries: readonly Entry[]): string {
  const rows = [HEAD, ...entries.map(cells)].map((r) => r.map((c) => c.replaceAll('`', '')));
  const widths = HEAD.map((_, i) => Math.min(60, Math.max(...rows.map((r) => r[i]!.length))));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const RESULTS_FILE = path.join(REPO, 'bench/results.json');
export const BENCHMARKS_FILE = path.join(REPO, 'BENCHMARKS.md');
const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

export function writeResults(m: Machine, entries: readonly Entry[]): void {
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ machine: m, entries }, null, 2)}\n`);
}

/** Replaces the generated block of BENCHMARKS.md (between its markers) with this run's table. */
export function updateBenchmarksMd(m: Machine, entries: readonly Entry[]): boolean {
  if (!existsSync(BENCHMARKS_FILE)) return false;
  const text = readFileSync(BENCHMARKS_FILE, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return false;
  const block = `${START}\nMeasured ${machineLine(m)}.\n\n${markdownTable(entries)}\n${END}`;
  writeFileSync(BENCHMARKS_FILE, text.slice(0, a) + block + text.slice(b + END.length));
  return true;
}
