/**
 * Hosting a run on this machine, shared by the CLI and the extension: the run folder, the lock with its
 * heartbeat, the journal, the process runner tagged with the lock, stop requests from other processes,
 * before/after work-tree snapshots, and resume with its safety rules (inputs unchanged, interrupted agent
 * steps re-run only when confirmed, a live run never taken over).
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import type { OrchestrationSettings } from '../../core/config/settings';
import { Engine, type EngineDeps, type EngineSettings, type ResumeState } from '../../core/engine/engine';
import { EngineEvents } from '../../core/engine/engine-events';
import { createGateToolkit } from '../../core/engine/gate-toolkit';
import type { LevelStep, PlanStep } from '../../core/engine/plan';
import type { AgentPort } from '../../core/ports/agent';
import type { ProcessRunner } from '../../core/ports/process-runner';
import type { EngineOutcome, RunKind } from '../../core/run/events';
import { foldRun, interruptedSteps, type RunState, resumeStateOf, type StepState } from '../../core/run/fold';
import { shellQuote } from '../../core/shell/quote';
import { diffSnapshots, type FileFingerprint, type WorkTreeSnapshot } from '../../core/worktree/snapshot';
import { NodeClock } from '../node-clock';
import { packageRoot } from '../package-root';
import { NodeProcessRunner } from '../process-runner';
import { acquireRunLock, StopRequestedError, watchStopRequests } from '../run-lock';
import { snapshotWorkTree } from '../work-tree';
import { FileRunJournal } from './file-run-journal';
import { HEADER_FILE, newRunId, runDirOf } from './run-paths';
import { loadRun } from './run-store';

export class RunHostError extends Error {
  constructor(
    message: string,
    /** CLI exit code: 2 for "cannot do that as asked", 1 for "the run could not proceed". */
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'RunHostError';
  }
}

export interface RunDependencies {
  settings: OrchestrationSettings;
  agent?: AgentPort;
  /** Subscribed by the host (printer, panel, status bar); one is created when absent. */
  events?: EngineEvents;
  /** The host's own cancellation (Ctrl-C, the Cancel button). Stop requests from other processes are added. */
  signal?: AbortSignal;
  evaluateCondition(expression: string): { value: boolean } | { error: string };
  loadLevels?(prp: string, parentId: string): Promise<{ levels: LevelStep[] } | { error: string }>;
  /** package.json scripts, so gate output of `npm test` is read with the right problem matchers. */
  scripts?: Record<string, string>;
  /** Record created/modified files and tests added (off for `validate`, which changes nothing). */
  trackWorkTree?: boolean;
  /** Grace periods for cancellation (tests shorten them). */
  graceMs?: { interrupt?: number; terminate?: number };
  onStarted?(run: { runId: string; runDir: string }): void;
  /**
   * Wraps or replaces the process runner of the run's steps, gates and hooks (the extension shows their output in
   * a terminal, or runs them in a real shell through shell integration). Default: the Node runner as it is.
   */
  wrapRunner?(runner: ProcessRunner, run: { runId: string; runDir: string }): ProcessRunner;
}

export interface StartRunOptions extends RunDependencies {
  root: string;
  kind: RunKind;
  target: string;
  plan: PlanStep[];
  variables: Record<string, string>;
  /** Project-relative files the plan was built from; their hashes bind `--resume`. */
  inputs: string[];
}

export interface RunOutcome {
  runId: string;
  runDir: string;
  status: EngineOutcome;
  state: RunState;
}

export async function hashInputs(root: string, inputs: readonly string[]): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const rel of [...new Set(inputs)].sort()) {
    try {
      hashes[rel] = createHash('sha256')
        .update(await readFile(path.join(root, rel)))
        .digest('hex');
    } catch {
      hashes[rel] = 'missing';
    }
  }
  return hashes;
}

