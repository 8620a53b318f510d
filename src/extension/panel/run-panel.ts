/**
 * One execution panel per run (a WebviewPanel in the editor area). The host keeps the run's state and output and
 * sends them through the typed protocol; it accepts only the messages `src/protocol` names, validated with zod,
 * and resolves every file the panel asks to open from its own copy of the run's evidence.
 *
 * Output flow control: at most one `output` message is unacknowledged; lines arriving meanwhile are coalesced
 * per step, and a batch never carries more than `MAX_LINES_PER_BATCH` lines (older ones are counted as dropped),
 * so a step printing 100k lines keeps the panel responsive.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandEvidence } from '../../core/run/events';
import type { Workspace } from '../../core/workspace';
import type { LoadedRun } from '../../node/runs/run-store';
import {
  type HostMessage,
  HostMessageSchema,
  MAX_LINES_PER_BATCH,
  type OutputChunk,
  parseWebviewMessage,
  type WebviewMessage,
} from '../../protocol/panel-protocol';
import { runView, viewDiagnostics } from '../../protocol/run-view';
import { displayText } from '../../protocol/sanitize';
import type { RunController } from '../runs/run-controller';
import { readLogTail } from './log-tail';
import { panelHtml } from './panel-html';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  runs: RunController;
  workspace: Workspace;
  log: vscode.LogOutputChannel;
  maxLines(): number;
}

interface Sent {
  attempt: number;
  /** Absolute index (dropped + position) of the next line to send. */
  next: number;
}

export class RunPanel implements vscode.Disposable {
  private seq = 0;
  private ready = false;
  private awaiting: number | undefined;
  private readonly dirty = new Set<string>();
  private readonly sent = new Map<string, Sent>();
  private stateTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.closed.event;
  /** Messages from the webview that the protocol does not name (dropped). */
  rejected = 0;
  /** Nothing left to send and nothing unacknowledged. */
  get idle(): boolean {
    return this.ready && this.awaiting === undefined && this.dirty.size === 0;
  }

