import * as assert from 'node:assert/strict';
import {
  EMPTY_RESUME,
  Engine,
  type EngineDeps,
  type EngineSettings,
  type GateToolkit,
} from '../../../src/core/engine/engine';
import { EngineEvents } from '../../../src/core/engine/engine-events';
import type {
  AgentStep,
  IfStep,
  ImplementStep,
  LevelStep,
  ParallelStep,
  PlanStep,
  ShellStep,
} from '../../../src/core/engine/plan';
import type { Diagnostic } from '../../../src/core/gates/diagnostic';
import type { AgentPort, AgentRequest, AgentResult } from '../../../src/core/ports/agent';
import type { RunEvent } from '../../../src/core/run/events';
import { foldRun, resumeStateOf } from '../../../src/core/run/fold';
import { FakeClock } from '../../support/fake-clock';
import { FakeRunner, untilAborted } from '../../support/fake-runner';
import { MemoryJournal } from '../../support/memory-journal';

const settings: EngineSettings = {
  maxConcurrent: 3,
  stopOnFailure: true,
  onRetry: {},
  autofix: { syntax: true, tests: true, security: false },
  hooks: { onTestFail: [], onDeploy: [] },
  outputTailLines: 5,
};

/** A toolkit with a trivial matcher: lines `file:line: message` become diagnostics, `FAILED x` failing tests. */
const gates: GateToolkit = {
  startSession() {
    const found: Diagnostic[] = [];
    const tests: string[] = [];
    return {
      push(line) {
        const m = /^(\S+\.\w+):(\d+): (.*)$/.exec(line.text);
        if (m) {
          const n = Number(m[2]);
          found.push({
            file: m[1]!,
            line: n,
            column: 1,
            endLine: n,
            endColumn: 1,
            severity: 'error',
            message: m[3]!,
            source: 'fake',
          });
        }
        if (line.text.startsWith('FAILED ')) tests.push(line.text.slice(7));
      },
      end: () => ({ diagnostics: found, failingTests: tests }),
    };
  },
  classify: ({ timedOut, levelName, failedTests }) =>
    timedOut
      ? 'timeout'
      : /syntax/i.test(levelName ?? '')
        ? 'syntax'
        : (failedTests?.length ?? 0) > 0
          ? 'test'
          : 'other',
};

class ScriptedAgent implements AgentPort {
  readonly requests: AgentRequest[] = [];
  constructor(
    private readonly answer: (req: AgentRequest) => AgentResult | Promise<AgentResult> = () => ({
      status: 'completed',
    }),
  ) {}
  async run(request: AgentRequest): Promise<AgentResult> {
    this.requests.push(request);
    return this.answer(request);
  }
}

function setup(
  options: {
    settings?: Partial<EngineSettings>;
    agent?: AgentPort;
    randoms?: number[];
    conditions?: Record<string, boolean>;
    loadLevels?: EngineDeps['loadLevels'];
  } = {},
) {
  const runner = new FakeRunner();
  const clock = new FakeClock(1_000, options.randoms);
  const journal = new MemoryJournal();
  const events = new EngineEvents();
  const engine = new Engine({
    root: '/project',
    runner,
    clock,
    journal,
    events,
    gates,
    ...(options.agent ? { agent: options.agent } : {}),
    settings: { ...settings, ...options.settings },
    evaluateCondition: (expr) =>
      expr in (options.conditions ?? {})
        ? { value: options.conditions![expr]! }
        : { error: `unknown identifier in ${expr}` },
    env: { CCF_RUN_ID: 'run-test' },
    ...(options.loadLevels ? { loadLevels: options.loadLevels } : {}),
  });
  return { runner, clock, journal, events, engine };
}

const shell = (id: string, script: string, extra: Partial<ShellStep> = {}): ShellStep => ({
  kind: 'shell',
  id,
  name: id,
  script,
  env: {},
  ...extra,
});
const level = (id: string, n: number, name: string, commands: string[], extra: Partial<LevelStep> = {}): LevelStep => ({
  kind: 'level',
  id,
  name: `Level ${n}: ${name}`,
  level: n,
  levelName: name,
  mandatory: true,
  commands: commands.map((command, i) => ({ command, line: 10 + i })),
  ...extra,
});

