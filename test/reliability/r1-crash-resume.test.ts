/**
 * R1 — crash and resume: 50 trials of a 20-step workflow. Each trial starts `orchestrate`, SIGKILLs the CLI at a
 * random moment (seeded: CCF_R1_SEED), then runs `orchestrate --resume <run> --yes`. Every step appends a line to
 * its own marker file when it starts, so executions are counted on disk, independently of the journal.
 *
 * Per trial: the run completes (status passed); no step whose `step-finished: passed` was in the journal at the
 * moment of the kill ran again; the journal has no corrupt line, before the resume (a torn last line is allowed:
 * it was never acknowledged) or after it (the torn tail is repaired). Every 5th trial also appends half an event
 * before resuming, as a power loss mid-append would leave the file.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readJsonl } from '../../src/core/journal/jsonl';
import type { RunEvent } from '../../src/core/run/events';
import { foldRun } from '../../src/core/run/fold';
import { CLI, cliEnv, ensureDir, figure, removeScratch, runCli, scratch } from './support';

const TRIALS = Number(process.env.CCF_R1_TRIALS ?? 50);
const STEPS = 20;
const SEED = Number(process.env.CCF_R1_SEED ?? 20261127);

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORKFLOW = [
  'workflows:',
  '  crash:',
  '    steps:',
  ...Array.from({ length: STEPS }, (_, i) => `      - run: echo run >> markers/s${i}; sleep 0.03`),
  '',
].join('\n');

function makeProject(): { root: string; config: string } {
  const root = scratch('ccf-r1-');
  ensureDir(path.join(root, '.claude'));
  ensureDir(path.join(root, 'markers'));
  writeFileSync(path.join(root, '.claude/orchestration.yaml'), WORKFLOW);
  return { root, config: scratch('ccf-r1-config-') };
}

function journalOf(root: string): { runId: string; text: string } | undefined {
  const runs = path.join(root, '.context-forge/runs');
  if (!existsSync(runs)) return undefined;
  // The newest run: a CLI killed before its run started may leave an empty run folder behind, and the test then
  // starts the workflow again in a new one (run ids sort by start time).
  const runId = readdirSync(runs)
    .filter((n) => existsSync(path.join(runs, n, 'events.jsonl')))
    .sort()
    .pop();
  if (!runId) return undefined;
  return { runId, text: readFileSync(path.join(runs, runId, 'events.jsonl'), 'utf8') };
}

function executions(root: string, step: number): number {
  const f = path.join(root, `markers/s${step}`);
  return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0;
}

describe(`R1 crash/resume: ${TRIALS} trials of a ${STEPS}-step workflow, SIGKILL at a random moment (seed ${SEED})`, function () {
  this.timeout(120_000);
  const random = seeded(SEED);
  const tally = {
    completed: 0,
    rerunCompleted: 0,
    corrupt: 0,
    tornTails: 0,
    killedBeforeStart: 0,
    killedAfterFinish: 0,
    interruptedReRun: 0,
    stepsCompleteAtKill: 0,
    tornInjected: 0,
  };
  let fullRunMs = 2000;

  before(() => {
    // Calibration: one uninterrupted run tells how long a run takes here, so kills spread over all of it.
    const { root, config } = makeProject();
    const started = performance.now();
    const r = runCli(root, ['orchestrate', 'crash', '--yes'], cliEnv(config));
    assert.equal(r.code, 0, r.stderr + r.stdout);
    fullRunMs = performance.now() - started;
    for (let i = 0; i < STEPS; i++) assert.equal(executions(root, i), 1);
  });

  after(() => {
    removeScratch();
    figure('R1', 'trials', TRIALS);
    figure('R1', 'runs completed after SIGKILL + --resume', `${tally.completed}/${TRIALS}`);
    figure('R1', 'completed steps run again (must be 0)', tally.rerunCompleted);
    figure('R1', 'corrupt journals (must be 0)', tally.corrupt);
    figure('R1', 'torn last lines found after a kill (ignored, then repaired)', tally.tornTails);
    figure('R1', 'torn last lines injected before a resume (every 5th trial; repaired)', tally.tornInjected);
    figure('R1', 'steps already complete at the kill (kept)', tally.stepsCompleteAtKill);
    figure('R1', 'interrupted steps run again (expected)', tally.interruptedReRun);
    figure(
      'R1',
      'kills before the run started / after it finished',
      `${tally.killedBeforeStart} / ${tally.killedAfterFinish}`,
    );
  });

  for (let trial = 1; trial <= TRIALS; trial++) {
    it(`trial ${trial}`, async () => {
      const { root, config } = makeProject();
      const env = cliEnv(config);
      const killAt = random() * fullRunMs * 1.1;
      const child = spawn(process.execPath, [CLI, 'orchestrate', 'crash', '--yes'], {
        cwd: root,
        env,
        stdio: 'ignore',
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await new Promise((r) => setTimeout(r, killAt));
      child.kill('SIGKILL');
      await exited;

      const atKill = journalOf(root);
      const completeAtKill = new Set<string>();
      let finishedAtKill = false;
      if (atKill) {
        const read = readJsonl<RunEvent>(atKill.text);
        if (read.problems.some((p) => p.severity === 'error')) tally.corrupt++;
        if (read.tornTail) tally.tornTails++;
        for (const e of read.values) {
          if (e.type === 'step-finished' && e.status === 'passed') completeAtKill.add(e.stepId);
          if (e.type === 'run-finished' && e.status === 'passed') finishedAtKill = true;
        }
      }
      tally.stepsCompleteAtKill += completeAtKill.size;
      const started = atKill ? readJsonl<RunEvent>(atKill.text).values.some((e) => e.type === 'run-started') : false;

      if (!started) {
        // Killed before the run existed: nothing to resume; the user starts it again.
        tally.killedBeforeStart++;
        const r = runCli(root, ['orchestrate', 'crash', '--yes'], env);
        assert.equal(r.code, 0, r.stderr + r.stdout);
      } else if (finishedAtKill) {
        tally.killedAfterFinish++;
      } else {
        if (trial % 5 === 0) {
          // As a power loss mid-append would leave it: half an event, no line end. Resume must repair it.
          appendFileSync(path.join(root, '.context-forge/runs', atKill!.runId, 'events.jsonl'), '{"type":"step-finis');
          tally.tornInjected++;
        }
        const r = runCli(root, ['orchestrate', '--resume', atKill!.runId, '--yes'], env);
        assert.equal(r.code, 0, `resume: exit ${r.code}\n${r.stderr}${r.stdout}`);
      }

      const after = journalOf(root)!;
      const read = readJsonl<RunEvent>(after.text);
      const corrupt = read.problems.filter((p) => p.severity === 'error' || p.rule === 'jsonl-torn-tail');
      if (corrupt.length > 0) tally.corrupt++;
      assert.deepEqual(corrupt, [], 'the journal after the resume is intact');
      assert.equal(foldRun(read.values)?.status, 'passed');

      for (let i = 0; i < STEPS; i++) {
        const n = executions(root, i);
        assert.ok(n >= 1, `step ${i} never ran`);
        if (completeAtKill.has(`steps[${i}]`)) {
          if (n !== 1) tally.rerunCompleted++;
          assert.equal(n, 1, `step ${i} was complete at the kill but ran ${n} times`);
        } else if (n > 1) tally.interruptedReRun++;
      }
      tally.completed++;
    });
  }
});
