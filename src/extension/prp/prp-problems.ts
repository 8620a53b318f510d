/**
 * PRP lint findings shown live on PRP files as you type (debounced): the project's own lint (`src/core/lint`, the
 * same as `codex-context-forge lint`) run on the editor's text, as problems in their own collection with the rule
 * as code. The CodeLens above the title and the tree show the counts.
 */
import * as vscode from 'vscode';
import { lintPrp } from '../../core/lint';
import type { Problem } from '../../core/problems';
import { emptyTechStack, type ProjectFacts } from '../../core/project/facts';
import { loadProjectFacts } from '../../core/project/load-facts';
import { Workspace } from '../../core/workspace';
import { NodeProgramResolver } from '../../node/node-program-resolver';
import { prpGroupOf } from '../project/project-model';
import { OverlayFileSystem } from './overlay-file-system';

export const PRP_PROBLEMS_NAME = 'Context Forge PRP';

export interface PrpFindings {
  errors: number;
  warnings: number;
  problems: Problem[];
}

/**
 * The lint findings for a PRP — the same checks as `codex-context-forge lint` (required sections, the Validation
 * Loop and every gate program, references, placeholders, hidden Unicode, `## IF` blocks) — on `text` when given
 * (an editor's unsaved content), else on the file.
 */
export async function lintFindings(
  workspace: Workspace,
  file: string,
  facts: ProjectFacts | undefined,
  text?: string,
): Promise<PrpFindings> {
  const ws =
    text === undefined
      ? workspace
      : new Workspace(workspace.root, new OverlayFileSystem(workspace.fs, workspace.abs(file), text));
  const report = await lintPrp(ws, file, {
    ...(facts ? { facts } : {}),
    programs: new NodeProgramResolver(process.env.PATH),
  });
  const problems = report.problems;
  return {
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
    problems,
  };
}

export function problemToDiagnostic(p: Problem): vscode.Diagnostic {
  const line = Math.max(0, p.line - 1);
  const col = Math.max(0, p.column - 1);
  const endLine = Math.max(line, (p.endLine ?? p.line) - 1);
  const endCol = p.endColumn !== undefined ? Math.max(0, p.endColumn - 1) : col + 1;
  const d = new vscode.Diagnostic(
    new vscode.Range(line, col, endLine, endLine === line ? Math.max(col, endCol) : endCol),
    p.message,
    p.severity === 'error'
      ? vscode.DiagnosticSeverity.Error
      : p.severity === 'warning'
        ? vscode.DiagnosticSeverity.Warning
        : vscode.DiagnosticSeverity.Information,
  );
  d.source = 'context-forge';
  d.code = p.rule;
  return d;
}

export class PrpProblems implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(PRP_PROBLEMS_NAME);
  private readonly summaries = new Map<string, PrpFindings>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private facts: Promise<ProjectFacts> | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly workspace: Workspace) {}

  start(): void {
    this.subs.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (vscode.workspace.getConfiguration('contextForge').get<boolean>('lint.onType', true))
          this.schedule(e.document);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.summaries.delete(d.uri.toString());
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** The project-relative path when `uri` is a PRP (templates excepted). */
  prpPath(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== 'file') return undefined;
    const rel = this.workspace.rel(uri.fsPath);
    const group = prpGroupOf(rel);
    return group && group !== 'templates' ? rel : undefined;
  }

  summary(uri: vscode.Uri): PrpFindings | undefined {
    return this.summaries.get(uri.toString());
  }

  private schedule(document: vscode.TextDocument, delay?: number): void {
    const file = this.prpPath(document.uri);
    if (!file) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    const ms = delay ?? vscode.workspace.getConfiguration('contextForge').get<number>('lint.delayMs', 400);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.check(document);
      }, ms),
    );
  }

  /** Checks a document now (also the Lint PRP command). */
  async check(document: vscode.TextDocument): Promise<PrpFindings | undefined> {
    const file = this.prpPath(document.uri);
    if (!file) return undefined;
    this.facts ??= loadProjectFacts(this.workspace).catch(() => ({ techStack: emptyTechStack() }));
    const findings = await lintFindings(this.workspace, file, await this.facts, document.getText());
    this.summaries.set(document.uri.toString(), findings);
    this.collection.set(document.uri, findings.problems.map(problemToDiagnostic));
    this.changed.fire(document.uri);
    return findings;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subs) s.dispose();
    this.collection.dispose();
    this.changed.dispose();
  }
}