export async function startRun(options: StartRunOptions): Promise<RunOutcome> {
  const runId = newRunId();
  const runDir = runDirOf(options.root, runId);
  await mkdir(runDir, { recursive: true });
  const inputHashes = await hashInputs(options.root, options.inputs);
  await writeFile(
    path.join(runDir, HEADER_FILE),
    `${JSON.stringify({ runId, kind: options.kind, target: options.target, inputHashes, createdAt: new Date().toISOString() }, null, 2)}\n`,
  );
  return execute(options, runId, runDir, undefined, async (journal, lock) => {
    await journal.append(
      {
        type: 'run-started',
        ts: Date.now(),
        runId,
        kind: options.kind,
        target: options.target,
        inputHashes,
        variables: options.variables,
        plan: options.plan,
        pid: lock.pid,
        host: hostname(),
      },
      { sync: true },
    );
  });
}

export interface ResumeRunOptions extends RunDependencies {
  root: string;
  runId: string;
  /** Resume even though an input file changed since the run started. */
  force?: boolean;
  /** Asked before re-running agent steps that were interrupted mid-way (their effects may be half applied). */
  confirmAgentRerun(steps: StepState[]): Promise<boolean>;
  /** A parked run waits until its time (up to this long); later than that, resume refuses. Default 1 h. */
  maxParkWaitMs?: number;
}

export async function resumeRun(options: ResumeRunOptions): Promise<RunOutcome> {
  const loaded = await loadRun(options.root, options.runId);
  if (!loaded) throw new RunHostError(`no run ${options.runId} in ${path.join(options.root, '.context-forge/runs')}`);
  const { state } = loaded;
  if (loaded.status === 'running' || loaded.status === 'unresponsive') {
    throw new RunHostError(
      `run ${options.runId} is still running (pid ${loaded.lock?.pid}); stop it first with \`codex-context-forge stop ${options.runId}\``,
    );
  }
  if (state.status === 'passed') throw new RunHostError(`run ${options.runId} already passed: nothing to resume`);
  const current = await hashInputs(options.root, Object.keys(state.inputHashes));
  const changed = Object.keys(state.inputHashes).filter((f) => current[f] !== state.inputHashes[f]);
  if (changed.length > 0 && !options.force) {
    throw new RunHostError(
      `inputs changed since run ${options.runId} started: ${changed.join(', ')}. Resuming would mix two versions; start a new run, or pass --force to resume anyway`,
    );
  }
  const agentSteps = interruptedSteps(state).filter((s) => s.kind === 'agent' || s.kind === 'implement');
  if (agentSteps.length > 0 && !(await options.confirmAgentRerun(agentSteps))) {
    throw new RunHostError(
      `run ${options.runId} was interrupted inside agent step(s) ${agentSteps.map((s) => s.name).join(', ')}; their changes may be half applied. Confirm re-running them (interactively, or with --yes)`,
    );
  }
  if (state.status === 'parked' && state.parkedUntil !== undefined) {
    const wait = state.parkedUntil - Date.now();
    if (wait > (options.maxParkWaitMs ?? 60 * 60_000)) {
      throw new RunHostError(
        `run ${options.runId} is parked until ${new Date(state.parkedUntil).toLocaleString()} (${state.parkedReason ?? 'provider limit'}); resume it then`,
        1,
      );
    }
    if (wait > 0) await new NodeClock().sleep(wait, options.signal);
  }
  const runDir = runDirOf(options.root, options.runId);
  return execute(
    { ...options, kind: state.kind, target: state.target, plan: state.plan, variables: state.variables, inputs: [] },
    options.runId,
    runDir,
    resumeStateOf(state),
    async (journal, lock) => {
      await journal.append({ type: 'run-resumed', ts: Date.now(), pid: lock.pid, host: hostname() }, { sync: true });
    },
  );
}

/** `codex-context-forge` and `ccf` on PATH inside steps, running this very build. */
async function cliShims(runDir: string): Promise<string | undefined> {
  let cli: string;
  try {
    cli = path.join(packageRoot(), 'dist', 'cli.js');
  } catch {
    return undefined;
  }
  const bin = path.join(runDir, 'bin');
  await mkdir(bin, { recursive: true });
  const script = `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(cli)} "$@"\n`;
  for (const name of ['codex-context-forge', 'ccf']) {
    await writeFile(path.join(bin, name), script);
    await chmod(path.join(bin, name), 0o755);
  }
  return bin;
}

