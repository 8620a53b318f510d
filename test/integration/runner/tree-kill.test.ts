import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OutputLine, ProcessResult, ProcessSpec, RunOptions } from '../../../src/core/ports/process-runner';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { forceKillTree, killProcessTree, listTree } from '../../../src/node/process-tree';
import { isLive, ProcessJanitor, processInfo, survivors, waitFor } from '../../support/processes';

/**
 * Whole-tree cancellation with real processes. "No survivor" is checked by scanning /proc independently of the
 * code under test: by process group, by ancestry, by the test's environment tag, and by pids the scripts record.
 */
describe('process-tree kill (real processes)', function () {
  this.timeout(60_000);
  const janitor = new ProcessJanitor();
  let dir: string;
  let tag: string;
  let runner: NodeProcessRunner;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccf-tree-'));
    tag = janitor.tag('tree');
    runner = new NodeProcessRunner({ tag, streamDrainMs: 500 });
  });

  afterEach(() => {
    janitor.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `script`, aborting once it prints `ready`; resolves with the result and the leader's pid. */
  async function cancelWhenReady(
    script: string,
    options: Partial<RunOptions> = {},
    spec: Partial<ProcessSpec> = {},
  ): Promise<{ result: ProcessResult; pid: number; lines: OutputLine[] }> {
    const controller = new AbortController();
    let pid = 0;
    const lines: OutputLine[] = [];
    const result = await runner.run(
      { script, cwd: dir, env: { PIDFILE: path.join(dir, 'pid') }, ...spec },
      {
        signal: controller.signal,
        graceMs: { interrupt: 300, terminate: 300 },
        ...options,
        onSpawn: (p) => {
          pid = p;
          janitor.group(p);
        },
        onLine: (l) => {
          lines.push(l);
          if (l.text === 'ready') controller.abort();
        },
      },
    );
    return { result, pid, lines };
  }

  function pidFileWritten(): boolean {
    try {
      return readFileSync(path.join(dir, 'pid'), 'utf8').endsWith('\n');
    } catch {
      return false;
    }
  }

  function recordedPid(): number {
    const pid = Number(readFileSync(path.join(dir, 'pid'), 'utf8').trim());
    assert.ok(Number.isInteger(pid) && pid > 1, `a recorded pid, got ${pid}`);
    janitor.pid(pid, 'sleep');
    return pid;
  }

  it('kills `sh -c "sleep 300 & sleep 300"` — leader and background job — with no survivor', async () => {
    const { result, pid } = await cancelWhenReady('sleep 300 & echo ready; sleep 300');
    assert.equal(result.cancelled, true);
    assert.equal(result.exitCode, null);
    assert.ok(result.signal === 'SIGINT' || result.signal === 'SIGTERM', `signal ${result.signal}`);
    assert.deepEqual(survivors({ pgid: pid, ancestor: pid, tag }), []);
    assert.equal(result.survivors, undefined);
  });

  it('kills a child that left the process group with setsid', async () => {
    let escapee = 0;
    const script = [
      `setsid sh -c 'echo $$ > "$PIDFILE"; exec sleep 300' &`,
      'while [ ! -s "$PIDFILE" ]; do sleep 0.02; done',
      'echo ready',
      'sleep 300',
    ].join('\n');
    const controller = new AbortController();
    let pid = 0;
    const result = await runner.run(
      { script, cwd: dir, env: { PIDFILE: path.join(dir, 'pid') } },
      {
        signal: controller.signal,
        graceMs: { interrupt: 300, terminate: 300 },
        onSpawn: (p) => {
          pid = p;
          janitor.group(p);
        },
        onLine: (l) => {
          if (l.text !== 'ready') return;
          escapee = recordedPid();
          // The premise: it really is outside the step's group (and session).
          assert.notEqual(processInfo(escapee)?.pgid, pid);
          controller.abort();
        },
      },
    );
    assert.equal(result.cancelled, true);
    assert.ok(escapee > 0);
    assert.equal(isLive(escapee), false, `setsid child ${escapee} survived`);
    assert.deepEqual(survivors({ pgid: pid, ancestor: pid, tag }), []);
  });

  it('kills a double-forked daemon re-parented away from the tree (found by its environment tag)', async () => {
    let daemon = 0;
    const script = [
      // The subshell forks the setsid'd sleep and exits at once: the sleep loses every link to the step.
      `( setsid sh -c 'echo $$ > "$PIDFILE"; exec sleep 300' & )`,
      'while [ ! -s "$PIDFILE" ]; do sleep 0.02; done',
      'echo ready',
      'sleep 300',
    ].join('\n');
    const controller = new AbortController();
    let pid = 0;
    const result = await runner.run(
      { script, cwd: dir, env: { PIDFILE: path.join(dir, 'pid') } },
      {
        signal: controller.signal,
        graceMs: { interrupt: 300, terminate: 300 },
        onSpawn: (p) => {
          pid = p;
          janitor.group(p);
        },
        onLine: (l) => {
          if (l.text !== 'ready') return;
          daemon = recordedPid();
          const info = processInfo(daemon);
          assert.notEqual(info?.pgid, pid);
          assert.notEqual(info?.ppid, pid);
          controller.abort();
        },
      },
    );
    assert.equal(result.cancelled, true);
    await waitFor(() => daemon > 0, 'the daemon pid');
    assert.equal(isLive(daemon), false, `daemon ${daemon} survived`);
  });

  it('escalates SIGINT → SIGTERM for a process that ignores SIGINT', async () => {
    const { result, pid } = await cancelWhenReady("trap '' INT; echo ready; sleep 300 & sleep 300");
    assert.equal(result.cancelled, true);
    assert.equal(result.signal, 'SIGTERM');
    assert.deepEqual(survivors({ pgid: pid, tag }), []);
  });

  it('escalates to SIGKILL for a tree that ignores SIGINT and SIGTERM', async () => {
    const { result, pid } = await cancelWhenReady("trap '' INT TERM; echo ready; sleep 300 & sleep 300");
    assert.equal(result.cancelled, true);
    assert.equal(result.signal, 'SIGKILL');
    assert.deepEqual(survivors({ pgid: pid, tag }), []);
  });

  it('resolves when a background grandchild holds stdout after the leader exits, and stops it', async () => {
    const started = Date.now();
    let pid = 0;
    const lines: string[] = [];
    const result = await runner.run(
      { script: 'sleep 300 & echo leader done', cwd: dir },
      {
        onSpawn: (p) => {
          pid = p;
          janitor.group(p);
        },
        onLine: (l) => lines.push(l.text),
      },
    );
    assert.equal(result.exitCode, 0);
    assert.equal(result.cancelled, false);
    assert.equal(result.leftovers, 1);
    assert.deepEqual(lines, ['leader done']);
    assert.deepEqual(survivors({ pgid: pid, tag }), []);
    assert.ok(Date.now() - started < 30_000);
  });

  it('still resolves when an untraceable process (setsid, no environment, re-parented) holds stdout', async () => {
    // `env -i` drops the tag, setsid leaves the group, the subshell exit cuts the parent link: nothing can find
    // it. run() gives up on the pipe after streamDrainMs instead of hanging. (A documented limit.)
    const script = `( env -i setsid sh -c 'echo $$ > "$1"; exec sleep 300' sh "$PIDFILE" & ); while [ ! -s "$PIDFILE" ]; do sleep 0.02; done; echo started`;
    const result = await runner.run({ script, cwd: dir, env: { PIDFILE: path.join(dir, 'pid') } });
    const escaped = recordedPid();
    assert.ok(escaped > 1);
    assert.equal(result.exitCode, 0);
    assert.equal(isLive(escaped), true, 'premise: the untraceable process is still running');
    process.kill(escaped, 'SIGKILL');
  });

  it('stops a timed-out tree with a grandchild that ignores SIGTERM', async () => {
    let pid = 0;
    const result = await runner.run(
      { script: 'sh -c "trap \'\' TERM; sleep 300" & sleep 300', cwd: dir, timeoutMs: 300 },
      {
        graceMs: { terminate: 300 },
        onSpawn: (p) => {
          pid = p;
          janitor.group(p);
        },
      },
    );
    assert.equal(result.timedOut, true);
    assert.deepEqual(survivors({ pgid: pid, ancestor: pid, tag }), []);
  });

  it('takes the step groups down when the host process dies of an uncaught exception', async () => {
    // The host is started by plain child_process (no runner, no tag), so only its own exit hook can clean up.
    const host = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'children', 'crash-mid-run.ts')], {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let step = 0;
    let stdout = '';
    host.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = /^step (\d+)$/m.exec(stdout);
      if (m && step === 0) {
        step = Number(m[1]);
        janitor.group(step);
      }
    });
    const code = await new Promise<number | null>((resolve) => host.once('close', resolve));
    assert.equal(code, 1);
    assert.ok(step > 1, stdout);
    assert.deepEqual(survivors({ pgid: step }), []);
  });

  describe('killProcessTree / forceKillTree from another process', () => {
    /** Starts `sh -c "<script>"` detached — not through our runner — as "another process" would find it. */
    function startTree(script: string): number {
      const child = spawn('/bin/sh', ['-c', script], {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, CONTEXT_FORGE_PROCESS_TAGS: tag, PIDFILE: path.join(dir, 'pid') },
      });
      child.unref();
      janitor.group(child.pid!);
      return child.pid!;
    }

    it('forceKillTree(pid) kills the leader, its group, and a setsid child, and waits for them', async () => {
      const pid = startTree(`setsid sh -c 'echo $$ > "$PIDFILE"; exec sleep 300' & sleep 300 & sleep 300`);
      await waitFor(async () => pidFileWritten() && (await listTree(pid)).length >= 4, 'the tree to be up');
      const escapee = recordedPid();
      const result = await forceKillTree(pid);
      assert.deepEqual(result.survivors, []);
      assert.ok(result.signalled >= 3);
      assert.equal(isLive(escapee), false);
      assert.deepEqual(survivors({ pgid: pid, ancestor: pid, tag }), []);
    });

    it('forceKillTree({ tag }) finds a tree whose root already died', async () => {
      const pid = startTree(`( setsid sh -c 'echo $$ > "$PIDFILE"; exec sleep 300' & ); sleep 0.1`);
      await waitFor(() => !isLive(pid), 'the root to exit');
      await waitFor(pidFileWritten, 'the daemon pid');
      const daemon = recordedPid();
      assert.equal(isLive(daemon), true);
      const result = await forceKillTree({ tag });
      assert.deepEqual(result.survivors, []);
      assert.equal(isLive(daemon), false);
    });

    it('killProcessTree sends one signal to the whole tree and never to us', async () => {
      const pid = startTree('sleep 300 & sleep 300');
      await waitFor(async () => (await listTree(pid)).length >= 2, 'the tree to be up');
      const signalled = await killProcessTree(pid, 'SIGTERM');
      assert.ok(signalled.includes(pid));
      assert.ok(!signalled.includes(process.pid));
      await waitFor(() => survivors({ pgid: pid }).length === 0, 'the group to be gone');
    });

    it('never signals its caller or the caller’s ancestors, even when asked for its own tree', async () => {
      const members = await listTree({
        pid: process.pid,
        pgid: Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[2]),
      });
      assert.ok(!members.some((m) => m.pid === process.pid || m.pid === process.ppid));
    });
  });
});
