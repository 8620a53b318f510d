import * as assert from 'node:assert/strict';
import { NodeClock } from '../../../src/node/node-clock';

describe('NodeClock', () => {
  const clock = new NodeClock();

  it('tells the time and a random number in [0, 1)', () => {
    assert.ok(Math.abs(clock.now() - Date.now()) < 1000);
    for (let i = 0; i < 100; i++) {
      const r = clock.random();
      assert.ok(r >= 0 && r < 1);
    }
  });

  it('sleeps', async () => {
    const start = Date.now();
    await clock.sleep(20);
    assert.ok(Date.now() - start >= 15);
  });

  it('rejects with the signal’s own reason when aborted, before or during the sleep', async () => {
    const reason = new Error('stop now');
    await assert.rejects(clock.sleep(10, AbortSignal.abort(reason)), (e) => e === reason);
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(reason);
    await assert.rejects(sleeping, (e) => e === reason);
  });
});
