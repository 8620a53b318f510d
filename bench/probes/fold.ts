/**
 * P8 probe: a run's state from its journal — `readJsonlFile` + `foldRun`, what `status`, `report`, resume and the
 * panel do. `mode: "time"` times it; `mode: "once"` folds once and reports the peak resident memory;
 * `mode: "idle"` reports the peak of the same process doing nothing (the memory baseline).
 */

import type { RunEvent } from '../../src/core/run/events';
import { foldRun } from '../../src/core/run/fold';
import { readJsonlFile } from '../../src/node/jsonl-file';
import { answer, interleave, probeArgs } from './probe';

const args = probeArgs<{ file: string; runs: number; warmup: number; mode: 'time' | 'once' | 'idle' }>();
let steps = 0;
let events = 0;

async function foldOnce(): Promise<void> {
  const read = await readJsonlFile<RunEvent>(args.file);
  const state = foldRun(read.values);
  if (!state) throw new Error('not a run journal');
  steps = state.steps.length;
  events = read.values.length;
}

if (args.mode === 'time') {
  const [times] = await interleave([foldOnce], args.runs, args.warmup);
  answer({ times, steps, events });
} else {
  if (args.mode === 'once') await foldOnce();
  answer({ maxRssKb: process.resourceUsage().maxRSS, steps, events });
}
