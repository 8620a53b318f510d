/**
 * Everything behind the registrations of `main.ts`, built on first use (a command, a view, a PRP file, a panel
 * to restore). This is the entry of the second bundle, `dist/services.js`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImplementStep, LevelStep } from '../core/engine/plan';
import { planLevels } from '../core/engine/plan-prp';
import { PRP_EXECUTE } from '../core/engine/plan-workflow';
import { applyInit, hasChanges, summarize } from '../core/init/apply';
import { planInit } from '../core/init/plan';
import { formatProblem, hasErrors } from '../core/problems';
import { loadProjectFacts } from '../core/project/load-facts';
import { readPrp } from '../core/prp';
import { moveCompletedPrp } from '../core/prp-lifecycle/move-completed';
import { buildReport, renderMarkdown } from '../core/report/run-report';
import { Workspace } from '../core/workspace';
import { NodeFileSystem } from '../node/node-file-system';
import { packageVersion, templatesDir } from '../node/package-root';
import { isRunId } from '../node/runs/run-paths';
import type { LoadedRun } from '../node/runs/run-store';
import { orchestrate } from './commands/orchestrate';
import { FileChangeHooks } from './hooks/file-change-hooks';
import { COMMAND_IDS, type CommandId, OUTPUT_NAME } from './ids';
import { PanelManager } from './panel/panel-manager';
import { ProjectModel, type PrpFile } from './project/project-model';
import { AgentProvider } from './providers/agent-provider';
import { ApiKeyStore } from './providers/api-key';
import { DialogApprovals } from './providers/approvals';
import { PrpCodeLensProvider } from './prp/prp-codelens';
import { lintFindings, type PrpFindings, PrpProblems } from './prp/prp-problems';
import { GateDiagnostics } from './runs/gate-diagnostics';
import { RunController, type RunController as RunControllerType, type RunResult } from './runs/run-controller';
import { RunStatusBar } from './runs/run-status-bar';
import { type PrpTreeNode, PrpTreeProvider } from './trees/prp-tree';
import { RunsTreeProvider } from './trees/runs-tree';
import { requireTrust } from './trust';

/** What `main.ts` hands over: the views it registered and the refresh hooks of its forwarders. */
export interface ServicesHost {
  prpView: vscode.TreeView<unknown>;
  runView: vscode.TreeView<unknown>;
  refreshPrps(): void;
  refreshRuns(): void;
  refreshLenses(): void;
  activationMs: number;
  /** Time to load (parse and evaluate) the services bundle on first use. */
  servicesLoadMs?: number;
}

export type Services = Awaited<ReturnType<typeof createServices>>;

function debounce(ms: number, fn: () => void): { (): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const call = () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}

