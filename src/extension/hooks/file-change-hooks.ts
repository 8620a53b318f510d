/**
 * `onFileChange` hooks from a workspace file watcher, while `contextForge.hooks.onFileChange` is on and the
 * workspace is trusted: changes are debounced per hook (its `debounceMs`), filtered by its `paths` globs, and
 * never include `.git`, `node_modules`, `.context-forge`, nor the writes of runs and hooks themselves (changes
 * seen while one runs, or just after, are ignored). A hook's script runs after the user approved it (modal
 * dialog), with the changed files in `$CHANGED_FILES`; its output goes to the Context Forge log.
 */
import * as vscode from 'vscode';
import { type HookAction, readSettings } from '../../core/config/settings';
import { isIgnoredChange, OwnWrites, pathFilter } from '../../core/hooks/file-change-filter';
import type { ApprovalsPort } from '../../core/ports/approvals';
import { ensureApproved } from '../../core/trust/ensure-approved';
import type { Workspace } from '../../core/workspace';
import { FileApprovalStore } from '../../node/approval-store';
import { NodeProcessRunner } from '../../node/process-runner';
import type { RunController } from '../runs/run-controller';

export interface HookFired {
  hook: HookAction;
  files: string[];
  exitCode: number | null;
  skipped?: string;
}

export class FileChangeHooks implements vscode.Disposable {
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly own = new OwnWrites(1000);
  private readonly pending = new Map<number, Set<string>>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private hooks: HookAction[] = [];
  private generation = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly controller = new AbortController();
  private readonly subs: vscode.Disposable[] = [];
  private readonly firedEmitter = new vscode.EventEmitter<HookFired>();
  /** Each hook execution (or refusal), for the log and the tests. */
  readonly onDidFire = this.firedEmitter.event;

  constructor(
    private readonly workspace: Workspace,
    private readonly runs: RunController,
    private readonly approvals: ApprovalsPort,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private enabled(): boolean {
    return (
      vscode.workspace.isTrusted &&
      vscode.workspace.getConfiguration('contextForge').get<boolean>('hooks.onFileChange', false) === true
    );
  }

  start(): void {
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('contextForge.hooks.onFileChange')) void this.reconfigure();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reconfigure()),
    );
    void this.reconfigure();
  }

  /** Reads the hooks from the settings and starts or stops the watcher. */
  async reconfigure(): Promise<number> {
    const generation = ++this.generation;
    this.watcher?.dispose();
    this.watcher = undefined;
    if (!this.enabled()) return 0;
    const settings = await readSettings(this.workspace);
    if (generation !== this.generation) return this.hooks.length; // a newer call took over
    this.hooks = settings.value?.orchestration.hooks.onFileChange ?? [];
    if (this.hooks.length === 0) return 0;
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(this.workspace.root), '**/*'),
    );
    const onChange = (uri: vscode.Uri): void => this.changed(this.workspace.rel(uri.fsPath));
    watcher.onDidCreate(onChange);
    watcher.onDidChange(onChange);
    watcher.onDidDelete(onChange);
    this.watcher = watcher;
    this.log.info(`onFileChange: watching for ${this.hooks.length} hook(s)`);
    return this.hooks.length;
  }

  /** A run of this window started or ended: its writes are not the user's. */
  runStarted(): void {
    this.own.begin();
  }

  runEnded(): void {
    this.own.end(Date.now());
  }

  private changed(relative: string): void {
    if (!relative || relative.startsWith('..') || isIgnoredChange(relative)) return;
    if (this.own.isOwn(Date.now()) || this.runs.activeRuns().some((r) => r.outcome === undefined)) return;
    this.hooks.forEach((hook, index) => {
      if (!pathFilter(hook.paths)(relative)) return;
      let files = this.pending.get(index);
      if (!files) {
        files = new Set();
        this.pending.set(index, files);
      }
      files.add(relative);
      clearTimeout(this.timers.get(index));
      this.timers.set(
        index,
        setTimeout(() => this.fire(index), hook.debounceMs),
      );
    });
  }

  private fire(index: number): void {
    const hook = this.hooks[index];
    const files = [...(this.pending.get(index) ?? [])].sort();
    this.pending.delete(index);
    this.timers.delete(index);
    if (!hook || files.length === 0) return;
    this.queue = this.queue.then(() => this.run(hook, files)).catch((err) => this.log.error(`onFileChange: ${err}`));
  }

  private async run(hook: HookAction, files: string[]): Promise<void> {
    if (this.controller.signal.aborted || !this.enabled()) return;
    if (hook.kind !== 'run') {
      this.log.warn(`onFileChange: slash-command hook ${hook.line} needs an agent; not run`);
      this.firedEmitter.fire({ hook, files, exitCode: null, skipped: 'slash-command hooks need an agent' });
      return;
    }
    const approved = await ensureApproved({
      projectRoot: this.workspace.root,
      commands: [{ command: hook.script, source: '.claude/settings.local.json: hooks.onFileChange' }],
      interactive: true,
      yes: false,
      store: new FileApprovalStore(),
      approvals: this.approvals,
      fs: this.workspace.fs,
      context: `onFileChange hook (${files.length} changed file(s))`,
    });
    if (!approved.approved) {
      this.log.warn(`onFileChange: not run: ${approved.message ?? 'not approved'}`);
      this.firedEmitter.fire({ hook, files, exitCode: null, skipped: approved.message ?? 'not approved' });
      return;
    }
    this.own.begin();
    try {
      this.log.info(`onFileChange (${files.join(', ')}) → ${hook.script}`);
      const result = await new NodeProcessRunner().run(
        {
          script: hook.script,
          cwd: this.workspace.root,
          env: { CHANGED_FILES: files.join('\n') },
          timeoutMs: 10 * 60_000,
        },
        { signal: this.controller.signal, onLine: (l) => this.log.info(`  ${l.text}`) },
      );
      this.log.info(`onFileChange hook exit code ${result.exitCode}`);
      this.firedEmitter.fire({ hook, files, exitCode: result.exitCode });
    } finally {
      this.own.end(Date.now());
    }
  }

  dispose(): void {
    this.controller.abort();
    for (const t of this.timers.values()) clearTimeout(t);
    this.watcher?.dispose();
    for (const s of this.subs) s.dispose();
    this.firedEmitter.dispose();
  }
}