function started(plan: PlanStep[]): RunEvent {
  return {
    type: 'run-started',
    ts: 0,
    runId: 'run-test',
    kind: 'workflow',
    target: 't',
    inputHashes: {},
    variables: {},
    plan,
    pid: 1,
    host: 'h',
  };
}

describe('engine', () => {
  it('runs steps in order, decides pass/fail from exit codes, and journals evidence', async () => {
    const { runner, journal, engine } = setup();
    runner.on('echo ok', (p) => {
      p.print('hello');
      return 0;
    });
    runner.on('false', (p) => {
      p.print('src/a.ts:3: broken');
      return 1;
    });
    const plan = [shell('s0', 'echo ok'), shell('s1', 'false'), shell('s2', 'echo never')];
    const status = await engine.run(plan, new AbortController().signal);
    assert.equal(status, 'failed');
    assert.deepEqual(
      runner.calls.map((c) => c.script),
      ['echo ok', 'false'],
      'a failed blocking step stops the sequence',
    );
    const finished = journal.ofType('step-finished');
    assert.deepEqual(
      finished.map((e) => [e.stepId, e.status]),
      [
        ['s0', 'passed'],
        ['s1', 'failed'],
      ],
    );
    const ev = finished[1]!.evidence![0]!;
    assert.equal(ev.exitCode, 1);
    assert.deepEqual(ev.outputTail, ['src/a.ts:3: broken']);
    assert.equal(ev.diagnostics[0]!.file, 'src/a.ts');
    assert.equal(finished[1]!.reason, 'exit code 1');
    assert.equal(journal.ofType('run-finished')[0]!.status, 'failed');
    assert.equal(runner.calls[0]!.cwd, '/project');
    assert.equal(runner.calls[0]!.env!.CCF_RUN_ID, 'run-test');
    // A step's end is fsync'd before the next step starts: a completed step survives any crash.
    journal.events.forEach((e, i) => {
      if (e.type === 'step-finished' || e.type === 'run-finished') assert.ok(journal.synced[i], e.type);
    });
    assert.deepEqual(journal.logs.get(ev.logFile!), ['src/a.ts:3: broken']);
  });

  it('continues past a failing step with continueOnError and still passes the run', async () => {
    const { runner, engine } = setup();
    runner.on('false', () => 1);
    const status = await engine.run(
      [shell('s0', 'false', { continueOnError: true }), shell('s1', 'true')],
      new AbortController().signal,
    );
    assert.equal(status, 'passed');
    assert.equal(runner.calls.length, 2);
  });

  it('retries with capped exponential backoff and full jitter, counting attempts', async () => {
    const { runner, clock, journal, engine } = setup({ randoms: [0.5, 0.5, 0.5] });
    let n = 0;
    runner.on('flaky', () => (++n < 4 ? 1 : 0));
    const step = shell('s0', 'flaky', {
      retry: { maxAttempts: 4, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 3000 },
    });
    assert.equal(await engine.run([step], new AbortController().signal), 'passed');
    assert.equal(n, 4);
    // ceilings 1000, 2000, min(4000, 3000) = 3000; random 0.5 each.
    assert.deepEqual(clock.sleeps, [500, 1000, 1500]);
    assert.deepEqual(
      journal.ofType('step-started').map((e) => e.attempt),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      journal.ofType('retry-scheduled').map((e) => [e.nextAttempt, e.delayMs]),
      [
        [2, 500],
        [3, 1000],
        [4, 1500],
      ],
    );
  });

  it('gives up after maxAttempts and uses fixed delays for fixed backoff', async () => {
    const { runner, clock, engine } = setup();
    runner.on('false', () => 1);
    const step = shell('s0', 'false', {
      retry: { maxAttempts: 3, backoff: 'fixed', initialDelayMs: 200, maxDelayMs: 0 },
    });
    assert.equal(await engine.run([step], new AbortController().signal), 'failed');
    assert.equal(runner.calls.length, 3);
    assert.deepEqual(clock.sleeps, [200, 200]);
  });

  it('runs retry.onRetry[class] as an agent fix step before the next attempt, with the failure as feedback', async () => {
    const agent = new ScriptedAgent();
    const { runner, journal, engine } = setup({
      agent,
      settings: { onRetry: { syntax: '/fix-syntax-errors --fast' } },
    });
    let n = 0;
    runner.on('lint', (p) => {
      p.print('src/x.ts:9: unexpected token');
      return ++n === 1 ? 1 : 0;
    });
    const step = level('l1', 1, 'Syntax & Style', ['lint'], {
      retry: { maxAttempts: 2, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0 },
    });
    assert.equal(await engine.run([step], new AbortController().signal), 'passed');
    assert.equal(agent.requests.length, 1);
    assert.equal(agent.requests[0]!.command, 'fix-syntax-errors');
    assert.equal(agent.requests[0]!.argsText, '--fast');
    assert.match(agent.requests[0]!.feedback!, /src\/x\.ts:9:1: error: unexpected token/);
    assert.equal(journal.ofType('retry-scheduled')[0]!.fixCommand, '/fix-syntax-errors --fast');
    const state = foldRun([started([step]), ...journal.events])!;
    assert.equal(state.stepsById.get('l1#fix1')?.status, 'passed');
  });

  it('respects the autofix switches: no fix command when autofix.tests is off', async () => {
    const agent = new ScriptedAgent();
    const { runner, engine } = setup({
      agent,
      settings: { onRetry: { test: '/fix-failing-tests' }, autofix: { syntax: true, tests: false, security: false } },
    });
    runner.on('pytest', (p) => {
      p.print('FAILED tests/test_a.py::test_x');
      return 1;
    });
    const step = level('l2', 2, 'Unit Tests', ['pytest'], {
      retry: { maxAttempts: 2, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0 },
    });
    assert.equal(await engine.run([step], new AbortController().signal), 'failed');
    assert.equal(agent.requests.length, 0);
  });

  it('stops a level at its first failing command and honours mandatory/recommended and stopOnFailure', async () => {
    const { runner, journal, engine } = setup({ settings: { stopOnFailure: false } });
    runner.on('bad', () => 2);
    const plan = [
      level('l1', 1, 'Syntax', ['good', 'bad', 'never']),
      level('l2', 2, 'Unit', ['good2']),
      level('l3', 3, 'Domain', ['bad'], { mandatory: false }),
    ];
    assert.equal(await engine.run(plan, new AbortController().signal), 'failed');
    assert.deepEqual(
      runner.calls.map((c) => c.script),
      ['good', 'bad', 'good2', 'bad'],
    );
    const state = foldRun([started(plan), ...journal.events])!;
    assert.deepEqual(state.validations, { passed: 1, failed: 2 });
  });

  it('a failing recommended level does not fail the run', async () => {
    const { runner, engine } = setup();
    runner.on('bad', () => 1);
    const plan = [level('l1', 1, 'Syntax', ['good']), level('l4', 4, 'Domain', ['bad'], { mandatory: false })];
    assert.equal(await engine.run(plan, new AbortController().signal), 'passed');
  });

  it('runs parallel children under maxConcurrent and cancels siblings when one fails', async () => {
    const { runner, journal, engine } = setup({ settings: { maxConcurrent: 2 } });
    const release: Array<() => void> = [];
    runner.on(
      /^slow/,
      (p) =>
        new Promise<number>((resolve) => {
          release.push(() => resolve(0));
          p.aborted.then(() => resolve(130));
        }),
    );
    const par: ParallelStep = {
      kind: 'parallel',
      id: 'p',
      name: 'p',
      children: [
        shell('a', 'slow a'),
        shell('b', 'slow b'),
        shell('c', 'slow c'),
        shell('d', 'slow d'),
        shell('e', 'slow e'),
      ],
    };
    const run = engine.run([par], new AbortController().signal);
    await waitFor(() => release.length === 2);
    assert.equal(runner.peak, 2);
    while (release.length) release.shift()!();
    await waitFor(() => release.length === 2);
    while (release.length) release.shift()!();
    await waitFor(() => release.length === 1);
    release.shift()!();
    assert.equal(await run, 'passed');
    assert.equal(runner.peak, 2);

    const second = setup({ settings: { maxConcurrent: 3 } });
    second.runner.on('boom', () => 1);
    second.runner.on(/^wait/, untilAborted);
    const par2: ParallelStep = {
      kind: 'parallel',
      id: 'p',
      name: 'p',
      children: [shell('w1', 'wait 1'), shell('w2', 'wait 2'), shell('x', 'boom')],
    };
    assert.equal(await second.engine.run([par2], new AbortController().signal), 'failed');
    const statuses = Object.fromEntries(second.journal.ofType('step-finished').map((e) => [e.stepId, e.status]));
    assert.deepEqual(statuses, { x: 'failed', w1: 'cancelled', w2: 'cancelled', p: 'failed' });
    void journal;
  });

  it('does not cancel siblings when the failing child has continueOnError', async () => {
    const { runner, engine } = setup();
    runner.on('boom', () => 1);
    const par: ParallelStep = {
      kind: 'parallel',
      id: 'p',
      name: 'p',
      children: [shell('x', 'boom', { continueOnError: true }), shell('y', 'fine')],
    };
    assert.equal(await engine.run([par], new AbortController().signal), 'passed');
    assert.equal(runner.calls.length, 2);
  });

  it('evaluates if-conditions once, journals them, and a resumed run reuses the decision', async () => {
    const { runner, journal, engine } = setup({ conditions: { 'techStack.database === "postgresql"': true } });
    const step: IfStep = {
      kind: 'if',
      id: 'i',
      name: 'if db',
      condition: 'techStack.database === "postgresql"',
      then: [shell('t', 'migrate')],
      else: [shell('e', 'skip-db')],
    };
    assert.equal(await engine.run([step], new AbortController().signal), 'passed');
    assert.deepEqual(
      runner.calls.map((c) => c.script),
      ['migrate'],
    );
    assert.equal(journal.ofType('condition-evaluated')[0]!.value, true);

    // On resume the recorded decision wins even if evaluation would now differ.
    const resumed = setup({ conditions: { 'techStack.database === "postgresql"': false } });
    const resume = { ...EMPTY_RESUME, conditions: new Map([['i', true]]) };
    await resumed.engine.run([step], new AbortController().signal, resume);
    assert.deepEqual(
      resumed.runner.calls.map((c) => c.script),
      ['migrate'],
    );
  });

  it('fails an if-step whose condition cannot be evaluated, with the reason', async () => {
    const { events, engine } = setup();
    const errors: string[] = [];
    events.on('error', (e) => errors.push(e.message));
    const step: IfStep = { kind: 'if', id: 'i', name: 'if', condition: 'nope.x', then: [], else: [] };
    assert.equal(await engine.run([step], new AbortController().signal), 'failed');
    assert.match(errors[0]!, /unknown identifier/);
  });

  it('implement: agent round, gates fail, evidence goes back, second round passes', async () => {
    let round = 0;
    const agent = new ScriptedAgent(() => {
      round++;
      return {
        status: 'completed',
        usage: {
          inputTokens: 100,
          outputTokens: 10,
          cacheCreationInputTokens: 0,
          cacheReadInputTokens: 80,
          costUsd: 0.01,
        },
        model: 'm',
      };
    });
    const { runner, journal, engine } = setup({ agent });
    runner.on('npm test', (p) => {
      if (round === 1) {
        p.print('FAILED tests/test_math.py::test_add');
        p.print('tests/test_math.py:7: assert 3 == 4');
        return 1;
      }
      return 0;
    });
    const step: ImplementStep = {
      kind: 'implement',
      id: 'impl',
      name: '/prp-execute PRPs/x.md',
      command: 'prp-execute',
      argsText: 'PRPs/x.md',
      prp: 'PRPs/x.md',
      maxRounds: 3,
      levels: [level('impl.l1', 1, 'Syntax', ['lint']), level('impl.l2', 2, 'Unit Tests', ['npm test'])],
    };
    assert.equal(await engine.run([step], new AbortController().signal), 'passed');
    assert.equal(agent.requests.length, 2);
    assert.equal(agent.requests[0]!.feedback, undefined);
    assert.match(agent.requests[1]!.feedback!, /Level 2: Unit Tests failed/);
    assert.match(agent.requests[1]!.feedback!, /tests\/test_math\.py:7:1: error: assert 3 == 4/);
    assert.match(agent.requests[1]!.feedback!, /Failing tests: tests\/test_math\.py::test_add/);
    assert.deepEqual(
      runner.calls.map((c) => c.script),
      ['lint', 'npm test', 'lint', 'npm test'],
    );
    const state = foldRun([started([step]), ...journal.events])!;
    assert.equal(state.stepsById.get('impl')!.attempts, 2);
    assert.equal(state.usage.inputTokens, 200);
    assert.equal(state.usage.cacheReadInputTokens, 160);
    assert.equal(state.usage.costUsd?.toFixed(2), '0.02');
    assert.equal(state.retries, 1);
  });

  it('implement reads the PRP levels once when it starts; later PRP edits cannot change its gates', async () => {
    let reads = 0;
    let prpGate = 'npm test';
    const loadLevels: EngineDeps['loadLevels'] = async (_prp, parent) => {
      reads++;
      return { levels: [level(`${parent}.l2`, 2, 'Unit Tests', [prpGate])] };
    };
    let round = 0;
    const agent = new ScriptedAgent(() => {
      round++;
      prpGate = 'true'; // the agent "weakens" the PRP's gate: it must not matter
      return { status: 'completed' };
    });
    const { runner, journal, engine } = setup({ agent, loadLevels });
    runner.on('npm test', () => (round < 2 ? 1 : 0));
    const step: ImplementStep = {
      kind: 'implement',
      id: 'impl',
      name: 'impl',
      command: 'prp-execute',
      argsText: 'x',
      prp: 'PRPs/x.md',
      maxRounds: 3,
    };
    assert.equal(await engine.run([step], new AbortController().signal), 'passed');
    assert.equal(reads, 1);
    assert.deepEqual(
      runner.calls.map((c) => c.script),
      ['npm test', 'npm test'],
    );
    const extended = journal.ofType('plan-extended');
    assert.equal(extended.length, 1);
    const state = foldRun([started([step]), ...journal.events])!;
    assert.equal(state.stepsById.get('impl.l2')?.parent, 'impl');
    assert.equal(state.stepsById.get('impl.l2')?.status, 'passed');

    // A resumed run gates with the recorded levels, without reading the PRP again.
    const resumed = setup({ agent: new ScriptedAgent(), loadLevels });
    resumed.runner.on('npm test', () => 0);
    const resumeState = { ...EMPTY_RESUME, extensions: new Map([['impl', extended[0]!.steps]]) };
    assert.equal(await resumed.engine.run([step], new AbortController().signal, resumeState), 'passed');
    assert.equal(reads, 1);
    assert.deepEqual(
      resumed.runner.calls.map((c) => c.script),
      ['npm test'],
    );
  });

  it('implement fails clearly when the PRP has no gate to prove the work', async () => {
    const { journal, engine } = setup({ agent: new ScriptedAgent(), loadLevels: async () => ({ levels: [] }) });
    const step: ImplementStep = {
      kind: 'implement',
      id: 'impl',
      name: 'impl',
      command: 'prp-execute',
      argsText: 'x',
      prp: 'PRPs/x.md',
      maxRounds: 3,
    };
    assert.equal(await engine.run([step], new AbortController().signal), 'failed');
    assert.match(journal.ofType('step-finished')[0]!.reason!, /no validation level/);
  });

  it('implement fails after maxRounds when the gates never pass', async () => {
    const agent = new ScriptedAgent();
    const { runner, engine } = setup({ agent });
    runner.on('npm test', () => 1);
    const step: ImplementStep = {
      kind: 'implement',
      id: 'impl',
      name: 'impl',
      command: 'prp-execute',
      argsText: 'x',
      prp: 'PRPs/x.md',
      maxRounds: 2,
      levels: [level('impl.l2', 2, 'Unit Tests', ['npm test'])],
    };
    assert.equal(await engine.run([step], new AbortController().signal), 'failed');
    assert.equal(agent.requests.length, 2);
  });

  it('fails an agent step cleanly when no model provider is configured', async () => {
    const { journal, engine } = setup();
    const step: AgentStep = { kind: 'agent', id: 'a', name: '/prime-context', command: 'prime-context', argsText: '' };
    assert.equal(await engine.run([step], new AbortController().signal), 'failed');
    assert.match(journal.ofType('step-finished')[0]!.reason!, /no model provider configured/);
  });

  it('parks the run when the agent is rate limited, without finishing it', async () => {
    const agent = new ScriptedAgent(() => ({ status: 'parked', parkedUntil: 99_000, error: 'rate limited' }));
    const { journal, engine } = setup({ agent });
    const step: AgentStep = { kind: 'agent', id: 'a', name: 'a', command: 'x', argsText: '' };
    assert.equal(await engine.run([step, shell('s', 'later')], new AbortController().signal), 'parked');
    assert.equal(journal.ofType('run-parked')[0]!.until, 99_000);
    assert.equal(journal.ofType('run-finished').length, 0);
    const state = foldRun([started([step]), ...journal.events])!;
    assert.equal(state.status, 'parked');
    assert.equal(state.parkedUntil, 99_000);
  });

  it('cancels the running step and the run when the signal aborts', async () => {
    const { runner, journal, engine } = setup();
    runner.on('sleep 300', untilAborted);
    const controller = new AbortController();
    const run = engine.run([shell('s0', 'sleep 300'), shell('s1', 'never')], controller.signal);
    await waitFor(() => runner.calls.length === 1);
    controller.abort(new Error('user stop'));
    assert.equal(await run, 'cancelled');
    assert.equal(journal.ofType('step-finished')[0]!.status, 'cancelled');
    assert.equal(journal.ofType('run-finished')[0]!.status, 'cancelled');
    assert.equal(runner.calls.length, 1);
  });

  it('runs the onTestFail hook with $TEST_NAME from parsed failures, and emits host events', async () => {
    const { runner, journal, events, engine } = setup({
      settings: { hooks: { onTestFail: [{ kind: 'run', script: 'notify "$TEST_NAME"' }], onDeploy: [] } },
    });
    runner.on('pytest', (p) => {
      p.print('FAILED tests/test_a.py::test_one');
      return 1;
    });
    const seen: string[] = [];
    events.on('stepStart', (e) => seen.push(`start ${e.stepId}`));
    events.on('stepComplete', (e) => seen.push(`done ${e.stepId} ${e.status}`));
    events.on('complete', (e) => seen.push(`complete ${e.status}`));
    await engine.run([level('l2', 2, 'Unit Tests', ['pytest'])], new AbortController().signal);
    const hookCall = runner.calls.find((c) => c.script === 'notify "$TEST_NAME"')!;
    assert.equal(hookCall.env!.TEST_NAME, 'tests/test_a.py::test_one');
    assert.equal(journal.ofType('hook-ran')[0]!.hook, 'onTestFail');
    assert.deepEqual(seen, ['start l2', 'done l2 failed', 'complete failed']);
  });

  it('resume skips completed steps, re-runs interrupted ones, and keeps counting attempts', async () => {
    const plan = [shell('s0', 'one'), shell('s1', 'two'), shell('s2', 'three')];
    // First invocation: s0 done, s1 started, then the process died (no finish event).
    const first: RunEvent[] = [
      started(plan),
      { type: 'step-started', ts: 1, stepId: 's0', attempt: 1 },
      { type: 'step-finished', ts: 2, stepId: 's0', attempt: 1, status: 'passed', durationMs: 1 },
      { type: 'step-started', ts: 3, stepId: 's1', attempt: 1 },
    ];
    const state = foldRun(first)!;
    assert.equal(state.stepsById.get('s1')!.status, 'running');
    const { runner, journal, engine } = setup();
    assert.equal(await engine.run(plan, new AbortController().signal, resumeStateOf(state)), 'passed');
    assert.deepEqual(
      runner.calls.map((c) => c.script),
      ['two', 'three'],
    );
    assert.equal(journal.ofType('step-started')[0]!.attempt, 2, 's1 continues at attempt 2');
    const after = foldRun([...first, { type: 'run-resumed', ts: 4, pid: 2, host: 'h' }, ...journal.events])!;
    assert.equal(after.status, 'passed');
    assert.deepEqual(
      after.steps.map((s) => s.status),
      ['passed', 'passed', 'passed'],
    );
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 1));
  }
}
