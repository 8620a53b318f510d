/**
 * One contender in a lock race: waits until the wall-clock time in argv[3], tries to take the lock in argv[2],
 * prints `won` or `lost <state>`. A winner holds the lock until the file `<runDir>/release` appears.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { acquireRunLock, RunLockedError } from '../../../../src/node/run-lock';

async function main(): Promise<void> {
  const [runDir, at] = process.argv.slice(2);
  if (!runDir || !at) throw new Error('usage: acquire-race <runDir> <epochMs>');
  await new Promise((r) => setTimeout(r, Math.max(0, Number(at) - Date.now())));
  try {
    const held = await acquireRunLock(runDir, { heartbeatMs: 200 });
    process.stdout.write('won\n');
    const deadline = Date.now() + 30_000;
    while (!existsSync(path.join(runDir, 'release')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await held.release();
  } catch (err) {
    if (err instanceof RunLockedError) process.stdout.write(`lost ${err.state}\n`);
    else throw err;
  }
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