function engineSettings(settings: OrchestrationSettings): EngineSettings {
  const hooks = (list: OrchestrationSettings['hooks']['onTestFail']) =>
    list.map((h) =>
      h.kind === 'run' ? { kind: 'run' as const, script: h.script } : { kind: 'command' as const, line: h.line },
    );
  return {
    maxConcurrent: settings.parallelExecution ? settings.maxConcurrent : 1,
    stopOnFailure: settings.validation.stopOnFailure,
    onRetry: settings.retry.onRetry,
    autofix: settings.autofix,
    hooks: { onTestFail: hooks(settings.hooks.onTestFail), onDeploy: hooks(settings.hooks.onDeploy) },
    outputTailLines: 60,
  };
}

async function beforeSnapshot(runDir: string, root: string, resuming: boolean): Promise<WorkTreeSnapshot> {
  const file = path.join(runDir, 'worktree-before.json');
  if (resuming) {
    try {
      const entries = JSON.parse(await readFile(file, 'utf8')) as FileFingerprint[];
      return { files: new Map(entries.map((e) => [e.path, e])) };
    } catch {
      // no snapshot recorded: take one now
    }
  }
  const snapshot = await snapshotWorkTree(root);
  await writeFile(file, JSON.stringify([...snapshot.files.values()]));
  return snapshot;
}

async function execute(
  options: StartRunOptions,
  runId: string,
  runDir: string,
  resume: ResumeState | undefined,
  begin: (journal: FileRunJournal, lock: { pid: number }) => Promise<void>,
): Promise<RunOutcome> {
  const held = await acquireRunLock(runDir, { runId });
  const journal = await FileRunJournal.open(options.root, runDir, runId);
  const stopWatch = watchStopRequests(runDir, { since: Date.parse(held.lock.startedAt) });
  const signals = [stopWatch.signal, ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  const events = options.events ?? new EngineEvents();
  const onStop = (): void => {
    const reason = stopWatch.signal.reason;
    void journal
      .append({ type: 'cancel-requested', ts: Date.now(), force: false }, { sync: true })
      .catch(() => undefined);
    if (reason instanceof StopRequestedError) events.emit('error', { message: reason.message });
  };
  signal.addEventListener('abort', onStop, { once: true });
  try {
    await begin(journal, held.lock);
    options.onStarted?.({ runId, runDir });
    const before = options.trackWorkTree ? await beforeSnapshot(runDir, options.root, resume !== undefined) : undefined;
    const shims = await cliShims(runDir);
    const nodeRunner = new NodeProcessRunner({
      tag: held.lock.tag,
      ...(options.graceMs ? { graceMs: options.graceMs } : {}),
    });
    const runner = options.wrapRunner ? options.wrapRunner(nodeRunner, { runId, runDir }) : nodeRunner;
    const deps: EngineDeps = {
      root: options.root,
      runner,
      clock: new NodeClock(),
      journal,
      events,
      gates: createGateToolkit({ root: options.root, ...(options.scripts ? { scripts: options.scripts } : {}) }),
      settings: engineSettings(options.settings),
      evaluateCondition: options.evaluateCondition,
      env: {
        CCF_RUN_ID: runId,
        ...(shims ? { PATH: `${shims}${path.delimiter}${process.env.PATH ?? ''}` } : {}),
      },
      ...(options.agent ? { agent: options.agent } : {}),
      ...(options.loadLevels ? { loadLevels: options.loadLevels } : {}),
    };
    const status = await new Engine(deps).run(options.plan, signal, resume);
    if (before) {
      const after = await snapshotWorkTree(options.root);
      const diff = diffSnapshots(before, after, (p) => p.startsWith('.context-forge/'));
      await journal.append({ type: 'work-tree-changes', ts: Date.now(), ...diff }, { sync: true });
    }
    await journal.close();
    const loaded = await loadRun(options.root, runId);
    return { runId, runDir, status, state: loaded?.state ?? foldRun([])! };
  } finally {
    signal.removeEventListener('abort', onStop);
    stopWatch.close();
    await journal.close().catch(() => undefined);
    await held.release();
  }
}