  /** What the webview said it rendered, with the last acknowledgement. */
  lastAck: Extract<WebviewMessage, { type: 'ack' }>['rendered'] | undefined;
  private readonly acked = new vscode.EventEmitter<Extract<WebviewMessage, { type: 'ack' }>>();
  readonly onDidAck = this.acked.event;
  private loaded: LoadedRun | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runId: string,
    private readonly deps: PanelDeps,
  ) {
    const root = deps.extensionUri;
    panel.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media')],
    };
    panel.iconPath = vscode.Uri.joinPath(root, 'media', 'icons', 'context-forge.svg');
    panel.webview.html = panelHtml(panel.webview, root, runId);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      deps.runs.onDidChangeRun((id) => {
        if (id === runId) this.scheduleState();
      }),
      deps.runs.onDidOutput((e) => {
        if (e.runId !== runId) return;
        this.dirty.add(e.stepId);
        this.flushOutput();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleState()),
    );
  }

  /** Handles one message from the webview (also the entry the tests drive with forged messages). */
  async receive(raw: unknown): Promise<boolean> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.rejected++;
      this.deps.log.warn(
        `execution panel ${this.runId}: ignored a message the protocol does not name (${parsed.error})`,
      );
      return false;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.awaiting = undefined;
        this.sent.clear();
        await this.sendState();
        await this.sendSnapshotOutput();
        return true;
      case 'ack':
        this.lastAck = message.rendered;
        if (this.awaiting !== undefined && message.seq >= this.awaiting) this.awaiting = undefined;
        this.acked.fire(message);
        this.flushOutput();
        return true;
      case 'cancel':
        await vscode.commands.executeCommand('contextForge.stopRun', this.runId);
        return true;
      case 'resume':
        void vscode.commands.executeCommand('contextForge.resumeRun', this.runId);
        return true;
      case 'rerun':
        void vscode.commands.executeCommand('contextForge.rerun', this.runId);
        return true;
      case 'openReport':
        await vscode.commands.executeCommand('contextForge.openReport', this.runId);
        return true;
      case 'openDiagnostic':
      case 'openLog':
        return this.open(message);
    }
  }

  private evidence(stepId: string, index: number): CommandEvidence | undefined {
    const state = this.deps.runs.activeRun(this.runId)?.state ?? this.loaded?.state;
    return state?.stepsById.get(stepId)?.evidence?.[index];
  }

  private async open(message: Extract<WebviewMessage, { type: 'openDiagnostic' | 'openLog' }>): Promise<boolean> {
    const ev = this.evidence(message.stepId, message.command);
    if (!ev) return false;
    let file: string | undefined;
    let position: vscode.Position | undefined;
    if (message.type === 'openLog') file = ev.logFile;
    else {
      const d = viewDiagnostics(ev)[message.diagnostic];
      if (!d) return false;
      file = d.file;
      position = new vscode.Position(Math.max(0, d.line - 1), Math.max(0, d.column - 1));
    }
    if (!file) return false;
    let abs: string;
    try {
      abs = await this.deps.workspace.resolveInside(file);
    } catch (err) {
      this.deps.log.warn(`execution panel: not opening ${file}: ${(err as Error).message}`);
      return false;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(abs), {
      viewColumn: vscode.ViewColumn.One,
      ...(position ? { selection: new vscode.Range(position, position) } : {}),
    });
    return true;
  }

  private post(message: HostMessage): Thenable<boolean> {
    // Validated here too: the host never sends what the webview would refuse.
    const checked = HostMessageSchema.safeParse(message);
    if (!checked.success) {
      this.deps.log.error(
        `execution panel: refusing to send an invalid ${message.type} message: ${checked.error.message}`,
      );
      return Promise.resolve(false);
    }
    return this.panel.webview.postMessage(message);
  }

  private scheduleState(): void {
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      void this.sendState();
    }, 100);
  }

  private async sendState(): Promise<void> {
    if (!this.ready) return;
    const live = this.deps.runs.isLive(this.runId);
    const active = this.deps.runs.activeRun(this.runId);
    const loaded = await this.deps.runs.load(this.runId);
    if (loaded) this.loaded = loaded;
    const state = active?.state ?? loaded?.state;
    if (!state) {
      await this.post({
        type: 'notice',
        seq: ++this.seq,
        level: 'error',
        message: `Run ${this.runId} was not found in this workspace.`,
      });
      return;
    }
    const status = live ? 'running' : (loaded?.status ?? 'interrupted');
    this.panel.title = `Run: ${displayText(state.target, 60)}`;
    await this.post({
      type: 'state',
      seq: ++this.seq,
      run: runView(state, { status, live, trusted: vscode.workspace.isTrusted }),
    });
  }

  /** After `ready`: everything this window holds for the run, or the tails of its logs. */
  private async sendSnapshotOutput(): Promise<void> {
    const active = this.deps.runs.activeRun(this.runId);
    if (active) {
      for (const [stepId] of active.output.entries()) this.dirty.add(stepId);
      this.flushOutput();
      return;
    }
    const state = this.loaded?.state;
    if (!state) return;
    const chunks: OutputChunk[] = [];
    const max = this.deps.maxLines();
    for (const step of state.steps) {
      const logs = (step.evidence ?? []).map((e) => e.logFile).filter((f): f is string => Boolean(f));
      if (logs.length === 0) continue;
      const lines: string[] = [];
      let dropped = 0;
      for (const rel of logs) {
        try {
          const tail = await readLogTail(path.resolve(this.deps.workspace.root, rel), max);
          dropped += tail.dropped;
          lines.push(...tail.lines.map((l) => displayText(l, 4000)));
        } catch {
          // the log is gone: the evidence's tail is in the state
        }
      }
      const over = Math.max(0, lines.length - Math.min(max, MAX_LINES_PER_BATCH));
      chunks.push({
        stepId: step.id,
        attempt: step.attempts,
        reset: true,
        dropped: dropped + over,
        lines: lines.slice(over),
      });
    }
    for (let i = 0; i < chunks.length; i += 20) {
      await this.post({ type: 'output', seq: ++this.seq, chunks: chunks.slice(i, i + 20) });
    }
  }

  private flushOutput(): void {
    if (!this.ready || this.awaiting !== undefined || this.dirty.size === 0) return;
    const active = this.deps.runs.activeRun(this.runId);
    if (!active) return;
    const chunks: OutputChunk[] = [];
    let budget = MAX_LINES_PER_BATCH;
    for (const stepId of [...this.dirty]) {
      if (budget <= 0) break;
      this.dirty.delete(stepId);
      const buf = active.output.get(stepId);
      if (!buf) continue;
      let sent = this.sent.get(stepId);
      const reset = !sent || sent.attempt !== buf.attempt;
      if (reset) sent = { attempt: buf.attempt, next: 0 };
      const from = Math.max(sent!.next, buf.dropped);
      const skipped = from - sent!.next;
      // Oldest first, at most the budget; what is left stays dirty and goes after the next acknowledgement.
      const lines = buf.lines.slice(from - buf.dropped, from - buf.dropped + budget);
      const stderr = buf.stderr.slice(from - buf.dropped, from - buf.dropped + budget);
      budget -= lines.length;
      const next = from + lines.length;
      this.sent.set(stepId, { attempt: buf.attempt, next });
      if (next < buf.dropped + buf.lines.length) this.dirty.add(stepId);
      const errIdx = stderr.flatMap((e, i) => (e ? [i] : []));
      chunks.push({
        stepId,
        attempt: buf.attempt,
        ...(reset ? { reset: true } : {}),
        dropped: skipped,
        lines,
        ...(errIdx.length ? { stderr: errIdx } : {}),
      });
    }
    if (chunks.length === 0) return;
    const seq = ++this.seq;
    this.awaiting = seq;
    void this.post({ type: 'output', seq, chunks });
  }

  dispose(): void {
    clearTimeout(this.stateTimer);
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.closed.fire();
    this.closed.dispose();
    this.acked.dispose();
  }
}
