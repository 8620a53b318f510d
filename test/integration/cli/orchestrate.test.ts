/**
 * The built CLI (`dist/cli.js`) running real workflows in temp projects: exit codes, approvals, the journal,
 * status/report/stop, a SIGKILL of the CLI mid-run followed by `--resume`, a torn journal line.
 */
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** A sleep duration no other process on the machine uses, so `pgrep` finds only this test's processes. */
const uniqueSleep = () => `300.${process.pid}${Math.floor(Math.random() * 1e6)}`;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('CLI orchestrate / status / report / stop / resume (real processes)', function () {
  this.timeout(120_000);
  let dir: string;
  let config: string;
  const children: ChildProcess[] = [];

  const env = () => ({
    ...process.env,
    CCF_CONFIG_DIR: config,
    NO_COLOR: '1',
    ANTHROPIC_API_KEY: '',
    CLAUDE_API_KEY: '',
  });
  const cli = (...args: string[]): Result => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env: env(), encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const workflows = (yaml: string) => {
    mkdirSync(path.join(dir, '.claude'), { recursive: true });
    writeFileSync(path.join(dir, '.claude/orchestration.yaml'), yaml);
  };
  const runIds = () => readdirSync(path.join(dir, '.context-forge/runs')).sort();
  const lines = (file: string) =>
    existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), 'utf8').trim().split('\n') : [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccf-orch-'));
    config = mkdtempSync(path.join(tmpdir(), 'ccf-config-'));
  });
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
  });

  it('runs a shell workflow: exit 0, values only via env, a journal that status and report read', () => {
    workflows(
      [
        'workflows:',
        '  greet:',
        '    variables: { WHO: { description: name } }',
        '    steps:',
        '      - run: printf "%s" "$WHO" > who.txt',
        '      - parallel:',
        '          - run: echo a > a.txt',
        '          - run: echo b > b.txt',
      ].join('\n'),
    );
    const hostile = `$(touch pwned); \`touch pwned2\`; '"`;
    const r = cli('orchestrate', 'greet', '--var', `WHO=${hostile}`, '--yes');
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(readFileSync(path.join(dir, 'who.txt'), 'utf8'), hostile, 'the value arrived verbatim');
    assert.ok(!existsSync(path.join(dir, 'pwned')) && !existsSync(path.join(dir, 'pwned2')), 'and was never executed');
    const status = JSON.parse(cli('status', '--json').stdout);
    assert.equal(status.runs[0].status, 'passed');
    assert.deepEqual(status.runs[0].progress, { done: 3, total: 3 });
    const report = JSON.parse(cli('report', '--json').stdout);
    assert.equal(report.metrics.stepsCompleted, 3);
    assert.deepEqual(report.metrics.filesCreated.sort(), ['a.txt', 'b.txt', 'who.txt']);
    const md = cli('report', '--md').stdout;
    assert.match(md, /# Run .*: passed/);
  });

  it('exit 1 when a step fails, with the evidence in the journal; exit 2 for an unknown workflow or missing variable', () => {
    workflows(
      [
        'workflows:',
        '  w:',
        '    variables: { X: {} }',
        '    steps:',
        '      - run: |',
        '          echo "src/a.ts(3,5): error TS2322: nope"; exit 3',
      ].join('\n'),
    );
    const r = cli('orchestrate', 'w', '--var', 'X=1', '--yes');
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /src\/a\.ts:3:5: error: nope \[TS2322\]/);
    const report = JSON.parse(cli('report', '--json').stdout);
    assert.equal(report.status, 'failed');
    assert.equal(report.steps[0].commands[0].exitCode, 3);
    assert.equal(cli('orchestrate', 'nope', '--yes').code, 2);
    const missing = cli('orchestrate', 'w', '--yes');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /orchestration\.yaml:\d+:\d+: error: .*X/);
  });

  it('refuses to run unapproved project commands without a terminal (exit 2, nothing run)', () => {
    workflows(['workflows:', '  w:', '    steps:', '      - run: touch ran.txt'].join('\n'));
    const r = cli('orchestrate', 'w');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not been approved/);
    assert.ok(!existsSync(path.join(dir, 'ran.txt')));
    assert.ok(!existsSync(path.join(dir, '.context-forge/runs')), 'no run was even created');
  });

  it('a SIGKILL of the CLI mid-run, then --resume: completed steps are not re-run, the run completes', async () => {
    workflows(
      [
        'workflows:',
        '  long:',
        '    steps:',
        '      - run: echo run >> s1.count',
        '      - run: |',
        '          echo run >> s2.count',
        '          if [ ! -f second-time ]; then touch second-time; sleep 60; fi',
        '      - run: echo run >> s3.count',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [CLI, 'orchestrate', 'long', '--yes'], {
      cwd: dir,
      env: env(),
      stdio: 'ignore',
    });
    children.push(child);
    const deadline = Date.now() + 30_000;
    while (!existsSync(path.join(dir, 'second-time'))) {
      if (Date.now() > deadline) throw new Error('step 2 never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const [runId] = runIds();
    const before = JSON.parse(cli('status', runId!, '--json').stdout);
    assert.equal(before.runs[0].status, 'interrupted', 'a dead process is never shown as running');

    const resumed = cli('orchestrate', '--resume', runId!, '--yes');
    assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
    assert.deepEqual(lines('s1.count'), ['run'], 'the completed step did not run again');
    assert.deepEqual(lines('s2.count'), ['run', 'run'], 'the interrupted step ran again');
    assert.deepEqual(lines('s3.count'), ['run']);
    const after = JSON.parse(cli('status', runId!, '--json').stdout);
    assert.equal(after.runs[0].status, 'passed');
    assert.equal(runIds().length, 1, 'resume continues the same run');
  });

  it('resume refuses when an input changed, unless --force', () => {
    workflows(['workflows:', '  w:', '    steps:', '      - run: exit 1'].join('\n'));
    assert.equal(cli('orchestrate', 'w', '--yes').code, 1);
    workflows(['workflows:', '  w:', '    steps:', '      - run: exit 0'].join('\n'));
    const refused = cli('orchestrate', '--resume', '--yes');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /inputs changed .*orchestration\.yaml/);
    assert.equal(
      cli('orchestrate', '--resume', '--force', '--yes').code,
      1,
      'the journaled plan (exit 1) runs, not the edited file',
    );
  });

  it('stop asks a running run to cancel; the journal records cancelled and no step process survives', async () => {
    const marker = uniqueSleep();
    workflows(
      [
        'workflows:',
        '  w:',
        '    steps:',
        `      - run: touch started; sleep ${marker} & sleep ${marker}`,
        '      - run: touch never',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [CLI, 'orchestrate', 'w', '--yes'], {
      cwd: dir,
      env: env(),
      stdio: 'ignore',
    });
    children.push(child);
    while (!existsSync(path.join(dir, 'started'))) await new Promise((r) => setTimeout(r, 50));
    const stop = cli('stop');
    assert.equal(stop.code, 0, stop.stderr + stop.stdout);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 1);
    const report = JSON.parse(cli('report', '--json').stdout);
    assert.equal(report.status, 'cancelled');
    assert.ok(!existsSync(path.join(dir, 'never')));
    assert.equal(
      spawnSync('pgrep', ['-f', `sleep ${marker}`])
        .stdout.toString()
        .trim(),
      '',
      'no sleep survived',
    );
  });

  it('stop --force kills a run and records it as cancelled', async () => {
    const marker = uniqueSleep();
    workflows(['workflows:', '  w:', '    steps:', `      - run: touch started; sleep ${marker}`].join('\n'));
    const child = spawn(process.execPath, [CLI, 'orchestrate', 'w', '--yes'], {
      cwd: dir,
      env: env(),
      stdio: 'ignore',
    });
    children.push(child);
    while (!existsSync(path.join(dir, 'started'))) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const stop = cli('stop', '--force');
    assert.equal(stop.code, 0, stop.stderr + stop.stdout);
    await new Promise((r) => child.once('exit', r));
    assert.equal(JSON.parse(cli('status', '--json').stdout).runs[0].status, 'cancelled');
    assert.equal(
      spawnSync('pgrep', ['-f', `sleep ${marker}`])
        .stdout.toString()
        .trim(),
      '',
    );
  });

  it('a torn last journal line is ignored, never fatal', () => {
    workflows(['workflows:', '  w:', '    steps:', '      - run: "true"'].join('\n'));
    assert.equal(cli('orchestrate', 'w', '--yes').code, 0);
    const [runId] = runIds();
    appendFileSync(path.join(dir, '.context-forge/runs', runId!, 'events.jsonl'), '{"type":"step-sta');
    const status = cli('status', '--json');
    assert.equal(status.code, 0);
    assert.equal(JSON.parse(status.stdout).runs[0].status, 'passed');
  });

  it('--dry-run prints the plan and runs nothing', () => {
    workflows(
      ['workflows:', '  w:', '    steps:', '      - run: touch ran', '      - /prp-execute PRPs/x.md'].join('\n'),
    );
    const r = cli('orchestrate', 'w', '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1\. run: touch ran/);
    assert.match(r.stdout, /2\. implement: \/prp-execute PRPs\/x\.md/);
    assert.ok(!existsSync(path.join(dir, 'ran')));
  });
});
