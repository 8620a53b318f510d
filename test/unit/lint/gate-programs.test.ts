import * as assert from 'node:assert/strict';
import { invocationsOf, makeTargets } from '../../../src/core/lint';

const programs = (command: string): string[] => invocationsOf(command).map((i) => i.program);

describe('gate command → programs', () => {
  it('cuts at |, ||, &&, ;, & and parentheses', () => {
    assert.deepEqual(programs('npm run lint 2>&1 | tee out.log; (cd web && make) || echo failed & wait'), [
      'npm',
      'tee',
      'cd',
      'make',
      'echo',
      'wait',
    ]);
  });

  it('skips assignments, redirections and their targets, comments', () => {
    assert.deepEqual(programs('FOO=1 BAR="x y" npx tsc --noEmit > /tmp/out 2>/dev/null < in.txt # a comment'), ['npx']);
    assert.deepEqual(invocationsOf('a 2>/dev/null >> log < in')[0]!.args, []);
  });

  it('looks through wrappers and keeps them', () => {
    assert.deepEqual(invocationsOf('time env A=1 timeout -s KILL 10 nice -n 5 sudo -u app node x.js'), [
      { program: 'node', args: ['x.js'], wrappers: ['env', 'timeout', 'nice', 'sudo'], cwd: '.' },
    ]);
    assert.deepEqual(programs('find . -name "*.ts" | xargs -n 1 wc -l'), ['find', 'wc']);
    assert.deepEqual(programs('command -v jq'), []);
    assert.deepEqual(programs('exec node server.js'), ['node']);
  });

  it('handles shell keywords', () => {
    assert.deepEqual(programs('if grep -q x f; then echo y; else false; fi'), ['grep', 'echo', 'false']);
    assert.deepEqual(programs('for f in *.ts; do tsc $f; done'), ['tsc']);
    assert.deepEqual(programs('while ! curl -sf http://x; do sleep 1; done'), ['curl', 'sleep']);
  });

  it('looks into sh -c / bash -c payloads', () => {
    assert.deepEqual(programs(`bash -c 'ruff check . && mypy src'`), ['bash', 'ruff', 'mypy']);
  });

  it('follows cd for the directory later programs run in', () => {
    assert.deepEqual(
      invocationsOf('cd web && npm test && cd ../api && make && cd $DIR && npm run x').map((i) => [i.program, i.cwd]),
      [
        ['cd', '.'],
        ['npm', 'web'],
        ['cd', 'web'],
        ['make', 'api'],
        ['cd', 'api'],
        ['npm', undefined],
      ],
    );
  });

  it('reads only the first line of a heredoc command', () => {
    assert.deepEqual(programs("psql <<'SQL'\nSELECT 1; DROP x;\nSQL"), ['psql']);
  });

  it('keeps variables and command substitutions visible', () => {
    assert.deepEqual(programs('$PYTHON -m pytest'), ['$PYTHON']);
    assert.deepEqual(programs('echo $(git rev-parse HEAD)'), ['echo', 'git']);
  });

  it('makeTargets reads rule targets, not assignments', () => {
    assert.deepEqual([...makeTargets('X := 1\nY = 2\n.PHONY: a b\na b: c\n\t@x\nd::\n# e:\n\tf: g\n')].sort(), [
      '.PHONY',
      'a',
      'b',
      'd',
    ]);
  });
});
