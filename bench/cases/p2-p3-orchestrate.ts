/**
 * P2 orchestrator overhead: `orchestrate` of a workflow of 100 sequential `run: "true"` steps against `sh` running
 * the same 100 commands as processes (`sh -c true`, as the engine's `/bin/sh -c` does). Per-step overhead is the
 * marginal cost: (ours(100) − ours(1) − (sh(100) − sh(1))) / 99, which leaves the CLI's start-up out.
 *
 * P3 parallelism: 8 × `sleep 0.5` in one `parallel:` block with maxConcurrent 4, against the ideal 1.0 s.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { workflowProject } from '../lib/fixtures';
import { type CommandSpec, compareCommands, ratio, summarize, timeCommand } from '../lib/stats';
import type { BenchCase } from './context';

const STEPS = 100;

function sequentialYaml(): string {
  const seq = Array.from({ length: STEPS }, () => '      - run: "true"').join('\n');
  return `workflows:\n  seq:\n    steps:\n${seq}\n  one:\n    steps:\n      - run: "true"\n`;
}

export const p2Overhead: BenchCase = async (ctx) => {
  const dir = workflowProject('p2-seq', sequentialYaml());
  const script = (n: number) => {
    const file = path.join(dir, `seq-${n}.sh`);
    writeFileSync(file, `${Array.from({ length: n }, () => 'sh -c true').join('\n')}\n`);
    return file;
  };
  const clean = () => rmSync(path.join(dir, '.context-forge'), { recursive: true, force: true });
  const cli = (workflow: string): CommandSpec => ({
    label: `cli orchestrate ${workflow}`,
    command: ctx.node,
    args: [ctx.cli, 'orchestrate', workflow, '--yes'],
    cwd: dir,
    env: ctx.env,
    prepare: clean,
  });
  const specs: CommandSpec[] = [
    { label: `sh: ${STEPS} × sh -c true`, command: 'sh', args: [script(STEPS)], cwd: dir },
    cli('seq'),
    { label: 'sh: 1 × sh -c true', command: 'sh', args: [script(1)], cwd: dir },
    cli('one'),
  ];
  const [base100, ours100, base1, ours1] = compareCommands(specs, ctx.runs, ctx.warmup);
  const perStep = (ours100!.median - ours1!.median - (base100!.median - base1!.median)) / (STEPS - 1);
  const r = ratio(ours100!.median, base100!.median);
  return [
    {
      id: 'P2',
      title: `orchestrator overhead: ${STEPS} sequential steps`,
      status: 'measured',
      baseline: { label: specs[0]!.label, sample: base100! },
      ours: { label: `orchestrate (${STEPS} run: steps)`, sample: ours100! },
      ratio: r,
      goal: '≤ 1.3×',
      met: r <= 1.3,
      details: {
        'marginal overhead per step': `${perStep.toFixed(2)} ms`,
        'sh per command': `${((base100!.median - base1!.median) / (STEPS - 1)).toFixed(2)} ms`,
        'ours per step': `${((ours100!.median - ours1!.median) / (STEPS - 1)).toFixed(2)} ms`,
        '1-step workflow (fixed cost)': `${Math.round(ours1!.median)} ms`,
      },
    },
  ];
};

export const p3Parallel: BenchCase = async (ctx) => {
  const yaml = [
    'workflows:',
    '  par:',
    '    steps:',
    '      - parallel:',
    ...Array.from({ length: 8 }, () => '          - run: sleep 0.5'),
    '',
  ].join('\n');
  const dir = workflowProject('p3-par', yaml, 4);
  const runs = path.join(dir, '.context-forge/runs');
  const spec: CommandSpec = {
    label: 'orchestrate (8 × sleep 0.5, maxConcurrent 4)',
    command: ctx.node,
    args: [ctx.cli, 'orchestrate', 'par', '--yes'],
    cwd: dir,
    env: ctx.env,
    prepare: () => rmSync(path.join(dir, '.context-forge'), { recursive: true, force: true }),
  };
  for (let i = 0; i < ctx.warmup; i++) timeCommand(spec);
  const wall: number[] = [];
  const engine: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    wall.push(timeCommand(spec));
    const [id] = readdirSync(runs);
    const events = readFileSync(path.join(runs, id!, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const finished = events.find((e) => e.type === 'run-finished');
    engine.push(finished.durationMs);
  }
  const ideal = { runs: 1, min: 1000, median: 1000, max: 1000 };
  const ours = summarize(wall);
  const inRun = summarize(engine);
  const r = ratio(ours.median, 1000);
  return [
    {
      id: 'P3',
      title: 'parallelism: 8 × sleep 0.5, maxConcurrent 4',
      status: 'measured',
      baseline: { label: 'ideal', sample: ideal },
      ours: { label: 'orchestrate, whole CLI', sample: ours },
      ratio: r,
      goal: '≤ 1.15×',
      met: r <= 1.15,
      details: {
        'inside the run (journal run-started → run-finished)': `${Math.round(inRun.median)} ms = ${ratio(inRun.median, 1000)}× ideal`,
        'CLI outside the run (start-up, approvals, snapshot, exit)': `${Math.round(ours.median - inRun.median)} ms`,
      },
    },
  ];
};
