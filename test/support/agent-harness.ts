/**
 * Wiring for agent-runtime tests: a real project on disk (a fixture copied to a temp folder and set up by the
 * real `init`), the fake Messages API with the real Anthropic client pointed at it, the real process runner,
 * the real permission policy, and the agent runtime — plus an engine to run `/prp-execute` with real gates.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { type AgentObserver, AgentRuntime, type AgentRuntimeOptions } from '../../src/core/agent/agent-runtime';
import { ContextManager } from '../../src/core/agent/context/context-manager';
import type { ToolCallRecord } from '../../src/core/agent/tools/tool-executor';
import { Engine, type EngineSettings } from '../../src/core/engine/engine';
import { EngineEvents } from '../../src/core/engine/engine-events';
import { createGateToolkit } from '../../src/core/engine/gate-toolkit';
import type { ImplementStep, LevelStep, PlanStep } from '../../src/core/engine/plan';
import { applyInit } from '../../src/core/init/apply';
import { planInit } from '../../src/core/init/plan';
import { type RunMode, SessionApprovals } from '../../src/core/policy/enforce';
import { PermissionPolicy } from '../../src/core/policy/policy';
import { emptyRuleSet } from '../../src/core/policy/rules';
import { parseRuleFlags } from '../../src/core/policy/settings';
import type { AgentPort, AgentRequest } from '../../src/core/ports/agent';
import type { ApprovalAnswer, ApprovalRequest, ApprovalsPort } from '../../src/core/ports/approvals';
import type { EngineOutcome, RunEvent } from '../../src/core/run/events';
import { foldRun, type RunState } from '../../src/core/run/fold';
import { Workspace } from '../../src/core/workspace';
import { NodeFileSystem } from '../../src/node/node-file-system';
import { NodeProcessRunner } from '../../src/node/process-runner';
import { MemoryJournal } from './memory-journal';
import { type Harness, startHarness } from './model-harness';
import { FIXTURES, TEMPLATES, tempDir } from './temp-project';

export const AGENT_FIXTURES = path.join(FIXTURES, 'agent');

/** A copy of `test/fixtures/agent/<name>` in a temp folder, set up with the real `init` (commands, CLAUDE.md…). */
export async function agentProject(name = 'calc', options: { init?: boolean } = {}): Promise<string> {
  const root = tempDir(`ccf-agent-${name}-`);
  cpSync(path.join(AGENT_FIXTURES, name), root, { recursive: true });
  if (options.init !== false) {
    const workspace = new Workspace(root, new NodeFileSystem());
    const plan = await planInit(workspace, {
      templatesRoot: TEMPLATES,
      tool: { name: 'codex-context-forge', version: '0.0.0-test' },
    });
    await applyInit(workspace, plan);
  }
  return root;
}

export function readText(root: string, rel: string): string {
  return readFileSync(path.join(root, rel), 'utf8');
}

