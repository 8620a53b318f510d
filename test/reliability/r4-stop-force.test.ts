/**
 * R4 — `stop --force` on process trees. A workflow's steps build trees that try to outlive their step: background
 * jobs, a `setsid` child (its own group), a double-forked daemon re-parented away with its stdio closed, a process
 * that ignores SIGTERM and SIGINT, deep nesting, and two parallel steps. Every process records its pid when it is
 * up. Then another CLI process runs `stop --force`. No recorded process, and no process in any recorded process
 * group, may survive (checked by scanning /proc, independently of the code under test); the run is `cancelled`.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProcessJanitor, processInfo, survivors, waitFor } from '../support/processes';
import { CLI, cliEnv, ensureDir, figure, removeScratch, runCli, scratch } from './support';

const REPEAT = Number(process.env.CCF_R4_REPEAT ?? 2);

/** `sh -c 'echo $$ > pids/NAME; exec sleep 300'`: a process that records its pid and then waits. */
const sleeper = (name: string) => `sh -c 'echo $$ > pids/${name}; exec sleep 300'`;

const SHAPES: Record<string, { steps: string[]; pids: string[] }> = {
  'background jobs': { steps: [`${sleeper('a')} & ${sleeper('b')} & wait`], pids: ['a', 'b'] },
  'a setsid child (its own process group)': { steps: [`setsid ${sleeper('s')} & ${sleeper('m')}`], pids: ['s', 'm'] },
  'a double-forked daemon, re-parented, stdio closed': {
    steps: [`( setsid ${sleeper('d')} </dev/null >/dev/null 2>&1 & ) ; ${sleeper('m')}`],
    pids: ['d', 'm'],
  },
  'a process that ignores SIGTERM and SIGINT': {
    steps: [`sh -c 'trap "" TERM INT; echo $$ > pids/t; while :; do sleep 1; done' & ${sleeper('m')}`],
    pids: ['t', 'm'],
  },
  'deep nesting': {
    steps: [`sh -c "sh -c \\"sh -c 'echo \\\\$\\\\$ > pids/n; exec sleep 300'\\"" & ${sleeper('m')}`],
    pids: ['n', 'm'],
  },
};

function workflow(steps: string[]): string {
  const yaml = (s: string) => JSON.stringify(s);
  return [
    'workflows:',
    '  w:',
    '    steps:',
    '      - parallel:',
    ...steps.map((s) => `          - run: ${yaml(s)}`),
    `          - run: ${yaml(sleeper('p'))}`,
    '      - run: touch never',
    '',
  ].join('\n');
}

describe('R4 stop --force on process trees', function () {
  this.timeout(90_000);
  const janitor = new ProcessJanitor();
  const tally = { trials: 0, processes: 0, survivors: 0, cancelled: 0 };

  afterEach(() => {
    janitor.killAll();
  });
  after(() => {
    removeScratch();
    figure('R4', 'trials', tally.trials);
    figure('R4', 'processes in the trees', tally.processes);
    figure('R4', 'survivors (must be 0)', tally.survivors);
    figure('R4', 'runs recorded as cancelled', `${tally.cancelled}/${tally.trials}`);
  });

  for (let round = 1; round <= REPEAT; round++) {
    for (const [name, shape] of Object.entries(SHAPES)) {
      it(`${name} (round ${round})`, async () => {
        const root = scratch('ccf-r4-');
        const config = scratch('ccf-r4-config-');
        ensureDir(path.join(root, '.claude'));
        ensureDir(path.join(root, 'pids'));
        writeFileSync(path.join(root, '.claude/settings.local.json'), '{ "orchestration": { "maxConcurrent": 4 } }\n');
        writeFileSync(path.join(root, '.claude/orchestration.yaml'), workflow(shape.steps));
        const env = cliEnv(config);
        const run = spawn(process.execPath, [CLI, 'orchestrate', 'w', '--yes'], { cwd: root, env, stdio: 'ignore' });
        janitor.pid(run.pid!, 'node');
        const exited = new Promise<number | null>((resolve) => run.once('exit', (code) => resolve(code)));
        const expected = [...shape.pids, 'p'];
        const pidOf = (n: string) => Number(readFileSync(path.join(root, 'pids', n), 'utf8').trim());
        await waitFor(
          () => expected.every((n) => existsSync(path.join(root, 'pids', n)) && pidOf(n) > 1),
          `every process of the tree is up (${expected.join(', ')})`,
          30_000,
        );
        const pids = expected.map(pidOf);
        for (const p of pids) janitor.pid(p, 'sleep');
        const groups = [...new Set(pids.map((p) => processInfo(p)?.pgid).filter((g): g is number => g !== undefined))];
        tally.trials++;
        tally.processes += pids.length;

        const stop = runCli(root, ['stop', '--force'], env);
        assert.equal(stop.code, 0, stop.stderr + stop.stdout);
        const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000))]);
        assert.notEqual(code, 'hung', 'the orchestrate process ended');
        // Whatever is left after the CLI has gone is a leak; give the kernel a moment to reap.
        await new Promise((r) => setTimeout(r, 200));
        const left = survivors({ pids, ...(groups.length === 1 ? { pgid: groups[0] } : {}) });
        for (const g of groups) left.push(...survivors({ pgid: g }));
        const unique = [...new Map(left.map((p) => [p.pid, p])).values()].filter((p) => p.pid !== run.pid);
        tally.survivors += unique.length;
        assert.deepEqual(unique, [], 'no process of the tree survived');
        assert.ok(!existsSync(path.join(root, 'never')), 'the next step never started');
        const runs = readdirSync(path.join(root, '.context-forge/runs'));
        const status = JSON.parse(runCli(root, ['status', runs[0]!, '--json'], env).stdout).runs[0].status;
        assert.equal(status, 'cancelled');
        tally.cancelled++;
      });
    }
  }
});
