/**
 * A PRP level that starts a server in one command and talks to it in the next (the common Level 3 shape),
 * run by the real engine with the real process runner: the server lives until the level ends, then is gone.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine/engine';
import { EngineEvents } from '../../../src/core/engine/engine-events';
import { createGateToolkit } from '../../../src/core/engine/gate-toolkit';
import type { LevelStep } from '../../../src/core/engine/plan';
import { NodeClock } from '../../../src/node/node-clock';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { MemoryJournal } from '../../support/memory-journal';
import { ProcessJanitor, survivors } from '../../support/processes';

describe('engine + real runner: background processes in a level', function () {
  this.timeout(60_000);
  const janitor = new ProcessJanitor();
  let dir: string;
  afterEach(() => {
    janitor.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps `server &` up for the next command, logs its output, and stops it when the level ends', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccf-level-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    writeFileSync(
      path.join(dir, 'server.js'),
      `require('http').createServer((q, s) => { console.log('served ' + q.url); s.end('ok'); }).listen(${port}, () => console.log('listening'));`,
    );
    writeFileSync(
      path.join(dir, 'probe.js'),
      `const get = () => fetch('http://127.0.0.1:${port}/health').then(r => r.text()).then(t => { console.log('probe ' + t); }, () => new Promise(r => setTimeout(r, 100)).then(get));
get();`,
    );
    const tag = janitor.tag('level');
    const runner = new NodeProcessRunner({ tag });
    const journal = new MemoryJournal();
    const engine = new Engine({
      root: dir,
      runner,
      clock: new NodeClock(),
      journal,
      events: new EngineEvents(),
      gates: createGateToolkit({ root: dir }),
      settings: {
        maxConcurrent: 1,
        stopOnFailure: true,
        onRetry: {},
        autofix: { syntax: true, tests: true, security: false },
        hooks: { onTestFail: [], onDeploy: [] },
        outputTailLines: 20,
      },
      evaluateCondition: () => ({ value: true }),
    });
    const level: LevelStep = {
      kind: 'level',
      id: 'l3',
      name: 'Level 3: Integration',
      level: 3,
      levelName: 'Integration',
      mandatory: true,
      commands: [
        { command: `node server.js &`, line: 1 },
        { command: `timeout 20 node probe.js`, line: 2 },
      ],
    };
    assert.equal(await engine.run([level], new AbortController().signal), 'passed');
    const finished = journal.ofType('step-finished')[0]!;
    assert.equal(finished.evidence![1]!.exitCode, 0);
    assert.deepEqual(finished.evidence![1]!.outputTail, ['probe ok']);
    const serverLog = journal.logs.get(finished.evidence![0]!.logFile!)!;
    assert.ok(serverLog.includes('listening'), serverLog.join('|'));
    assert.ok(serverLog.includes('served /health'), 'output after the command ended still reaches its log');
    assert.deepEqual(survivors({ tag }), [], 'the server is stopped when the level ends');
  });
});
