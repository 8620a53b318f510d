import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readJsonl } from '../../../src/core/journal/jsonl';
import { JournalWriter } from '../../../src/node/journal-writer';
import { readJsonlFile } from '../../../src/node/jsonl-file';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { ProcessJanitor, waitFor } from '../../support/processes';

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

const ROOT = path.resolve(__dirname, '../../..');
const APPENDER = path.join(__dirname, 'children', 'journal-appender.ts');

describe('JournalWriter (real files)', function () {
  this.timeout(60_000);
  const janitor = new ProcessJanitor();
  let dir: string;
  let file: string;
  const open: JournalWriter<unknown>[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccf-journal-'));
    file = path.join(dir, 'runs', 'r1', 'events.jsonl');
  });

  afterEach(async () => {
    for (const w of open.splice(0)) await w.close();
    janitor.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  async function writer<T>(): Promise<JournalWriter<T>> {
    const w = await JournalWriter.open<T>(file);
    open.push(w as JournalWriter<unknown>);
    return w;
  }

  it('creates the folder and file, and appends one JSON value per line', async () => {
    const w = await writer<{ type: string; text?: string }>();
    assert.equal(w.repairedBytes, 0);
    await w.append({ type: 'runStarted' });
    await w.append({ type: 'line', text: 'with\nnewline, "quotes", \u2028 and ünïcødé' }, { sync: true });
    const text = readFileSync(file, 'utf8');
    assert.equal(text.split('\n').length, 3);
    assert.ok(text.endsWith('\n'));
    const { values, problems } = readJsonl(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(values, [
      { type: 'runStarted' },
      { type: 'line', text: 'with\nnewline, "quotes", \u2028 and ünïcødé' },
    ]);
  });

  it('keeps 1,000 concurrent appends intact, in call order, never interleaved', async () => {
    const w = await writer<{ seq: number; step: string; pad: string }>();
    const appends = Array.from({ length: 1000 }, (_, seq) =>
      w.append({ seq, step: `step-${seq % 7}`, pad: 'x'.repeat((seq * 131) % 9000) }, { sync: seq % 100 === 0 }),
    );
    await Promise.all(appends);
    const { values, problems, tornTail } = readJsonl<{ seq: number; pad: string }>(readFileSync(file, 'utf8'));
    assert.deepEqual(problems, []);
    assert.equal(tornTail, undefined);
    assert.deepEqual(
      values.map((v) => v.seq),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    for (const v of values) assert.equal(v.pad.length, (v.seq * 131) % 9000);
  });

  it('never loses an append made from the continuation of another (queue hand-off)', async () => {
    const w = await writer<number>();
    let chain: Promise<void> = Promise.resolve();
    for (let i = 0; i < 200; i++) chain = chain.then(() => w.append(i));
    // and appends issued inside resolution callbacks of a batch
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.append(1000 + i).then(() => w.append(2000 + i))));
    await chain;
    await w.sync();
    const { values } = readJsonl<number>(readFileSync(file, 'utf8'));
    assert.equal(values.length, 300);
    assert.deepEqual(
      values.filter((v) => v < 1000),
      Array.from({ length: 200 }, (_, i) => i),
    );
  });

  it('rejects a value JSON cannot hold and stays usable', async () => {
    const w = await writer<unknown>();
    await assert.rejects(w.append(10n), TypeError);
    await assert.rejects(w.append(undefined), TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(w.append(cyclic), TypeError);
    await w.append({ ok: true });
    assert.deepEqual(readJsonl(readFileSync(file, 'utf8')).values, [{ ok: true }]);
  });

  it('close() flushes, is idempotent, and later appends reject', async () => {
    const w = await writer<number>();
    const pending = [w.append(1), w.append(2)];
    await w.close();
    await Promise.all(pending);
    await w.close();
    await assert.rejects(w.append(3), /closed/);
    assert.deepEqual(readJsonl(readFileSync(file, 'utf8')).values, [1, 2]);
  });

  it('keeps one file descriptor for its lifetime', async () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    const w = await writer<number>();
    for (let i = 0; i < 50; i++) await w.append(i);
    assert.equal(fds(), before + 1);
  });

  it('repairs a torn tail on open so the next event is not glued onto the fragment', async () => {
    const first = await writer<object>();
    await first.append({ seq: 0 });
    await first.close();
    open.pop();
    appendFileSync(file, '{"seq":1,"pad":"cut off by a cra');
    const torn = readJsonl(readFileSync(file, 'utf8'));
    assert.deepEqual(torn.tornTail, { line: 2, chars: '{"seq":1,"pad":"cut off by a cra'.length });
    assert.equal(torn.problems[0]?.rule, 'jsonl-torn-tail');
    assert.equal(torn.problems[0]?.severity, 'warning');

    const w = await writer<object>();
    assert.equal(w.repairedBytes, Buffer.byteLength('{"seq":1,"pad":"cut off by a cra'));
    await w.append({ seq: 2 });
    const { values, problems } = await readJsonlFile(file);
    assert.deepEqual(problems, []);
    assert.deepEqual(values, [{ seq: 0 }, { seq: 2 }]);
  });

  it('repairs a file that is one torn line with no line end at all', async () => {
    await (await writer<number>()).close(); // creates the folder
    open.pop();
    writeFileSync(file, '{"a":');
    const w = await writer<number>();
    assert.equal(w.repairedBytes, 5);
    await w.append(1);
    assert.equal(readFileSync(file, 'utf8'), '1\n');
  });

  it('reads a missing journal as empty', async () => {
    assert.deepEqual(await readJsonlFile(path.join(dir, 'nope.jsonl')), { values: [], problems: [] });
  });

  it('survives kill -9 mid-append: every line but possibly the last parses, acknowledged events all there', async () => {
    const runner = new NodeProcessRunner({ tag: janitor.tag('journal') });
    for (let round = 0; round < 3; round++) {
      let acked = -1;
      let repaired = -1;
      let pid = 0;
      const done = runner.run(
        { argv: [process.execPath, '--import', 'tsx', APPENDER, file], cwd: ROOT },
        {
          onSpawn: (p) => {
            pid = p;
            janitor.group(p);
          },
          onLine: (l) => {
            const [word, n] = l.text.split(' ');
            if (word === 'acked') acked = Number(n);
            if (word === 'repaired') repaired = Number(n);
          },
        },
      );
      // Let it write a while (past a size that differs per round, counted from this round's start), then kill it
      // without warning.
      const startSize = sizeOf(file);
      const target = startSize + (round + 1) * 1_000_000;
      await waitFor(() => pid > 0 && acked >= 0 && sizeOf(file) > target, `the journal to pass ${target} bytes`);
      assert.ok(pid > 1, 'never signal pid 0 (our own process group)');
      process.kill(pid, 'SIGKILL');
      const result = await done;
      assert.equal(result.signal, 'SIGKILL');
      assert.ok(repaired >= 0, 'the appender opened the journal');

      const { values, problems, tornTail } = await readJsonlFile<{ seq: number; pad: string }>(file);
      const middle = problems.filter((p) => p.rule !== 'jsonl-torn-tail');
      assert.deepEqual(middle, [], 'no corrupt line in the middle');
      if (tornTail) assert.equal(problems.length, 1);
      // Across rounds the sequence restarts at 0 (each appender counts from 0); within a round it is gapless.
      const rounds: number[][] = [];
      for (const v of values) {
        if (v.seq === 0) rounds.push([]);
        rounds.at(-1)!.push(v.seq);
        assert.equal(v.pad.length, (v.seq * 7919) % 6000);
      }
      assert.equal(rounds.length, round + 1);
      const last = rounds.at(-1)!;
      assert.deepEqual(
        last,
        Array.from({ length: last.length }, (_, i) => i),
      );
      assert.ok(last.length - 1 >= acked, `acknowledged event ${acked} is missing (last ${last.length - 1})`);
    }
  });
});
