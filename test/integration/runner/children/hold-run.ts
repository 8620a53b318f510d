/**
 * A stand-in for a CLI run, started by tests as a separate process: takes the run lock in argv[2], watches for
 * stop requests, runs the script in argv[3] through the real runner (tagged with the lock's tag), prints JSON
 * events on stdout, releases the lock.
 */
import { NodeProcessRunner } from '../../../../src/node/process-runner';
import { acquireRunLock, watchStopRequests } from '../../../../src/node/run-lock';

const print = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);

async function main(): Promise<void> {
  const [runDir, script] = process.argv.slice(2);
  if (!runDir || !script) throw new Error('usage: hold-run <runDir> <script>');
  const held = await acquireRunLock(runDir, { heartbeatMs: 200 });
  const watch = watchStopRequests(runDir, { since: Date.parse(held.lock.startedAt), pollMs: 50 });
  const runner = new NodeProcessRunner({ tag: held.lock.tag });
  const result = await runner.run(
    { script, cwd: runDir },
    {
      signal: watch.signal,
      graceMs: { interrupt: 300, terminate: 300 },
      onSpawn: (pid) => print({ event: 'spawned', pid, lock: held.lock }),
      onLine: (line) => print({ event: 'line', text: line.text }),
    },
  );
  const reason = watch.signal.aborted ? (watch.signal.reason as Error).message : undefined;
  watch.close();
  await held.release();
  print({ event: 'result', result, reason });
}

main().catch((err) => {
  print({ event: 'error', message: String(err) });
  process.exitCode = 1;
});
