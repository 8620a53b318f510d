import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OutputLine, ProcessResult } from '../../../src/core/ports/process-runner';
import type { RunLock } from '../../../src/core/run/run-lock';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { readProcess } from '../../../src/node/process-table';
import {
  acquireRunLock,
  forceStopRun,
  isAlive,
  lockState,
  RunLockedError,
  readRunLock,
  requestStop,
  StopRequestedError,
  waitForRelease,
  watchStopRequests,
} from '../../../src/node/run-lock';
import { isLive, ProcessJanitor, survivors, waitFor } from '../../support/processes';

const ROOT = path.resolve(__dirname, '../../..');
const CHILDREN = path.join(__dirname, 'children');

/** A pid that certainly belongs to no process: one that just exited and was reaped. */
function deadPid(): number {
  const r = spawnSync('/bin/sh', ['-c', 'echo $$']);
  return Number(r.stdout.toString().trim());
}

describe('run lock, heartbeat and stop requests (real files and processes)', function () {
  this.timeout(60_000);
  const janitor = new ProcessJanitor();
  let dir: string;
  let runDir: string;
  let tag: string;
  const held: { release(): Promise<void> }[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccf-lock-'));
    runDir = path.join(dir, '.context-forge', 'runs', 'r1');
    tag = janitor.tag('lock');
  });

  afterEach(async () => {
    for (const h of held.splice(0)) await h.release();
    janitor.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  async function acquire(options: Parameters<typeof acquireRunLock>[1] = {}) {
    const h = await acquireRunLock(runDir, options);
    held.push(h);
    return h;
  }

  function writeLock(fields: Partial<RunLock>): RunLock {
    const now = new Date().toISOString();
    const lock: RunLock = {
      version: 1,
      pid: process.pid,
      pgid: process.pid,
      host: hostname(),
      startedAt: now,
      heartbeatAt: now,
      heartbeatMs: 1000,
      tag: 'ccf-test-lock',
      ...fields,
    };
    writeFileSync(path.join(runDir, 'lock.json'), JSON.stringify(lock));
    return lock;
  }

  describe('acquire, heartbeat, release', () => {
    it('writes lock.json with pid, pgid, host, times and a tag, and deletes it on release', async () => {
      const h = await acquire({ runId: 'r1', heartbeatMs: 1000 });
      const onDisk = JSON.parse(readFileSync(path.join(runDir, 'lock.json'), 'utf8')) as RunLock;
      assert.equal(onDisk.pid, process.pid);
      assert.equal(onDisk.pgid, (await readProcess(process.pid))?.pgid);
      assert.equal(onDisk.host, hostname());
      assert.equal(onDisk.runId, 'r1');
      assert.ok(!Number.isNaN(Date.parse(onDisk.startedAt)));
      assert.equal(onDisk.heartbeatMs, 1000);
      assert.match(onDisk.tag, /^ccf-/);
      assert.deepEqual(onDisk, h.lock);
      assert.equal(await isAlive(onDisk), true);
      // No temp files left behind by the exclusive create.
      assert.deepEqual(readdirSync(runDir), ['lock.json']);
      await h.release();
      assert.equal(existsSync(path.join(runDir, 'lock.json')), false);
      await h.release(); // idempotent
    });

    it('refuses a second holder while the first is alive', async () => {
      await acquire();
      await assert.rejects(acquireRunLock(runDir), (err: unknown) => {
        assert.ok(err instanceof RunLockedError);
        assert.equal(err.state, 'alive');
        assert.equal(err.lock?.pid, process.pid);
        return true;
      });
    });

    it('refreshes the heartbeat on its timer', async () => {
      const h = await acquire({ heartbeatMs: 50 });
      const first = Date.parse(h.lock.heartbeatAt);
      await waitFor(async () => Date.parse((await readRunLock(runDir))!.heartbeatAt) > first, 'a newer heartbeat');
    });

    it('stops heartbeating and reports the loss when another holder replaced the lock', async () => {
      let lostTo: RunLock | undefined;
      let lost = false;
      const h = await acquire({
        heartbeatMs: 60_000,
        onLost: (current) => {
          lost = true;
          lostTo = current;
        },
      });
      const usurper = writeLock({ tag: 'ccf-usurper' });
      assert.equal(await h.heartbeat(), false);
      assert.equal(lost, true);
      assert.equal(lostTo?.tag, usurper.tag);
      await h.release();
      assert.equal((await readRunLock(runDir))?.tag, 'ccf-usurper', 'release must not delete a lock it lost');
    });

    it('refuses an unreadable lock.json with a message saying what to do', async () => {
      await acquire();
      await held.pop()!.release();
      writeFileSync(path.join(runDir, 'lock.json'), '{"pid": ');
      await assert.rejects(acquireRunLock(runDir), /not valid JSON.*delete .*lock\.json if no run is active/);
    });
  });

  describe('liveness', () => {
    beforeEach(async () => {
      (await acquire()).release();
      held.pop();
    });

    it('a lock whose process died is dead (→ shown as interrupted) and is taken over', async () => {
      const stale = writeLock({ pid: deadPid(), pgid: 1234 });
      assert.equal((await lockState(stale)).state, 'dead');
      assert.match((await lockState(stale)).reason, /is gone/);
      assert.equal(await isAlive(stale), false);
      const h = await acquire();
      assert.equal(h.previous?.tag, stale.tag);
      assert.equal((await readRunLock(runDir))?.tag, h.lock.tag);
    });

    it('a recycled pid (same pid, other start time) is not the lock’s process', async () => {
      const lock = writeLock({ procStart: '1' });
      assert.equal((await lockState(lock)).state, 'dead');
    });

    it('a live process with a stale heartbeat is unresponsive, and not taken over', async () => {
      const self = await readProcess(process.pid);
      const lock = writeLock({
        heartbeatAt: new Date(Date.now() - 60_000).toISOString(),
        ...(self?.startTime ? { procStart: self.startTime } : {}),
      });
      assert.equal((await lockState(lock)).state, 'unresponsive');
      assert.equal(await isAlive(lock), false);
      await assert.rejects(acquireRunLock(runDir), (err: unknown) => (err as RunLockedError).state === 'unresponsive');
    });

    it('on another host only the heartbeat counts', async () => {
      const fresh = writeLock({ host: 'elsewhere.example', pid: deadPid() });
      assert.equal((await lockState(fresh)).state, 'alive');
      const old = writeLock({ host: 'elsewhere.example', heartbeatAt: new Date(Date.now() - 60_000).toISOString() });
      assert.equal((await lockState(old)).state, 'dead');
    });

    it('taking over a dead run kills what it left running (found by its tag)', async () => {
      // `exec` keeps the count fixed at two, whatever the shell: the background sleep and the exec'd one.
      const leftover = spawn('/bin/sh', ['-c', 'sleep 300 & exec sleep 300'], {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, CONTEXT_FORGE_PROCESS_TAGS: `${tag} ccf-dead-run` },
      });
      leftover.unref();
      janitor.group(leftover.pid!);
      await waitFor(() => survivors({ pgid: leftover.pid }).length === 2, 'the leftovers to start');
      writeLock({ pid: deadPid(), tag: 'ccf-dead-run' });
      const h = await acquire();
      assert.equal(h.leftoversKilled, 2);
      assert.deepEqual(survivors({ pgid: leftover.pid }), []);
    });

    it('a contender that died mid-takeover does not block the next one', async () => {
      const stale = writeLock({ pid: deadPid(), tag: 'ccf-dead-holder' });
      const abandoned = path.join(runDir, `lock.json.takeover-${stale.tag}.1`);
      writeFileSync(abandoned, JSON.stringify({ pid: deadPid(), host: hostname() }));
      const h = await acquire();
      assert.equal(h.previous?.tag, stale.tag);
      assert.deepEqual(readdirSync(runDir), ['lock.json'], 'takeover tokens are cleaned up');
    });

    it('a takeover in progress by a live process makes others back off', async () => {
      const stale = writeLock({ pid: deadPid(), tag: 'ccf-dead-holder' });
      const self = await readProcess(process.pid);
      writeFileSync(
        path.join(runDir, `lock.json.takeover-${stale.tag}.1`),
        JSON.stringify({ pid: process.pid, host: hostname(), procStart: self?.startTime }),
      );
      await assert.rejects(acquireRunLock(runDir), (err: unknown) => (err as RunLockedError).state === 'contended');
      assert.equal((await readRunLock(runDir))?.tag, stale.tag, 'the lock was left alone');
    });

    it('exactly one of several processes racing for a dead lock wins', async () => {
      writeLock({ pid: deadPid() });
      const runner = new NodeProcessRunner({ tag });
      const at = Date.now() + 2500;
      const outcomes = Array.from({ length: 4 }, () => {
        const lines: string[] = [];
        const done = runner.run(
          {
            argv: [process.execPath, '--import', 'tsx', path.join(CHILDREN, 'acquire-race.ts'), runDir, String(at)],
            cwd: ROOT,
          },
          { onLine: (l) => lines.push(l.text) },
        );
        return { lines, done };
      });
      await waitFor(() => outcomes.every((o) => o.lines.length > 0), 'every contender to report', 40_000);
      const results = outcomes.map((o) => o.lines[0]);
      assert.equal(results.filter((r) => r === 'won').length, 1, results.join(', '));
      for (const r of results) assert.match(r!, /^(won|lost (alive|contended))$/);
      writeFileSync(path.join(runDir, 'release'), '');
      for (const o of outcomes) assert.equal((await o.done).exitCode, 0);
      assert.equal(existsSync(path.join(runDir, 'lock.json')), false);
    });
  });

  describe('stop requests', () => {
    it('watchStopRequests aborts its signal when a stop request appears, with the request as reason', async () => {
      (await acquire()).release();
      held.pop();
      const watch = watchStopRequests(runDir, { pollMs: 20 });
      try {
        assert.equal(watch.signal.aborted, false);
        const request = await requestStop(runDir, { reason: 'user asked' });
        await waitFor(() => watch.signal.aborted, 'the signal to abort');
        const reason = watch.signal.reason as StopRequestedError;
        assert.ok(reason instanceof StopRequestedError);
        assert.deepEqual(reason.request, request);
        assert.match(reason.message, /user asked/);
      } finally {
        watch.close();
      }
    });

    it('ignores a stop request older than the run (meant for an earlier attempt)', async () => {
      await requestStop(runDir);
      const watch = watchStopRequests(runDir, { pollMs: 20, since: Date.now() + 1000 });
      try {
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(watch.signal.aborted, false);
      } finally {
        watch.close();
      }
    });

    /** Starts the stand-in CLI run (children/hold-run.ts) as a separate process. */
    function startRun(script: string) {
      const runner = new NodeProcessRunner({ tag });
      const events: {
        event: string;
        text?: string;
        pid?: number;
        lock?: RunLock;
        result?: ProcessResult;
        reason?: string;
      }[] = [];
      const lines: OutputLine[] = [];
      let cliPid = 0;
      const done = runner.run(
        { argv: [process.execPath, '--import', 'tsx', path.join(CHILDREN, 'hold-run.ts'), runDir, script], cwd: ROOT },
        {
          onSpawn: (pid) => {
            cliPid = pid;
            janitor.group(pid);
          },
          onLine: (l) => {
            lines.push(l);
            if (l.stream === 'stdout' && l.text.startsWith('{')) events.push(JSON.parse(l.text));
          },
        },
      );
      return { events, lines, done, cliPid: () => cliPid };
    }

    it('`stop` from another process cancels the run cleanly: tree gone, lock released', async () => {
      const run = startRun('sleep 300 & echo ready; sleep 300');
      await waitFor(() => run.events.some((e) => e.text === 'ready'), 'the step to start', 40_000);
      const stepPid = run.events.find((e) => e.event === 'spawned')!.pid!;
      await requestStop(runDir, { reason: 'test' });
      const cli = await run.done;
      assert.equal(cli.exitCode, 0, run.lines.map((l) => l.text).join('\n'));
      const result = run.events.find((e) => e.event === 'result');
      assert.equal(result?.result?.cancelled, true);
      assert.match(result?.reason ?? '', /stop requested .*: test/);
      assert.deepEqual(survivors({ pgid: stepPid, tag }), []);
      assert.equal(await waitForRelease(runDir, { timeoutMs: 1000 }), true);
    });

    it('`stop --force` from another process kills the run, its steps and their children, and clears the lock', async () => {
      const run = startRun(`setsid sh -c 'exec sleep 300' & sleep 300 & echo ready; sleep 300`);
      await waitFor(() => run.events.some((e) => e.text === 'ready'), 'the step to start', 40_000);
      const lock = (await readRunLock(runDir))!;
      assert.equal(lock.pid, run.cliPid());
      assert.equal(lock.pgid, run.cliPid(), 'the stand-in CLI leads its group (our runner spawned it detached)');
      const stepPid = run.events.find((e) => e.event === 'spawned')!.pid!;
      const result = await forceStopRun(runDir);
      assert.deepEqual(result.survivors, []);
      assert.ok(result.signalled >= 4, `signalled ${result.signalled}`);
      const cli = await run.done;
      assert.equal(cli.signal, 'SIGKILL');
      assert.equal(isLive(run.cliPid()), false);
      assert.deepEqual(survivors({ pgid: stepPid, tag: lock.tag }), []);
      assert.equal(existsSync(path.join(runDir, 'lock.json')), false);
    });

    it('`stop --force` on a dead run still kills what it left running, and never a recycled pid', async () => {
      const leftover = spawn('/bin/sh', ['-c', 'sleep 300'], {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, CONTEXT_FORGE_PROCESS_TAGS: `${tag} ccf-crashed` },
      });
      leftover.unref();
      janitor.group(leftover.pid!);
      // The lock names *our* pid with a wrong start time: a recycled pid. Killing it would kill mocha.
      (await acquire()).release();
      held.pop();
      writeLock({ pid: process.pid, pgid: process.pid, procStart: '1', tag: 'ccf-crashed' });
      const result = await forceStopRun(runDir);
      assert.deepEqual(result.survivors, []);
      assert.equal(isLive(leftover.pid!), false);
    });
  });
});
