/**
 * In-process figures, each measured in a fresh Node process running a bundled probe (`bench/probes/`):
 * P4 diagnostics parsing, P5 PRP indexing, P8 journal folding (with its memory peak).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { diagnosticsCapture, freshDir, journalFile, prpProject, TSC_ERE } from '../lib/fixtures';
import { runProbe } from '../lib/probes';
import type { Entry } from '../lib/results';
import { compareCommands, ratio, summarize } from '../lib/stats';
import type { BenchCase } from './context';

const mbps = (bytes: number, ms: number) => `${(bytes / 2 ** 20 / (ms / 1000)).toFixed(1)} MB/s`;

export const p4Diagnostics: BenchCase = async (ctx) => {
  const dir = freshDir('p4-diagnostics');
  const file = path.join(dir, 'gate-output.txt');
  const lines = ctx.quick ? 50_000 : 200_000;
  const made = diagnosticsCapture(file, lines);
  const [grep] = compareCommands(
    [{ label: 'grep -cE <tsc pattern>', command: 'grep', args: ['-cE', TSC_ERE, file], okCodes: [0, 1] }],
    ctx.runs,
    ctx.warmup,
  );
  const probe = await runProbe<{ times: number[]; diagnostics: number; lines: number }>('diagnostics', {
    file,
    root: dir,
    command: 'npx tsc --noEmit && npx eslint .',
    runs: ctx.runs,
    warmup: ctx.warmup,
  });
  const ours = summarize(probe.times);
  const r = ratio(ours.median, grep!.median);
  return [
    {
      id: 'P4',
      title: `diagnostics parsing: ${made.lines / 1000}k lines of tsc + eslint output`,
      status: 'measured',
      baseline: { label: 'grep -cE (tsc pattern)', sample: grep! },
      ours: { label: 'line splitter + tsc/eslint matchers', sample: ours },
      ratio: r,
      goal: '≤ 4×',
      met: r <= 4,
      details: {
        input: `${(made.bytes / 2 ** 20).toFixed(1)} MB`,
        ours: mbps(made.bytes, ours.median),
        grep: mbps(made.bytes, grep!.median),
        'lines read / diagnostics kept (capped at 5000)': `${probe.lines} / ${probe.diagnostics}`,
      },
      note: 'ours is timed inside one process (file read included); grep as a whole process',
    },
  ];
};

export const p5PrpIndex: BenchCase = async (ctx): Promise<Entry[]> => {
  const count = ctx.quick ? 100 : 500;
  const project = prpProject('p5-prps', count);
  const probe = await runProbe<{
    baseline: number[];
    list: number[];
    ours: number[];
    listed: number;
    parsed: number;
    problems: number;
    bytes: number;
  }>('prp-index', { dir: project.dir, runs: Math.min(ctx.runs, 7), warmup: 1 });
  if (probe.listed !== count || probe.parsed !== count) {
    throw new Error(`P5: listed ${probe.listed}, parsed ${probe.parsed} of ${count} PRPs`);
  }
  const base = summarize(probe.baseline);
  const listed = summarize(probe.list);
  const ours = summarize(probe.ours);
  const r = ratio(ours.median, base.median);
  const rl = ratio(listed.median, base.median);
  return [
    {
      id: 'P5',
      title: `PRP listing: ${count} PRPs of ~10 KB (names, titles, status)`,
      status: 'measured',
      baseline: { label: 'walk + readFile of the same files', sample: base },
      ours: { label: 'listPrps', sample: listed },
      ratio: rl,
      goal: '≤ 5×',
      met: rl <= 5,
      details: { 'ours per PRP': `${(listed.median / count).toFixed(3)} ms` },
    },
    {
      id: 'P5',
      title: `PRP parsing: ${count} PRPs of ~10 KB (list + full parse)`,
      status: 'measured',
      baseline: { label: 'walk + readFile of the same files', sample: base },
      ours: { label: 'listPrps + readPrp each', sample: ours },
      ratio: r,
      goal: '≤ 5×',
      met: r <= 5,
      details: {
        input: `${(probe.bytes / 2 ** 20).toFixed(1)} MB`,
        'ours per PRP': `${(ours.median / count).toFixed(2)} ms`,
        'ours throughput': mbps(probe.bytes, ours.median),
      },
    },
  ];
};

export const p8Journal: BenchCase = async (ctx) => {
  const dir = freshDir('p8-journal');
  const file = path.join(dir, 'events.jsonl');
  const events = ctx.quick ? 20_000 : 100_000;
  const made = journalFile(file, events);
  const [wc] = compareCommands([{ label: 'wc -l', command: 'wc', args: ['-l', file] }], ctx.runs, ctx.warmup);
  const timed = await runProbe<{ times: number[]; events: number; steps: number }>('fold', {
    file,
    runs: ctx.runs,
    warmup: ctx.warmup,
    mode: 'time',
  });
  if (timed.events !== made.events) throw new Error(`P8: folded ${timed.events} of ${made.events} events`);
  const peaks: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < 3; i++) {
    peaks.push((await runProbe<{ maxRssKb: number }>('fold', { file, runs: 0, warmup: 0, mode: 'once' })).maxRssKb);
    idle.push((await runProbe<{ maxRssKb: number }>('fold', { file, runs: 0, warmup: 0, mode: 'idle' })).maxRssKb);
  }
  const wcRss = spawnSync('/usr/bin/time', ['-f', '%M', 'wc', '-l', file], { encoding: 'utf8' });
  const ours = summarize(timed.times);
  const r = ratio(ours.median, wc!.median);
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  const peak = summarize(peaks).median;
  const base = summarize(idle).median;
  return [
    {
      id: 'P8',
      title: `journal: fold ${made.events / 1000}k events`,
      status: 'measured',
      baseline: { label: 'wc -l', sample: wc! },
      ours: { label: 'readJsonlFile + foldRun', sample: ours },
      ratio: r,
      goal: '≤ 10×',
      met: r <= 10,
      details: {
        journal: `${(made.bytes / 2 ** 20).toFixed(1)} MB, ${timed.steps} steps`,
        'memory peak (max RSS) of the folding process': `${mb(peak)} (${mb(peak - base)} above an idle process of ${mb(base)})`,
        ...(wcRss.status === 0 ? { 'wc -l max RSS': mb(Number(wcRss.stderr.trim().split('\n').pop())) } : {}),
      },
      note: 'ours is timed inside one process; wc as a whole process',
    },
  ];
};
