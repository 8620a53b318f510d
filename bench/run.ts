/**
 * `npm run bench`: every figure of BENCHMARKS.md, each a ratio against a baseline measured in the same run.
 * Writes bench/results.json, prints the table, and replaces the generated block of BENCHMARKS.md.
 *
 *   npm run bench -- [--only P1,P4] [--runs N] [--quick] [--no-peers] [--no-write]
 */
import { existsSync } from 'node:fs';
import { type BenchCase, createContext } from './cases/context';
import { p1ColdStart } from './cases/p1-cold-start';
import { p2Overhead, p3Parallel } from './cases/p2-p3-orchestrate';
import { p4Diagnostics, p5PrpIndex, p8Journal } from './cases/p4-p5-p8-inprocess';
import { p6Extension } from './cases/p6-extension';
import { p7Tokens } from './cases/p7-tokens';
import { CLI } from './lib/fixtures';
import { type Entry, machine, markdownTable, textTable, updateBenchmarksMd, writeResults } from './lib/results';

const CASES: Array<[string, BenchCase]> = [
  ['P1', p1ColdStart],
  ['P2', p2Overhead],
  ['P3', p3Parallel],
  ['P4', p4Diagnostics],
  ['P5', p5PrpIndex],
  ['P7', p7Tokens],
  ['P8', p8Journal],
  ['P6', p6Extension],
];

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<number> {
  if (!existsSync(CLI)) {
    console.error('dist/cli.js is missing: run `npm run build` first (npm run bench does).');
    return 2;
  }
  const quick = process.argv.includes('--quick');
  const only = option('--only')
    ?.split(',')
    .map((s) => s.trim().toUpperCase());
  const ctx = createContext({
    runs: Number(option('--runs') ?? (quick ? 5 : 15)),
    warmup: quick ? 1 : 3,
    quick,
    peers: !process.argv.includes('--no-peers'),
  });
  const m = machine();
  const entries: Entry[] = [];
  let failures = 0;
  for (const [id, run] of CASES) {
    if (only && !only.includes(id)) continue;
    process.stderr.write(`${id}…\n`);
    const started = Date.now();
    try {
      entries.push(...(await run(ctx)));
    } catch (err) {
      failures++;
      process.stderr.write(`${id} failed: ${(err as Error).stack ?? err}\n`);
      entries.push({
        id,
        title: 'failed to run',
        status: 'unavailable',
        goal: '',
        note: (err as Error).message.split('\n')[0]!,
      });
    }
    process.stderr.write(`  ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  // Cases run in the order above (P6 last: it rebuilds dist/ for production); the table is in id order.
  entries.sort((a, b) => a.id.localeCompare(b.id));
  console.log(textTable(entries));
  console.log(`\n${markdownTable(entries).split('\n\n')[1] ?? ''}`);
  if (!process.argv.includes('--no-write') && !only && !quick) {
    writeResults(m, entries);
    const updated = updateBenchmarksMd(m, entries);
    console.log(`\nwrote bench/results.json${updated ? ' and the table in BENCHMARKS.md' : ''}`);
  }
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
