/**
 * The VS Code extension entry: `activate()` only registers — commands, the two trees, the CodeLens provider, the
 * panel serializer — each backed by a thin forwarder. Everything else (readers, the engine, the panel, terminals)
 * lives in `dist/services.js`, a second bundle loaded on first use. This is the only folder that imports `vscode`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandId, VIEW_PRPS, VIEW_RUNS } from './ids';
import type { Services, ServicesHost } from './services';

/** What `activate()` returns (`extensions.getExtension(id).exports`): used by the integration tests. */
export interface ContextForgeApi {
  /** Milliseconds `activate()` itself took (registration only). */
  readonly activationMs: number;
  /** The services, constructed on first call. */
  services(): Promise<Services>;
}

/** A tree whose real provider is constructed when the view first asks for its children. */
class LazyTree<T> implements vscode.TreeDataProvider<T> {
  readonly changed = new vscode.EventEmitter<T | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private real: vscode.TreeDataProvider<T> | undefined;

  constructor(private readonly load: () => Promise<vscode.TreeDataProvider<T>>) {}

  async getChildren(element?: T): Promise<T[]> {
    this.real ??= await this.load();
    return ((await this.real.getChildren(element)) ?? []) as T[];
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.real!.getTreeItem(element);
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.real?.getParent?.(element);
  }
}

class LazyCodeLens implements vscode.CodeLensProvider {
  readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly load: () => Promise<vscode.CodeLensProvider>) {}

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    return ((await (await this.load()).provideCodeLenses(document, token)) ?? []) as vscode.CodeLens[];
  }
}

export function activate(context: vscode.ExtensionContext): ContextForgeApi {
  const started = performance.now();
  let loading: Promise<Services> | undefined;
  const host = {} as ServicesHost;
  const services = (): Promise<Services> => {
    loading ??= (async () => {
      // A separate bundle: not parsed until something needs it.
      const t0 = performance.now();
      const mod = require(path.join(__dirname, 'services.js')) as typeof import('./services');
      host.servicesLoadMs = performance.now() - t0;
      return mod.createServices(context, host);
    })();
    return loading;
  };

  const prps = new LazyTree(async () => (await services()).prpTree);
  const runs = new LazyTree(async () => (await services()).runsTree);
  const lenses = new LazyCodeLens(async () => (await services()).codeLens);
  const prpView = vscode.window.createTreeView(VIEW_PRPS, { treeDataProvider: prps, showCollapseAll: true });
  const runView = vscode.window.createTreeView(VIEW_RUNS, { treeDataProvider: runs });
  Object.assign(host, {
    prpView,
    runView,
    refreshPrps: () => prps.changed.fire(undefined),
    refreshRuns: () => runs.changed.fire(undefined),
    refreshLenses: () => lenses.changed.fire(),
  });

  context.subscriptions.push(
    prpView,
    runView,
    prps.changed,
    runs.changed,
    lenses.changed,
    ...COMMAND_IDS.map((id: CommandId) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => (await services()).runCommand(id, args)),
    ),
    vscode.languages.registerCodeLensProvider({ language: 'markdown', pattern: '**/PRPs/**/*.md' }, lenses),
    vscode.window.registerWebviewPanelSerializer('contextForge.runPanel', {
      deserializeWebviewPanel: async (panel, state) => (await services()).panels.restore(panel, state),
    }),
  );

  const activationMs = performance.now() - started;
  host.activationMs = activationMs;
  // The status bar shows the last run's result: read it once VS Code has finished activating us, and only in a
  // project that has runs.
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder) {
    setTimeout(() => {
      vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, '.context-forge', 'runs')).then(
        () => void services(),
        () => undefined,
      );
    }, 0);
  }
  return { activationMs, services };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; running runs are cancelled by their disposables.
}