export function writeText(root: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

/** Approvals that answer from a list (and record the questions); `deny` when the list is empty. */
export class ScriptedApprovals implements ApprovalsPort {
  readonly asked: ApprovalRequest[] = [];
  constructor(private readonly answers: ApprovalAnswer[] = []) {}
  async ask(request: ApprovalRequest): Promise<ApprovalAnswer> {
    this.asked.push(request);
    return this.answers.shift() ?? 'deny';
  }
}

/** Collects what the runtime reports. */
export class RecordingObserver implements AgentObserver {
  readonly tools: Array<ToolCallRecord & { stepId: string }> = [];
  readonly warnings: string[] = [];
  readonly messages: string[] = [];
  readonly turns: Array<{ stepId: string; turn: number; stopReason: string }> = [];
  readonly retries: string[] = [];
  onToolCall(stepId: string, record: ToolCallRecord): void {
    this.tools.push({ ...record, stepId });
  }
  onWarning(_stepId: string, message: string): void {
    this.warnings.push(message);
  }
  onMessage(_stepId: string, text: string): void {
    this.messages.push(text);
  }
  onTurn(stepId: string, info: { turn: number; stopReason: string }): void {
    this.turns.push({ stepId, turn: info.turn, stopReason: info.stopReason });
  }
  onRetry(_stepId: string, info: { reason: string }): void {
    this.retries.push(info.reason);
  }
}

export interface AgentTestSetup {
  root: string;
  h: Harness;
  runtime: AgentRuntime;
  policy: PermissionPolicy;
  approvals: ScriptedApprovals;
  observer: RecordingObserver;
  runner: NodeProcessRunner;
  workspace: Workspace;
  request(command: string, argsText: string, extra?: Partial<AgentRequest>): AgentRequest;
  stop(): Promise<void>;
}

export interface AgentTestOptions {
  project?: string;
  mode?: RunMode;
  answers?: ApprovalAnswer[];
  allow?: string[];
  runtime?: Partial<AgentRuntimeOptions>;
  /** Share a harness (fake server + clock) across runtimes, e.g. record then replay. */
  harness?: Harness;
  root?: string;
}

export async function setupAgent(options: AgentTestOptions = {}): Promise<AgentTestSetup> {
  const root = options.root ?? (await agentProject(options.project ?? 'calc'));
  const h = options.harness ?? (await startHarness());
  const fs = new NodeFileSystem();
  const workspace = new Workspace(root, fs);
  const home = tempDir('ccf-agent-home-');
  const rules = options.allow ? (parseRuleFlags({ allow: options.allow }).rules ?? emptyRuleSet()) : emptyRuleSet();
  const policy = new PermissionPolicy({ root, home, fs, rules });
  const approvals = new ScriptedApprovals(options.answers);
  const observer = new RecordingObserver();
  const runner = new NodeProcessRunner({ graceMs: { interrupt: 200, terminate: 200 } });
  const runtime = new AgentRuntime({
    workspace,
    runner,
    clock: h.clock,
    policy,
    approvals,
    mode: options.mode ?? { interactive: false, yes: false },
    session: new SessionApprovals(),
    client: h.client,
    model: 'claude-sonnet-5-5',
    maxTokens: 4096,
    context: new ContextManager({ workspace, runner, now: () => h.clock.now(), refreshIntervalMs: 0 }),
    observer,
    ...options.runtime,
  });
  let n = 0;
  return {
    root,
    h,
    runtime,
    policy,
    approvals,
    observer,
    runner,
    workspace,
    request: (command, argsText, extra = {}) => ({
      stepId: extra.stepId ?? `step-${++n}`,
      attempt: 1,
      command,
      argsText,
      signal: new AbortController().signal,
      ...extra,
    }),
    stop: () => (options.harness ? Promise.resolve() : h.stop()),
  };
}

export const ENGINE_SETTINGS: EngineSettings = {
  maxConcurrent: 2,
  stopOnFailure: true,
  onRetry: {},
  autofix: { syntax: true, tests: true, security: false },
  hooks: { onTestFail: [], onDeploy: [] },
  outputTailLines: 30,
};

/** The calc fixture's PRP as an implement step with its two levels (real commands). */
export function calcImplementStep(maxRounds = 3): ImplementStep {
  const level = (n: number, name: string, command: string, line: number): LevelStep => ({
    kind: 'level',
    id: `implement.L${n}`,
    name: `Level ${n}: ${name}`,
    level: n,
    levelName: name,
    mandatory: true,
    commands: [{ command, line }],
    timeoutMs: 60_000,
  });
  return {
    kind: 'implement',
    id: 'implement',
    name: '/prp-execute PRPs/fix-add.md',
    command: 'prp-execute',
    argsText: 'PRPs/fix-add.md',
    prp: 'PRPs/fix-add.md',
    maxRounds,
    levels: [level(1, 'Syntax & Style', 'node --check src/math.js', 62), level(2, 'Unit Tests', 'npm test', 68)],
  };
}

/** Runs `plan` on an engine with the real runner and gate toolkit, journaling into memory; returns the fold. */
export async function runEngine(
  setup: { root: string; runtime: AgentPort; h: Pick<Harness, 'clock'> },
  plan: PlanStep[],
  signal = new AbortController().signal,
): Promise<{ outcome: EngineOutcome; state: RunState; events: RunEvent[] }> {
  const journal = new MemoryJournal('run-agent-test');
  await journal.append({
    type: 'run-started',
    ts: setup.h.clock.now(),
    runId: journal.runId,
    kind: 'prp',
    target: 'PRPs/fix-add.md',
    inputHashes: {},
    variables: {},
    plan,
    pid: process.pid,
    host: 'test',
  });
  const engine = new Engine({
    root: setup.root,
    runner: new NodeProcessRunner({ graceMs: { interrupt: 200, terminate: 200 } }),
    clock: setup.h.clock,
    journal,
    events: new EngineEvents(),
    gates: createGateToolkit({ root: setup.root, scripts: { test: 'node --test test/math.test.js' } }),
    agent: setup.runtime,
    settings: ENGINE_SETTINGS,
    evaluateCondition: () => ({ value: true }),
  });
  const outcome = await engine.run(plan, signal);
  const state = foldRun(journal.events);
  if (!state) throw new Error('no run state');
  return { outcome, state, events: journal.events };
}
