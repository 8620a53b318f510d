/**
 * What the trees, the palette and the CodeLens show about the workspace, read with the core readers: settings,
 * workflows, slash commands, PRP files and recent runs. Read lazily, cached, and invalidated by the debounced
 * file watcher (never polled).
 */
import * as vscode from 'vscode';
import { readSlashCommands } from '../../core/commands/read-slash-commands';
import type { SlashCommand } from '../../core/commands/slash-command';
import { readSettings, type Settings } from '../../core/config/settings';
import type { ReadResult } from '../../core/problems';
import { listPrps } from '../../core/prp';
import { readWorkflows } from '../../core/workflow/read-workflows';
import type { OrchestrationFile } from '../../core/workflow/schema';
import type { Workspace } from '../../core/workspace';

export type PrpGroup = 'active' | 'completed' | 'templates';

export interface PrpFile {
  /** Project-relative, `/`-separated. */
  path: string;
  uri: vscode.Uri;
  group: PrpGroup;
  name: string;
  title?: string;
}

export interface ProjectSnapshot {
  root: string;
  /** The workspace has a `.claude/` folder. */
  initialized: boolean;
  settings: ReadResult<Settings>;
  workflows: ReadResult<OrchestrationFile>;
  commands: ReadResult<SlashCommand[]>;
  prps: PrpFile[];
}

export const PRPS_DIR = 'PRPs';

/** Which group a PRP belongs to, from its place under `PRPs/`. */
export function prpGroupOf(relative: string): PrpGroup | undefined {
  const parts = relative.split('/');
  if (parts[0] !== PRPS_DIR || !relative.endsWith('.md') || parts.length < 2) return undefined;
  if (parts[1] === 'ai_docs') return undefined;
  if (parts[1] === 'templates') return 'templates';
  if (parts[1] === 'completed' || parts[1] === 'done' || parts[1] === 'archive') return 'completed';
  if (parts.length === 2 && /^readme\.md$/i.test(parts[1]!)) return undefined;
  return 'active';
}

export class ProjectModel implements vscode.Disposable {
  private cached: Promise<ProjectSnapshot> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(readonly workspace: Workspace) {}

  get root(): string {
    return this.workspace.root;
  }

  snapshot(): Promise<ProjectSnapshot> {
    this.cached ??= this.read();
    return this.cached;
  }

  invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  private async read(): Promise<ProjectSnapshot> {
    const ws = this.workspace;
    const [claude, settings, workflows, commands, prps] = await Promise.all([
      ws.fs.stat(ws.abs('.claude')),
      readSettings(ws),
      readWorkflows(ws),
      readSlashCommands(ws),
      this.listPrps(),
    ]);
    const snapshot: ProjectSnapshot = {
      root: ws.root,
      initialized: claude?.type === 'directory',
      settings,
      workflows,
      commands,
      prps,
    };
    await vscode.commands.executeCommand('setContext', 'contextForge.initialized', snapshot.initialized);
    await vscode.commands.executeCommand('setContext', 'contextForge.loaded', true);
    return snapshot;
  }

  /** Through the core's `listPrps` (symlinks out of the project and loops are skipped there). */
  private async listPrps(): Promise<PrpFile[]> {
    const listing = await listPrps(this.workspace);
    const entries = [...(listing.value?.prps ?? []), ...(listing.value?.templates ?? [])];
    return entries
      .map((e) => ({
        path: e.file,
        uri: vscode.Uri.file(this.workspace.abs(e.file)),
        group: (e.status === 'template' ? 'templates' : e.status === 'completed' ? 'completed' : 'active') as PrpGroup,
        name: e.name.split('/').pop()!,
        title: e.title,
      }))
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
