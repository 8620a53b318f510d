/**
 * Generated inputs for the benchmarks, written under `.tmp/bench/` (never committed): PRP folders, workflow
 * projects, a diagnostics capture and a journal. Generation is deterministic (a seeded generator), so two runs
 * measure the same bytes.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const WORK = path.join(REPO, '.tmp/bench');
export const CLI = path.join(REPO, 'dist/cli.js');

/** A small deterministic PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function freshDir(name: string): string {
  const dir = path.join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

const PRP_SOURCE = path.join(REPO, 'test/fixtures/prp/v3-webhook-retries.md');

/** One realistic PRP of about `bytes` bytes: the v3 fixture, retitled, with its blueprint padded by more tasks. */
export function prpText(index: number, bytes = 10 * 1024): string {
  const base = readFileSync(PRP_SOURCE, 'utf8').replace(
    /^name: ".*"$/m,
    `name: "Feature ${index}: webhook delivery retries, variant ${index % 17}"`,
  );
  const extra: string[] = ['', '## Additional notes', ''];
  let n = 0;
  while (base.length + extra.join('\n').length < bytes) {
    n++;
    extra.push(
      `- Note ${n} for feature ${index}: keep \`RetryPolicy.next(attempt)\` pure and cover attempt ${n} in \`tests/retry.test.ts\`;`,
      `  the delay for attempt ${n} is min(2^${n} s, 5 min) unless \`Retry-After\` is shorter.`,
    );
  }
  return `${base.trimEnd()}\n${extra.join('\n')}\n`;
}

/** A project with `count` PRPs under `PRPs/` (in a few sub-folders, some completed), each about `bytes`. */
export function prpProject(name: string, count: number, bytes = 10 * 1024): { dir: string; files: string[] } {
  const dir = freshDir(name);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const sub = i % 10 === 9 ? 'completed/' : i % 4 === 0 ? `area-${i % 5}/` : '';
    const rel = `PRPs/${sub}feature-${String(i).padStart(4, '0')}.md`;
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), prpText(i, bytes));
    files.push(rel);
  }
  return { dir, files };
}

/** A project with `.claude/orchestration.yaml` holding `workflows` and settings with `maxConcurrent`. */
export function workflowProject(name: string, yaml: string, maxConcurrent = 3): string {
  const dir = freshDir(name);
  mkdirSync(path.join(dir, '.claude'), { recursive: true });
  writeFileSync(path.join(dir, '.claude/orchestration.yaml'), yaml);
  writeFileSync(
    path.join(dir, '.claude/settings.local.json'),
    `${JSON.stringify({ orchestration: { maxConcurrent, parallelExecution: true } }, null, 2)}\n`,
  );
  return dir;
}

const CAPTURES = ['tsc/plain', 'tsc/pretty', 'tsc/tsc7-plain', 'tsc/tsc7-pretty', 'eslint/stylish', 'eslint/compact'];

/**
 * `lines` lines of real tsc and eslint output: the golden captures of `test/fixtures/matchers/`, repeated in
 * turn, with each repetition's file names varied so the matchers cannot de-duplicate them away.
 */
export function diagnosticsCapture(file: string, lines: number): { bytes: number; lines: number } {
  const blocks = CAPTURES.map((c) =>
    readFileSync(path.join(REPO, 'test/fixtures/matchers', `${c}.txt`), 'utf8')
      .replace(/\n$/, '')
      .split('\n'),
  );
  const out: string[] = [];
  for (let rep = 0; out.length < lines; rep++) {
    const block = blocks[rep % blocks.length]!;
    for (const line of block) {
      if (out.length >= lines) break;
      out.push(line.replace(/(src\/[a-z-]+)(\.[jt]s)/g, `$1-${rep}$2`));
    }
  }
  const text = `${out.join('\n')}\n`;
  writeFileSync(file, text);
  return { bytes: Buffer.byteLength(text), lines: out.length };
}

