import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OutputLine, ProcessResult, RunOptions } from '../../../src/core/ports/process-runner';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { ProcessJanitor, survivors } from '../../support/processes';

/** Real processes: exit codes, signals, output, environment, stdin, spawn errors. Tree kill is in tree-kill.test.ts. */
describe('NodeProcessRunner (real processes)', function () {
  this.timeout(60_000);
  const janitor = new ProcessJanitor();
  let dir: string;
  let runner: NodeProcessRunner;
  let tag: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccf-runner-'));
    tag = janitor.tag('runner');
    runner = new NodeProcessRunner({ tag });
  });

  afterEach(() => {
    janitor.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(
    spec: { script?: string; argv?: string[]; env?: Record<string, string>; stdin?: string; timeoutMs?: number },
    options: RunOptions = {},
  ): Promise<{ result: ProcessResult; lines: OutputLine[]; out: string[]; err: string[]; pid?: number }> {
    const lines: OutputLine[] = [];
    let pid: number | undefined;
    const result = await runner.run(
      { cwd: dir, ...spec },
      {
        ...options,
        onLine: (l) => {
          lines.push(l);
          options.onLine?.(l);
        },
        onSpawn: (p) => {
          pid = p;
          janitor.group(p);
        },
      },
    );
    return {
      result,
      lines,
      out: lines.filter((l) => l.stream === 'stdout').map((l) => l.text),
      err: lines.filter((l) => l.stream === 'stderr').map((l) => l.text),
      pid,
    };
  }

  describe('exit status', () => {
    for (const code of [0, 1, 42]) {
      it(`reports exit code ${code}`, async () => {
        const { result } = await run({ script: `exit ${code}` });
        assert.equal(result.exitCode, code);
        assert.equal(result.signal, null);
        assert.equal(result.timedOut, false);
        assert.equal(result.cancelled, false);
        assert.equal(result.spawnError, undefined);
        assert.ok(result.durationMs >= 0);
      });
    }

    it('reports the signal that ended the process (and no exit code)', async () => {
      const { result } = await run({ script: 'kill -TERM $$; sleep 5' });
      assert.equal(result.exitCode, null);
      assert.equal(result.signal, 'SIGTERM');
      const killed = await run({ script: 'kill -KILL $$; sleep 5' });
      assert.equal(killed.result.signal, 'SIGKILL');
    });

    it('reports a command the shell cannot find as exit 127 from the shell, not a spawn error', async () => {
      const { result, err } = await run({ script: 'ccf-no-such-command-xyz' });
      assert.equal(result.exitCode, 127);
      assert.equal(result.spawnError, undefined);
      assert.match(err.join('\n'), /ccf-no-such-command-xyz/);
    });

    it('runs argv without a shell', async () => {
      const { result, out } = await run({ argv: ['/bin/echo', 'a  b', '$HOME', '*'] });
      assert.equal(result.exitCode, 0);
      assert.deepEqual(out, ['a  b $HOME *']);
    });

    it('gives the child its own process group (pid = pgid), apart from ours', async () => {
      const { out, pid } = await run({ script: 'ps -o pgid= -p $$ 2>/dev/null || cut -d" " -f5 /proc/$$/stat' });
      assert.equal(Number(out[0]), pid);
      assert.notEqual(Number(out[0]), Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[2]));
    });
  });

  describe('output', () => {
    it('keeps stdout and stderr apart, each in order, with timestamps', async () => {
      const script = 'for i in 1 2 3 4 5; do echo "out $i"; echo "err $i" >&2; done';
      const before = Date.now();
      const { out, err, lines } = await run({ script });
      assert.deepEqual(out, ['out 1', 'out 2', 'out 3', 'out 4', 'out 5']);
      assert.deepEqual(err, ['err 1', 'err 2', 'err 3', 'err 4', 'err 5']);
      for (const l of lines) assert.ok(l.ts >= before - 1000 && l.ts <= Date.now() + 1000, `timestamp ${l.ts}`);
    });

    it('handles \\r\\n, a final unterminated line, empty lines and a lone \\r', async () => {
      const { out } = await run({ script: "printf 'a\\r\\nb\\r\\n\\nprogress 1\\rprogress 2\\nlast'" });
      assert.deepEqual(out, ['a', 'b', '', 'progress 1\rprogress 2', 'last']);
    });

    it('delivers a multi-byte character split across two writes whole', async () => {
      // '€' is e2 82 ac: the first two bytes, a pause (so they arrive as their own chunk), then the last.
      const { out } = await run({ script: "printf 'x\\342\\202'; sleep 0.3; printf '\\254y\\n'" });
      assert.deepEqual(out, ['x€y']);
    });

    it('delivers 100,000 lines per stream completely and in order', async () => {
      const { result, out, err } = await run({ script: 'seq 1 100000; seq 1 100000 >&2' });
      assert.equal(result.exitCode, 0);
      assert.equal(out.length, 100_000);
      assert.equal(err.length, 100_000);
      for (let i = 0; i < 100_000; i++) {
        if (out[i] !== String(i + 1) || err[i] !== String(i + 1)) assert.fail(`line ${i + 1}: ${out[i]} / ${err[i]}`);
      }
    });

    it('cuts a very long line into 64 Ki pieces marked `continues`, losing nothing', async () => {
      const { lines } = await run({ script: "head -c 200000 /dev/zero | tr '\\0' a; echo; echo next" });
      const stdout = lines.filter((l) => l.stream === 'stdout');
      assert.deepEqual(
        stdout.map((l) => [l.text.length, l.continues ?? false]),
        [
          [65536, true],
          [65536, true],
          [65536, true],
          [200000 - 3 * 65536, false],
          [4, false],
        ],
      );
      assert.equal(
        stdout
          .slice(0, 4)
          .map((l) => l.text)
          .join(''),
        'a'.repeat(200_000),
      );
    });
  });

  describe('environment and input', () => {
    it('passes env values verbatim — quotes, newlines, $(…), backticks — and never expands them', async () => {
      const marker = path.join(dir, 'pwned');
      const values = {
        CCF_QUOTES: `it's "double" and 'single'`,
        CCF_NEWLINES: 'line 1\nline 2\r\nline 3\n',
        CCF_SUBST: `$(touch ${marker}) \`touch ${marker}\` $HOME \${PATH} ; rm -rf / && echo no | cat`,
        CCF_EMPTY: '',
        CCF_UNICODE: 'naïve — 日本語 🚀',
      };
      const script = Object.keys(values)
        .map((k) => `printf '%s' "$${k}" > ${k}.txt`)
        .join('; ');
      const { result } = await run({ script, env: values });
      assert.equal(result.exitCode, 0);
      for (const [k, v] of Object.entries(values)) {
        assert.equal(readFileSync(path.join(dir, `${k}.txt`), 'utf8'), v, k);
      }
      assert.equal(existsSync(marker), false, 'a $(…) or backtick in a value was executed');
    });

    it('passes argv values verbatim without a shell', async () => {
      const marker = path.join(dir, 'pwned');
      const hostile = `$(touch ${marker}); \`touch ${marker}\` | & > x`;
      const { out } = await run({ argv: ['printf', '%s\\n', hostile] });
      assert.deepEqual(out, [hostile]);
      assert.equal(existsSync(marker), false);
      assert.equal(existsSync(path.join(dir, 'x')), false);
    });

    it('inherits the environment, with spec.env overriding it', async () => {
      const { out } = await run({ script: 'echo "$PATH" | head -c 1; echo; echo "$HOME"', env: { HOME: '/nowhere' } });
      assert.equal(out[0], (process.env.PATH ?? '').slice(0, 1));
      assert.equal(out[1], '/nowhere');
    });

    it('feeds stdin and closes it', async () => {
      const { out, result } = await run({ script: 'cat; echo done', stdin: 'hello\nwörld\n' });
      assert.equal(result.exitCode, 0);
      assert.deepEqual(out, ['hello', 'wörld', 'done']);
    });

    it('closes stdin when none is given (a reader sees end of input at once)', async () => {
      const { out, result } = await run({ script: 'cat; echo "eof"', timeoutMs: 20_000 });
      assert.equal(result.timedOut, false);
      assert.deepEqual(out, ['eof']);
    });

    it('survives a process that never reads a large stdin', async () => {
      const { result } = await run({ script: 'exit 3', stdin: 'x'.repeat(1024 * 1024) });
      assert.equal(result.exitCode, 3);
    });
  });

  describe('spawn errors are results, never throws', () => {
    it('program not found → 127 with spawnError', async () => {
      const { result } = await run({ argv: [path.join(dir, 'no-such-program'), 'x'] });
      assert.equal(result.exitCode, 127);
      assert.match(result.spawnError ?? '', /no-such-program: command not found/);
    });

    it('program not executable → 126 with spawnError', async () => {
      const file = path.join(dir, 'not-executable.sh');
      writeFileSync(file, '#!/bin/sh\necho hi\n');
      chmodSync(file, 0o644);
      const { result } = await run({ argv: [file] });
      // root may execute files without the x bit only if some x bit is set; none is here.
      assert.equal(result.exitCode, 126);
      assert.match(result.spawnError ?? '', /permission denied/);
    });

    it('working directory missing → 127 with spawnError naming it', async () => {
      const cwd = path.join(dir, 'missing');
      const result = await runner.run({ script: 'echo hi', cwd });
      assert.equal(result.exitCode, 127);
      assert.equal(result.spawnError, `working directory does not exist: ${cwd}`);
    });

    it('working directory is a file → 126 with spawnError', async () => {
      const cwd = path.join(dir, 'file');
      writeFileSync(cwd, '');
      const result = await runner.run({ script: 'echo hi', cwd });
      assert.equal(result.exitCode, 126);
      assert.match(result.spawnError ?? '', /not a directory/);
    });

    it('a NUL byte in an argument → 126 with spawnError', async () => {
      const result = await runner.run({ argv: ['echo', 'a\0b'], cwd: dir });
      assert.equal(result.exitCode, 126);
      assert.ok(result.spawnError);
    });

    it('rejects with the error of a throwing onLine callback, after the process is done', async () => {
      let pid = 0;
      await assert.rejects(
        runner.run(
          { script: 'echo one; sleep 300 & echo two', cwd: dir },
          {
            onSpawn: (p) => {
              pid = p;
              janitor.group(p);
            },
            onLine: () => {
              throw new Error('consumer bug');
            },
          },
        ),
        /consumer bug/,
      );
      assert.deepEqual(survivors({ pgid: pid, tag }), []);
    });

    it('rejects a spec with both or neither of script/argv (a programming error)', async () => {
      await assert.rejects(runner.run({ cwd: dir }), TypeError);
      await assert.rejects(runner.run({ cwd: dir, script: 'true', argv: ['true'] }), TypeError);
      await assert.rejects(runner.run({ cwd: dir, argv: [] }), TypeError);
    });
  });

  describe('time limits and cancellation', () => {
    it('times out `sleep 300` after 300 ms: SIGTERM, timedOut, nothing left', async () => {
      const { result, pid } = await run({ script: 'sleep 300', timeoutMs: 300 });
      assert.equal(result.timedOut, true);
      assert.equal(result.cancelled, false);
      assert.equal(result.exitCode, null);
      assert.equal(result.signal, 'SIGTERM');
      assert.deepEqual(survivors({ pgid: pid, tag }), []);
    });

    it('escalates a timeout to SIGKILL when SIGTERM is ignored', async () => {
      const { result, pid } = await run(
        { script: "trap '' TERM; sleep 300 & sleep 300", timeoutMs: 200 },
        { graceMs: { terminate: 300 } },
      );
      assert.equal(result.timedOut, true);
      assert.equal(result.signal, 'SIGKILL');
      assert.deepEqual(survivors({ pgid: pid, tag }), []);
    });

    it('does not spawn at all when the signal is already aborted', async () => {
      const marker = path.join(dir, 'ran');
      const result = await runner.run({ script: `touch ${marker}`, cwd: dir }, { signal: AbortSignal.abort() });
      assert.equal(result.cancelled, true);
      assert.equal(existsSync(marker), false);
    });

    it('a shell that traps SIGINT exits cleanly on cancel, then its background job is stopped too', async () => {
      // The background `sleep` ignores SIGINT (POSIX: async jobs of a non-interactive shell do), so the leader's
      // clean exit leaves it behind; escalation goes on until the whole group is gone.
      const controller = new AbortController();
      const { result, out, pid } = await run(
        { script: "trap 'echo got INT; exit 130' INT; sleep 300 & echo ready; wait" },
        {
          signal: controller.signal,
          graceMs: { interrupt: 300, terminate: 300 },
          onLine: (l) => {
            if (l.text === 'ready') controller.abort();
          },
        },
      );
      assert.equal(result.cancelled, true);
      assert.equal(result.exitCode, 130);
      assert.deepEqual(out, ['ready', 'got INT']);
      assert.deepEqual(survivors({ pgid: pid, tag }), []);
    });
  });
});
