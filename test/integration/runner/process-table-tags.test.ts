/**
 * Reading tags only where they can be: the runner's leftover sweep after every step reads the environment only of
 * processes started no earlier than this one (`taggedByUs`), which made a 100-step workflow ~5× faster on a busy
 * machine. These tests pin down that nothing the runner must find is missed by it.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { ownStartTime, PROCESS_TAGS_ENV, readProcessTable } from '../../../src/node/process-table';
import { isLive, ProcessJanitor, waitFor } from '../../support/processes';

describe('process table: tags read only for processes this one could have tagged', function () {
  this.timeout(30_000);
  const janitor = new ProcessJanitor();
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccf-tags-'));
  });
  afterEach(() => {
    janitor.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ownStartTime is this process’s start tick from /proc/self/stat', () => {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    assert.equal(ownStartTime(), Number(fields[19]));
  });

  it('with tagsFrom, reads the tags of a child started after us and skips our (older) parent', async () => {
    const tag = janitor.tag('tagsfrom');
    const child = spawn('sleep', ['30'], { env: { ...process.env, [PROCESS_TAGS_ENV]: tag }, stdio: 'ignore' });
    janitor.pid(child.pid!, 'sleep');
    await waitFor(() => readFileSync(`/proc/${child.pid}/environ`, 'utf8').includes(tag), 'the child exec’d');
    const from = ownStartTime()!;
    const table = await readProcessTable({ tags: true, tagsFrom: from });
    assert.deepEqual(table.find((p) => p.pid === child.pid)?.tags, [tag]);
    assert.equal(table.find((p) => p.pid === process.ppid)?.tags, undefined, 'an older process is not read');
    const all = await readProcessTable({ tags: true });
    assert.ok(Array.isArray(all.find((p) => p.pid === process.ppid)?.tags), 'without tagsFrom every process is read');
    child.kill('SIGKILL');
  });

  it('the runner still stops a daemon a step left behind (setsid, double fork, stdio closed) when the step exits 0', async () => {
    const tag = janitor.tag('daemon');
    const runner = new NodeProcessRunner({ tag });
    const pidFile = path.join(dir, 'pid');
    const script = [
      `( setsid sh -c 'echo $$ > "$PIDFILE"; exec sleep 300' </dev/null >/dev/null 2>&1 & )`,
      'while [ ! -s "$PIDFILE" ]; do sleep 0.02; done',
    ].join('\n');
    const result = await runner.run({ script, cwd: dir, env: { PIDFILE: pidFile } }, {});
    assert.equal(result.exitCode, 0);
    const daemon = Number(readFileSync(pidFile, 'utf8').trim());
    janitor.pid(daemon, 'sleep');
    await waitFor(() => !isLive(daemon), `daemon ${daemon} is stopped`, 10_000);
  });
});
