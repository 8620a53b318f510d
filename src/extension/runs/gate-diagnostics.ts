/**
 * Gate failures as VS Code problems: the `Context Forge` diagnostic collection holds, per gate command, the
 * diagnostics its last run parsed from its output (source = the tool, code = its rule), ranges converted from the
 * harness's 1-based lines/columns (exclusive end) to VS Code's 0-based ranges. When a gate command passes, what it
 * reported before is removed, and a file left with no problem is cleared.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type Diagnostic, projectDiagnostics, WHOLE_LINE_END_COLUMN } from '../../core/gates/diagnostic';
import type { CommandEvidence } from '../../core/run/events';

export const DIAGNOSTICS_NAME = 'Context Forge';

/** A harness diagnostic as a VS Code one (0-based; a whole-line problem spans the line). */
export function toVscodeDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const startLine = Math.max(0, d.line - 1);
  const startCol = Math.max(0, d.column - 1);
  const endLine = Math.max(startLine, d.endLine - 1);
  const endCol = d.endColumn >= WHOLE_LINE_END_COLUMN ? Number.MAX_SAFE_INTEGER : Math.max(0, d.endColumn - 1);
  const range = new vscode.Range(
    startLine,
    startCol,
    endLine,
    endLine === startLine ? Math.max(startCol, endCol) : endCol,
  );
  const severity =
    d.severity === 'error'
      ? vscode.DiagnosticSeverity.Error
      : d.severity === 'warning'
        ? vscode.DiagnosticSeverity.Warning
        : vscode.DiagnosticSeverity.Information;
  const out = new vscode.Diagnostic(range, d.message, severity);
  out.source = d.source;
  if (d.code) out.code = d.code;
  return out;
}

export class GateDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTICS_NAME);
  private readonly byCommand = new Map<string, Diagnostic[]>();
  private published = new Set<string>();

  constructor(private readonly root: string) {}

  /** The evidence of a finished step: failing commands set their problems, passing ones clear theirs. */
  update(evidence: readonly CommandEvidence[]): void {
    let changed = false;
    for (const ev of evidence) {
      if (ev.exitCode === 0 && !ev.timedOut) {
        changed = this.byCommand.delete(ev.command) || changed;
      } else {
        this.byCommand.set(ev.command, projectDiagnostics(ev.diagnostics));
        changed = true;
      }
    }
    if (changed) this.publish();
  }

  clear(): void {
    this.byCommand.clear();
    this.publish();
  }

  private publish(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const seen = new Set<string>();
    for (const list of this.byCommand.values()) {
      for (const d of list) {
        const key = `${d.file}:${d.line}:${d.column}:${d.code ?? ''}:${d.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const file = path.resolve(this.root, d.file);
        let arr = byFile.get(file);
        if (!arr) {
          arr = [];
          byFile.set(file, arr);
        }
        arr.push(toVscodeDiagnostic(d));
      }
    }
    for (const file of this.published) if (!byFile.has(file)) this.collection.delete(vscode.Uri.file(file));
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
    this.published = new Set(byFile.keys());
  }

  dispose(): void {
    this.collection.dispose();
  }
}
