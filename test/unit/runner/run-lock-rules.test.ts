import * as assert from 'node:assert/strict';
import {
  defaultStaleAfterMs,
  judgeLock,
  parseRunLock,
  parseStopRequest,
  type RunLock,
} from '../../../src/core/run/run-lock';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const lock = (fields: Partial<RunLock> = {}): RunLock => ({
  version: 1,
  pid: 100,
  pgid: 100,
  host: 'here',
  startedAt: '2026-01-01T11:00:00.000Z',
  heartbeatAt: new Date(NOW - 2000).toISOString(),
  heartbeatMs: 5000,
  tag: 'ccf-x',
  ...fields,
});

describe('run lock rules', () => {
  it('stale after three beats, never under 10 s', () => {
    assert.equal(defaultStaleAfterMs({ heartbeatMs: 5000 }), 15_000);
    assert.equal(defaultStaleAfterMs({ heartbeatMs: 100 }), 10_000);
  });

  it('alive: same host, process there, fresh heartbeat', () => {
    assert.equal(judgeLock(lock(), { now: NOW, host: 'here', processExists: true }).state, 'alive');
  });

  it('dead: the process is gone, however fresh the heartbeat', () => {
    const j = judgeLock(lock(), { now: NOW, host: 'here', processExists: false });
    assert.equal(j.state, 'dead');
    assert.match(j.reason, /process 100 is gone/);
  });

  it('unresponsive: the process is there but the heartbeat is stale', () => {
    const stale = lock({ heartbeatAt: new Date(NOW - 60_000).toISOString() });
    assert.equal(judgeLock(stale, { now: NOW, host: 'here', processExists: true }).state, 'unresponsive');
    assert.equal(judgeLock(stale, { now: NOW, host: 'here', processExists: true }, 120_000).state, 'alive');
  });

  it('another host: judged by the heartbeat only', () => {
    assert.equal(judgeLock(lock({ host: 'there' }), { now: NOW, host: 'here' }).state, 'alive');
    const old = lock({ host: 'there', heartbeatAt: new Date(NOW - 60_000).toISOString() });
    assert.equal(judgeLock(old, { now: NOW, host: 'here' }).state, 'dead');
  });

  it('an unparseable heartbeat time counts as never', () => {
    assert.equal(
      judgeLock(lock({ heartbeatAt: 'yesterday' }), { now: NOW, host: 'here', processExists: true }).state,
      'unresponsive',
    );
  });

  it('parses lock.json and names what is wrong', () => {
    assert.deepEqual(parseRunLock(JSON.stringify(lock())).value, lock());
    const bad = parseRunLock(JSON.stringify({ ...lock(), pid: -1 }));
    assert.equal(bad.value, undefined);
    assert.match(bad.problems[0]!.message, /at pid/);
    assert.match(parseRunLock('{').problems[0]!.message, /not valid JSON/);
    assert.equal(parseRunLock(JSON.stringify({ ...lock(), tag: 'a b; rm -rf' })).value, undefined);
  });

  it('parses stop requests', () => {
    const request = { version: 1, requestedAt: new Date(NOW).toISOString(), by: { pid: 1, host: 'h' } };
    assert.deepEqual(parseStopRequest(JSON.stringify(request)).value, request);
    assert.equal(parseStopRequest('{"version":2}').value, undefined);
  });
});
