import * as assert from 'node:assert/strict';
import { type ProcessInfo, parseProcStat, parseTags } from '../../../src/node/process-table';
import { selectTree } from '../../../src/node/process-tree';

const p = (pid: number, ppid: number, pgid: number, extra: Partial<ProcessInfo> = {}): ProcessInfo => ({
  pid,
  ppid,
  pgid,
  state: 'S',
  ...extra,
});
const pids = (list: ProcessInfo[]) => list.map((x) => x.pid).sort((a, b) => a - b);

describe('process table parsing', () => {
  it('parses /proc/<pid>/stat, also with spaces and parentheses in the command name', () => {
    const stat = '4242 (my (odd) cmd) S 4200 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10';
    assert.deepEqual(parseProcStat(stat), {
      pid: 4242,
      ppid: 4200,
      pgid: 4242,
      sid: 4242,
      state: 'S',
      startTime: '987654',
    });
    assert.equal(parseProcStat('garbage'), undefined);
  });

  it('finds the tags variable among NUL-separated environment entries', () => {
    const env = Buffer.from('A=1\0CONTEXT_FORGE_PROCESS_TAGS=outer  run-1 spawn-2\0B=CONTEXT_FORGE_PROCESS_TAGS=no\0');
    assert.deepEqual(parseTags(env), ['outer', 'run-1', 'spawn-2']);
    assert.deepEqual(parseTags(Buffer.from('A=1\0')), []);
    assert.deepEqual(parseTags(Buffer.from('CONTEXT_FORGE_PROCESS_TAGS=last')), ['last']);
  });
});

describe('selectTree', () => {
  const none = new Set<number>();
  // 1 init; 10 the runner (us); 20 step leader (group 20); 21 its child; 22 grandchild in its own group (setsid);
  // 23 22's child; 30 a daemon re-parented to init with the tag; 40 unrelated; 24 a zombie child of 20.
  const table = [
    p(1, 0, 1),
    p(10, 1, 10),
    p(20, 10, 20),
    p(21, 20, 20),
    p(22, 21, 22),
    p(23, 22, 22),
    p(24, 20, 20, { state: 'Z' }),
    p(30, 1, 30, { tags: ['run-a', 'spawn-1'] }),
    p(40, 1, 40, { tags: ['other'] }),
    p(41, 40, 20), // not a descendant, but in the step's group
  ];

  it('takes the group, every descendant (also in other groups), and groups members lead', () => {
    assert.deepEqual(pids(selectTree(table, { pgid: 20 }, none)), [20, 21, 22, 23, 41]);
    assert.deepEqual(pids(selectTree(table, { pid: 21 }, none)), [21, 22, 23]);
  });

  it('adds processes carrying the tag, with their descendants', () => {
    assert.deepEqual(pids(selectTree(table, { pgid: 20, tag: 'spawn-1' }, none)), [20, 21, 22, 23, 30, 41]);
    assert.deepEqual(pids(selectTree(table, { tag: 'run-a' }, none)), [30]);
  });

  it('never includes pid 1, protected pids (us and our ancestors) or zombies', () => {
    assert.deepEqual(pids(selectTree(table, { pid: 1 }, none)), []);
    assert.deepEqual(pids(selectTree(table, { pid: 10 }, new Set([10]))), []);
    assert.ok(!pids(selectTree(table, { pgid: 20 }, none)).includes(24));
  });

  it('keeps members seen before, when pid and start time still match', () => {
    const later = [p(1, 0, 1), p(22, 1, 22, { startTime: '500' }), p(50, 1, 50, { startTime: '9' })];
    const known = new Map<number, string | undefined>([
      [22, '500'],
      [50, '8'], // pid recycled by another process: different start time
    ]);
    assert.deepEqual(pids(selectTree(later, { pgid: 20 }, none, known)), [22]);
  });

  it('returns nothing for a target that matches nothing', () => {
    assert.deepEqual(selectTree(table, {}, none), []);
    assert.deepEqual(selectTree(table, { pid: 999, pgid: 999, tag: 'nope' }, none), []);
  });
});