export async function createServices(context: vscode.ExtensionContext, host: ServicesHost) {
  const started = performance.now();
  const log = vscode.window.createOutputChannel(OUTPUT_NAME, { log: true });
  context.subscriptions.push(log);
  log.info(
    `activate() took ${host.activationMs.toFixed(2)} ms (registration only); services bundle loaded in ${host.servicesLoadMs?.toFixed(1) ?? '?'} ms on first use`,
  );

  const folder = vscode.workspace.workspaceFolders?.[0];
  const root = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
  const workspace = new Workspace(root ?? path.parse(process.cwd()).root, new NodeFileSystem());
  const project = new ProjectModel(workspace);
  const keys = new ApiKeyStore(context.secrets);
  const agents = new AgentProvider(keys);
  const approvals = new DialogApprovals(log);
  const runs: RunControllerType = new RunController(workspace, approvals, agents, log);
  const diagnostics = new GateDiagnostics(workspace.root);
  const statusBar = new RunStatusBar();
  const maxLines = () => vscode.workspace.getConfiguration('contextForge').get<number>('panel.maxOutputLines', 5000);
  const panels = new PanelManager({ extensionUri: context.extensionUri, runs, workspace, log, maxLines });
  const hooks = new FileChangeHooks(workspace, runs, approvals, log);
  const loadRuns = (): Promise<LoadedRun[]> =>
    root
      ? runs.list(vscode.workspace.getConfiguration('contextForge').get<number>('runs.shown', 20))
      : Promise.resolve([]);
  const prpProblems = new PrpProblems(workspace);
  const prpFindings = async (prp: PrpFile) => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === prp.uri.fsPath);
    if (open) return prpProblems.summary(open.uri) ?? (await prpProblems.check(open));
    return lintFindings(workspace, prp.path, await loadProjectFacts(workspace).catch(() => undefined));
  };
  const prpTree = new PrpTreeProvider(project, loadRuns, prpFindings);
  const runsTree = new RunsTreeProvider(loadRuns, (id) => runs.isLive(id));
  const codeLens = new PrpCodeLensProvider(workspace.root, (doc) => prpProblems.summary(doc.uri));
  context.subscriptions.push(project, runs, diagnostics, statusBar, panels, hooks, prpProblems);
  prpProblems.start();
  context.subscriptions.push(prpProblems.onDidChange(() => host.refreshLenses()));

  // ---- live updates -------------------------------------------------------------------------------
  const refreshRuns = debounce(250, () => host.refreshRuns());
  const showIdle = async () => {
    if (runs.activeRuns().some((r) => r.outcome === undefined)) return;
    const last = (await loadRuns().catch(() => []))[0];
    statusBar.idle(last ? { state: last.state, status: last.status } : undefined);
  };
  runs.hooks = {
    onStarted: (run) => {
      void vscode.commands.executeCommand('setContext', 'contextForge.runActive', true);
      hooks.runStarted();
      panels.show(run.runId, { preserveFocus: true, column: vscode.ViewColumn.Beside });
      refreshRuns();
    },
    onStepEvidence: (_run, evidence) => diagnostics.update(evidence),
    onFinished: (run, result) => {
      hooks.runEnded();
      const stillRunning = runs.activeRuns().some((r) => r.outcome === undefined);
      void vscode.commands.executeCommand('setContext', 'contextForge.runActive', stillRunning);
      if (run.state)
        statusBar.idle({
          state: run.state,
          status:
            result.status === 'passed'
              ? 'passed'
              : run.state.status === 'running'
                ? 'failed'
                : (run.state.status as 'failed'),
        });
      void showIdle();
      host.refreshPrps();
      refreshRuns();
      const word = result.status === 'passed' ? 'passed' : result.status;
      const say = result.status === 'passed' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      void say(
        `Context Forge: ${run.target} ${word}${result.message ? ` — ${result.message}` : ''}`,
        'Show Panel',
        'Open Report',
      ).then((pick) => {
        if (pick === 'Show Panel') panels.show(run.runId);
        else if (pick === 'Open Report') void vscode.commands.executeCommand('contextForge.openReport', run.runId);
      });
    },
  };
  context.subscriptions.push(
    runs.onDidChangeRun((runId) => {
      const run = runs.activeRun(runId);
      if (run?.state && run.outcome === undefined) statusBar.running(run.state);
      refreshRuns();
    }),
  );

  if (root) {
    const projectChanged = debounce(300, () => {
      project.invalidate();
      host.refreshPrps();
      host.refreshLenses();
    });
    const base = vscode.Uri.file(root);
    const projectWatcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(base, '{.claude/**,PRPs/**,package.json}'),
    );
    const runsWatcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(base, '.context-forge/runs/*/events.jsonl'),
    );
    const runsChanged = debounce(300, () => {
      refreshRuns();
      void showIdle();
      host.refreshPrps();
    });
    for (const w of [projectWatcher]) {
      w.onDidCreate(projectChanged);
      w.onDidChange(projectChanged);
      w.onDidDelete(projectChanged);
    }
    runsWatcher.onDidCreate(runsChanged);
    runsWatcher.onDidChange(runsChanged);
    runsWatcher.onDidDelete(runsChanged);
    context.subscriptions.push(projectWatcher, runsWatcher, { dispose: () => projectChanged.cancel() });
    hooks.start();
  }
  void showIdle();

  // ---- commands -----------------------------------------------------------------------------------
  const needFolder = (): string => {
    if (!root) throw new Error('Context Forge: open a folder first (File › Open Folder).');
    return root;
  };

  const prpPathOf = async (arg: unknown): Promise<string | undefined> => {
    const node = arg as PrpTreeNode | undefined;
    if (node && typeof node === 'object' && 'kind' in node && node.kind === 'prp') return node.prp.path;
    const uri =
      arg instanceof vscode.Uri
        ? arg
        : typeof arg === 'string'
          ? vscode.Uri.file(path.resolve(workspace.root, arg))
          : vscode.window.activeTextEditor?.document.uri;
    if (uri && uri.scheme === 'file' && /\.md$/.test(uri.fsPath)) {
      const rel = workspace.rel(uri.fsPath);
      if (rel.startsWith('PRPs/')) {
        await workspace.resolveInside(rel);
        return rel;
      }
    }
    const snap = await project.snapshot();
    const candidates = snap.prps.filter((p: PrpFile) => p.group === 'active');
    if (candidates.length === 0) {
      void vscode.window.showWarningMessage('Context Forge: no PRP in PRPs/ yet. Create one with "Create PRP".');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((p) => ({ label: p.name, description: p.path, prp: p })),
      { title: 'Context Forge: choose a PRP' },
    );
    return picked?.prp.path;
  };

  const runIdOf = async (
    arg: unknown,
    filter: (r: LoadedRun) => boolean,
    title: string,
  ): Promise<string | undefined> => {
    if (typeof arg === 'string' && isRunId(arg)) return arg;
    const node = arg as { kind?: string; run?: LoadedRun } | undefined;
    if (node?.kind === 'run' && node.run) return node.run.runId;
    const list = (await runs.list(50)).filter(filter);
    if (list.length === 0) return undefined;
    if (list.length === 1) return list[0]!.runId;
    const picked = await vscode.window.showQuickPick(
      list.map((r) => ({
        label: r.state.target,
        description: `${r.status} · ${new Date(r.state.startedAt).toLocaleString()}`,
        detail: r.runId,
        runId: r.runId,
      })),
      { title },
    );
    return picked?.runId;
  };

  /** Reads a PRP and plans its levels; refuses (with the positioned problems) when it cannot be used. */
  const prpLevels = async (
    prp: string,
    options: { only?: number; idPrefix?: string },
  ): Promise<{ levels: LevelStep[] } | { refused: RunResult }> => {
    const snap = await project.snapshot();
    const settings = snap.settings.value;
    if (!settings || hasErrors(snap.settings.problems)) {
      const message = `invalid settings:\n${snap.settings.problems.map(formatProblem).join('\n')}`;
      void vscode.window.showErrorMessage(`Context Forge: ${message}`);
      return { refused: { status: 'refused', message } };
    }
    const read = await readPrp(workspace, prp, { facts: await loadProjectFacts(workspace) });
    if (!read.value || hasErrors(read.problems)) {
      const message = `${prp} cannot be used:\n${read.problems
        .filter((p) => p.severity === 'error')
        .map(formatProblem)
        .join('\n')}`;
      void vscode.window.showErrorMessage(`Context Forge: ${message}`);
      return { refused: { status: 'refused', message } };
    }
    const levels = planLevels(read.value, settings.orchestration, {
      ...(options.idPrefix ? { idPrefix: options.idPrefix } : {}),
      ...(options.only !== undefined ? { selection: { only: options.only } } : {}),
    });
    const runnable = levels.filter((l) => !l.skip);
    if (options.only !== undefined && !levels.some((l) => l.level === options.only)) {
      const message = `${prp} has no Level ${options.only}`;
      void vscode.window.showErrorMessage(`Context Forge: ${message}`);
      return { refused: { status: 'refused', message } };
    }
    if (runnable.length === 0) {
      const message = `${prp} has no validation level to run (### Level N: Name with a bash block): nothing can prove the work`;
      void vscode.window.showErrorMessage(`Context Forge: ${message}`);
      return { refused: { status: 'refused', message } };
    }
    return { levels };
  };

  const executePrp = async (prp: string): Promise<(RunResult & { movedTo?: string }) | undefined> => {
    const planned = await prpLevels(prp, { idPrefix: 'implement' });
    if ('refused' in planned) return planned.refused;
    const settings = (await project.snapshot()).settings.value!;
    const step: ImplementStep = {
      kind: 'implement',
      id: 'implement',
      name: `/${PRP_EXECUTE} ${prp}`,
      command: PRP_EXECUTE,
      argsText: prp,
      prp,
      levels: planned.levels,
      maxRounds: Math.max(1, settings.orchestration.retry.maxAttempts),
    };
    const result = await runs.start({
      kind: 'prp',
      target: prp,
      plan: [step],
      variables: {},
      inputs: [prp, '.claude/settings.local.json', '.claude/commands/prp-execute.md'],
    });
    if (result.status === 'passed') {
      // As `run-prp` does: a PRP whose execution passed moves to PRPs/completed/ (never overwriting one there).
      const moved = await moveCompletedPrp(workspace, prp);
      if (moved.ok) {
        log.info(`moved ${prp} → ${moved.to}`);
        void vscode.window.showInformationMessage(`Context Forge: ${prp} passed and moved to ${moved.to}.`);
        project.invalidate();
        host.refreshPrps();
        return { ...result, movedTo: moved.to };
      }
      log.warn(moved.message);
    }
    return result;
  };

  const openReport = async (runId: string): Promise<vscode.Uri | undefined> => {
    const loaded = await runs.load(runId);
    if (!loaded) return undefined;
    const report = buildReport(loaded.state);
    report.status = loaded.status;
    const file = path.join(loaded.runDir, 'report.md');
    await workspace.fs.writeFileAtomic(file, renderMarkdown(report));
    const uri = vscode.Uri.file(file);
    await vscode.commands
      .executeCommand('markdown.showPreview', uri)
      .then(undefined, () => vscode.window.showTextDocument(uri));
    return uri;
  };

  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    'contextForge.orchestrate': async (arg) => {
      requireTrust('Orchestrate');
      needFolder();
      const node = arg as PrpTreeNode | undefined;
      if (node && typeof node === 'object' && 'kind' in node) {
        if (node.kind === 'workflow')
          return orchestrate({ project, runs, executePrp }, { workflow: node.workflow.name });
        if (node.kind === 'command') {
          return orchestrate({ project, runs, executePrp }, undefined).then((r) => r);
        }
      }
      return orchestrate({ project, runs, executePrp }, arg as Parameters<typeof orchestrate>[1]);
    },
    'contextForge.initProject': async () => {
      const ws = needFolder();
      const plan = await planInit(workspace, {
        templatesRoot: templatesDir(),
        force: false,
        tool: { name: 'codex-context-forge', version: packageVersion() },
      });
      const summary = hasChanges(plan) ? await applyInit(workspace, plan) : summarize(plan);
      project.invalidate();
      host.refreshPrps();
      const text = `${summary.created.length} created, ${summary.updated.length} updated, ${summary.kept.length} kept, ${summary.unchanged.length} unchanged`;
      log.info(`initialized ${ws}: ${text}`);
      void vscode.window.showInformationMessage(
        hasChanges(plan) ? `Context Forge: project initialized (${text}).` : `Context Forge: already set up (${text}).`,
      );
      return summary;
    },
    'contextForge.createPrp': async (arg) => {
      requireTrust('Create PRP');
      needFolder();
      const given = arg as { feature?: string; description?: string } | undefined;
      const feature =
        given?.feature ??
        (await vscode.window.showInputBox({
          title: 'Create PRP (1/2): feature name',
          prompt: 'Short kebab-case name; the PRP is written to PRPs/<name>.md',
          placeHolder: 'user-avatar-upload',
          ignoreFocusOut: true,
          validateInput: (v) =>
            /^[a-z0-9][a-z0-9-]*$/.test(v.trim()) ? undefined : 'use lower-case letters, digits and dashes',
        }));
      if (!feature) return undefined;
      const description =
        given?.description ??
        (await vscode.window.showInputBox({
          title: 'Create PRP (2/2): what should it do?',
          prompt: 'What the feature must do, in a sentence or two',
          ignoreFocusOut: true,
        }));
      if (description === undefined) return undefined;
      const { shellQuote } = await import('../core/shell/quote');
      return orchestrate(
        { project, runs, executePrp },
        { command: `/prp-create ${shellQuote(feature.trim())} ${shellQuote(description.trim())}` },
      );
    },
    'contextForge.executePrp': async (arg) => {
      requireTrust('Execute PRP');
      needFolder();
      const prp = await prpPathOf(arg);
      return prp ? executePrp(prp) : undefined;
    },
    'contextForge.validatePrp': async (arg, level) => {
      requireTrust('Validate PRP');
      needFolder();
      const prp = await prpPathOf(arg);
      if (!prp) return undefined;
      return validatePrp(prp, typeof level === 'number' ? level : undefined);
    },
    'contextForge.runLevel': async (arg, level) => {
      requireTrust('Run Validation Level');
      needFolder();
      const prp = await prpPathOf(arg);
      if (!prp || typeof level !== 'number') return undefined;
      return validatePrp(prp, level);
    },
    'contextForge.lintPrp': async (arg) => {
      needFolder();
      const prp = await prpPathOf(arg);
      return prp ? lintPrp(prp) : undefined;
    },
    'contextForge.resumeRun': async (arg) => {
      requireTrust('Resume Run');
      needFolder();
      const runId = await runIdOf(
        arg,
        (r) => !['passed', 'running', 'unresponsive'].includes(r.status),
        'Resume which run?',
      );
      if (!runId) {
        void vscode.window.showInformationMessage('Context Forge: no run to resume.');
        return undefined;
      }
      return runs.resume(runId);
    },
    'contextForge.stopRun': async (arg, force) => {
      needFolder();
      const live = runs.activeRuns().filter((r) => r.outcome === undefined);
      const runId =
        typeof arg === 'string' || (arg && typeof arg === 'object')
          ? await runIdOf(arg, () => true, 'Stop which run?')
          : live.length === 1
            ? live[0]!.runId
            : await runIdOf(undefined, (r) => r.status === 'running' || r.status === 'unresponsive', 'Stop which run?');
      if (!runId) {
        void vscode.window.showInformationMessage('Context Forge: no run is running.');
        return undefined;
      }
      const message = await runs.stop(runId, { force: force === true });
      log.info(message);
      void vscode.window.setStatusBarMessage(`Context Forge: ${message}`, 5000);
      return message;
    },
    'contextForge.showPanel': async (arg) => {
      needFolder();
      const live = runs.activeRuns().find((r) => r.outcome === undefined);
      const runId =
        typeof arg === 'string' && isRunId(arg)
          ? arg
          : (live?.runId ?? (await runIdOf(arg, () => true, 'Show which run?')));
      if (!runId) {
        void vscode.window.showInformationMessage('Context Forge: no run yet. Start one with "Orchestrate".');
        return undefined;
      }
      return panels.show(runId).runId;
    },
    'contextForge.setApiKey': async (arg) => {
      if (typeof arg === 'string') {
        await keys.set(arg);
        return true;
      }
      const stored = await keys.prompt();
      if (stored) void vscode.window.showInformationMessage('Context Forge: API key stored in SecretStorage.');
      return stored;
    },
    'contextForge.clearApiKey': async () => {
      await keys.clear();
      void vscode.window.showInformationMessage('Context Forge: API key removed from SecretStorage.');
      return true;
    },
    'contextForge.refresh': async () => {
      project.invalidate();
      host.refreshPrps();
      host.refreshRuns();
      host.refreshLenses();
      await showIdle();
      return true;
    },
    'contextForge.openReport': async (arg) => {
      needFolder();
      const runId = await runIdOf(arg, () => true, 'Report of which run?');
      return runId ? openReport(runId) : undefined;
    },
    'contextForge.revealReport': async (arg) => {
      const node = arg as PrpTreeNode | undefined;
      if (node?.kind === 'prp' && node.lastRun) return openReport(node.lastRun.runId);
      return undefined;
    },
    'contextForge.rerun': async (arg) => {
      requireTrust('Re-run');
      needFolder();
      const runId = await runIdOf(arg, () => true, 'Re-run which run?');
      const loaded = runId ? await runs.load(runId) : undefined;
      if (!loaded) return undefined;
      const s = loaded.state;
      if (s.kind === 'workflow')
        return orchestrate({ project, runs, executePrp }, { workflow: s.target, variables: s.variables });
      if (s.kind === 'command') return orchestrate({ project, runs, executePrp }, { command: s.target });
      if (s.kind === 'prp') return executePrp(s.target);
      return validatePrp(s.target, onlyLevelOf(s.plan as Array<{ kind: string; level?: number; skip?: string }>));
    },
    'contextForge.openItem': async (arg) => {
      const target = arg as { file?: string; line?: number } | PrpTreeNode | undefined;
      let file: string | undefined;
      let line = 1;
      if (target && 'file' in target && typeof target.file === 'string') {
        file = target.file;
        line = target.line ?? 1;
      } else if (target && 'kind' in target) {
        if (target.kind === 'prp') file = target.prp.path;
        else if (target.kind === 'workflow') [file, line] = [target.workflow.file, target.workflow.position.line];
        else if (target.kind === 'command') file = target.command.file;
      }
      if (!file) return undefined;
      const abs = await workspace.resolveInside(file);
      const pos = new vscode.Position(Math.max(0, line - 1), 0);
      await vscode.window.showTextDocument(vscode.Uri.file(abs), { selection: new vscode.Range(pos, pos) });
      return abs;
    },
  };

  /** The level a `validate` run was limited to (`Run Level N`), from its recorded plan. */
  function onlyLevelOf(plan: readonly { kind: string; level?: number; skip?: string }[]): number | undefined {
    const levels = plan.filter((s) => s.kind === 'level');
    const ran = levels.filter((l) => !l.skip);
    return ran.length === 1 && levels.some((l) => l.skip?.startsWith('only level')) ? ran[0]!.level : undefined;
  }

  /** Runs the PRP's Validation Loop (or one level of it) — the harness alone, no model. */
  async function validatePrp(prp: string, level?: number): Promise<RunResult | undefined> {
    const planned = await prpLevels(prp, level !== undefined ? { only: level } : {});
    if ('refused' in planned) return planned.refused;
    return runs.start({
      kind: 'validate',
      target: prp,
      plan: planned.levels,
      variables: {},
      inputs: [prp, '.claude/settings.local.json'],
      trackWorkTree: false,
    });
  }

  /** The PRP's findings now (from the open editor's text, else the file), into the Problems view. */
  async function lintPrp(prp: string): Promise<PrpFindings | undefined> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(await workspace.resolveInside(prp)));
    const findings = await prpProblems.check(doc);
    if (!findings) return undefined;
    const text =
      findings.errors + findings.warnings === 0
        ? `${prp}: no problems found.`
        : `${prp}: ${findings.errors} error(s), ${findings.warnings} warning(s) — see the Problems view.`;
    void (findings.errors ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(
      `Context Forge: ${text}`,
    );
    return findings;
  }

  const runCommand = async (id: CommandId, args: unknown[]): Promise<unknown> => {
    try {
      return await handlers[id](...args);
    } catch (err) {
      log.error(`${id}: ${(err as Error).message}`);
      if ((err as Error).name !== 'UntrustedWorkspaceError') {
        void vscode.window.showErrorMessage(
          (err as Error).message.startsWith('Context Forge')
            ? (err as Error).message
            : `Context Forge: ${(err as Error).message}`,
        );
      }
      throw err;
    }
  };

  const servicesMs = performance.now() - started;
  log.info(`services constructed in ${servicesMs.toFixed(1)} ms`);
  return {
    log,
    root,
    workspace,
    project,
    runs,
    diagnostics,
    statusBar,
    panels,
    approvals,
    keys,
    agents,
    hooks,
    prpProblems,
    prpTree,
    runsTree,
    codeLens,
    commandIds: COMMAND_IDS,
    runCommand,
    timings: { activationMs: host.activationMs, servicesLoadMs: host.servicesLoadMs ?? 0, servicesMs },
  };
}
