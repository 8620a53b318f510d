/**
 * Hostile markdown against the PRP reader: how long `parsePrp` takes on the inputs of the security notes
 * (remark#1010, showdown#1048, Python-Markdown#798) and on worst cases that pass the pre-scan, next to a
 * realistic PRP of similar size. Run: `npx tsx bench/prp-hostile.ts` (prints a table; asserts nothing).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parsePrp } from '../src/core/prp';

const realistic = readFileSync(path.join(__dirname, '../test/fixtures/prp/v3-webhook-retries.md'), 'utf8');

const cases: Array<[string, () => string]> = [
  ['"> ".repeat(10000) + "x"  (10,000-deep quotes)', () => `${'> '.repeat(10_000)}x`],
  [
    '10,000 lines, each one quote deeper (cut at 2 MB)',
    () => Array.from({ length: 1400 }, (_, i) => `${'>'.repeat(i + 1)} x`).join('\n'),
  ],
  [
    'list nested 10,000 deep by indentation (first 1,400 lines)',
    () => Array.from({ length: 1400 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n'),
  ],
  ['"* ".repeat(8000) + "a"  (remark#1010)', () => `${'* '.repeat(8000)}a`],
  ['"[".repeat(100000)', () => '['.repeat(100_000)],
  ['"[".repeat(13000)  (Python-Markdown#798)', () => '['.repeat(13_000)],
  ['"* ".repeat(8000)  (a 16 kB thematic break: accepted)', () => '* '.repeat(8000)],
  ['999 "*a" per paragraph x 100 (accepted, 200 kB)', () => `${'*a'.repeat(999)}\n\n`.repeat(100)],
  [
    '500 nested list items per block x 60 (accepted, 180 kB)',
    () => `- a\n${'  - b\n'.repeat(499)}\ntext\n\n`.repeat(60),
  ],
  ['"- - x" x 30,000 lines (accepted, 180 kB)', () => '- - x\n'.repeat(30_000)],
  ['realistic PRP x 15 (accepted, ~150 kB)', () => realistic.repeat(15)],
];

function time(text: string): { ms: number; result: string } {
  const start = performance.now();
  const r = parsePrp(text, 'PRPs/bench.md');
  const ms = performance.now() - start;
  const result = r.value ? 'parsed' : `refused ${r.problems[0]?.line}:${r.problems[0]?.column}`;
  return { ms, result };
}

// Warm up the parser so the first row is not a JIT measurement.
time(realistic);
console.log(`${'input'.padEnd(62)} ${'size'.padStart(9)} ${'ms'.padStart(8)}  result`);
for (const [name, make] of cases) {
  const text = make();
  const runs = [time(text), time(text), time(text)];
  const best = runs.reduce((a, b) => (a.ms <= b.ms ? a : b));
  console.log(
    `${name.padEnd(62)} ${String(text.length).padStart(9)} ${best.ms.toFixed(1).padStart(8)}  ${best.result}`,
  );
}