/** ERE form of the tsc matcher's pattern (`builtin-matchers.ts`), for `grep -cE`. */
export const TSC_ERE =
  '^([^[:space:]].*)[(:]([0-9]+)[,:]([0-9]+)(\\):[[:space:]]+|[[:space:]]+-[[:space:]]+)(error|warning|info)[[:space:]]+(TS[0-9]+)[[:space:]]*:[[:space:]]*(.*)$';

/**
 * A journal of `events` events shaped like a long real run: a plan of `steps` shell steps, each started and
 * finished several times (retries), with command evidence (output tails, diagnostics) and usage events.
 */
export function journalFile(file: string, events: number, steps = 1000): { bytes: number; events: number } {
  const rand = seeded(42);
  const plan = Array.from({ length: steps }, (_, i) => ({
    id: `steps[${i}]`,
    kind: 'shell',
    name: `npm run check -- --shard ${i}`,
    script: `npm run check -- --shard ${i}`,
    continueOnError: false,
    retry: { maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 30000 },
  }));
  let ts = 1_760_000_000_000;
  const lines: string[] = [
    JSON.stringify({
      type: 'run-started',
      ts,
      runId: '20260101-000000-bench',
      kind: 'workflow',
      target: 'bench',
      inputHashes: { '.claude/orchestration.yaml': 'a'.repeat(64) },
      variables: { FEATURE: 'bench' },
      plan,
      pid: 1,
      host: 'bench',
    }),
  ];
  const attempts = new Map<number, number>();
  let i = 0;
  while (lines.length < events - 1) {
    const step = i++ % steps;
    const attempt = (attempts.get(step) ?? 0) + 1;
    attempts.set(step, attempt);
    const stepId = `steps[${step}]`;
    ts += 1 + Math.floor(rand() * 50);
    lines.push(JSON.stringify({ type: 'step-started', ts, stepId, attempt }));
    const failed = rand() < 0.3;
    ts += 5 + Math.floor(rand() * 500);
    lines.push(
      JSON.stringify({
        type: 'step-finished',
        ts,
        stepId,
        attempt,
        status: failed ? 'failed' : 'passed',
        durationMs: 200,
        evidence: [
          {
            command: plan[step]!.script,
            exitCode: failed ? 2 : 0,
            durationMs: 190,
            logFile: `.context-forge/runs/20260101-000000-bench/logs/${stepId}.${attempt}.log`,
            outputTail: failed
              ? [`src/mod-${step}.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.`]
              : ['ok'],
            diagnostics: failed
              ? [
                  {
                    file: `src/mod-${step}.ts`,
                    line: 3,
                    column: 5,
                    severity: 'error',
                    message: "Type 'string' is not assignable to type 'number'.",
                    code: 'TS2322',
                    source: 'ts',
                  },
                ]
              : [],
            ...(failed ? { failureClass: 'type' } : {}),
          },
        ],
        ...(failed ? { failureClass: 'type' } : {}),
      }),
    );
    if (failed && lines.length < events - 1) {
      lines.push(
        JSON.stringify({
          type: 'retry-scheduled',
          ts,
          stepId,
          nextAttempt: attempt + 1,
          delayMs: 1000,
          failureClass: 'type',
        }),
      );
    }
    if (rand() < 0.2 && lines.length < events - 1) {
      lines.push(
        JSON.stringify({
          type: 'usage',
          ts,
          stepId,
          model: 'claude-sonnet-4-5',
          usage: { inputTokens: 1200, outputTokens: 300, cacheCreationInputTokens: 0, cacheReadInputTokens: 9000 },
        }),
      );
    }
  }
  lines.length = Math.min(lines.length, events - 1);
  lines.push(
    JSON.stringify({ type: 'run-finished', ts: ts + 1, status: 'failed', durationMs: ts - 1_760_000_000_000 }),
  );
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, text);
  return { bytes: Buffer.byteLength(text), events: lines.length };
}
