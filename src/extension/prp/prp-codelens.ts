/**
 * CodeLens on PRP files (`PRPs/**\/*.md`, templates excepted): above the title "▶ Execute PRP", "✓ Validate" and
 * the lint summary; above each `### Level N` heading of the Validation Loop "Run Level N".
 */
import * as vscode from 'vscode';
import { prpGroupOf } from '../project/project-model';

export interface PrpHeadings {
  /** 0-based line of the first `# ` heading (else of the first line). */
  titleLine: number;
  levels: Array<{ line: number; level: number }>;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const LEVEL = /^###\s+Level\s+(\d{1,2})\b/i;

/** Headings outside frontmatter and fenced code blocks. */
export function scanPrpHeadings(lines: readonly string[]): PrpHeadings {
  let titleLine = -1;
  const levels: PrpHeadings['levels'] = [];
  let fence: string | undefined;
  let i = 0;
  if (lines[0]?.trim() === '---') {
    for (i = 1; i < lines.length && lines[i]!.trim() !== '---'; i++);
    i++;
  }
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FENCE.exec(line);
    if (f) {
      const marker = f[1]!;
      if (!fence) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence) continue;
    if (titleLine < 0 && /^#\s+\S/.test(line)) titleLine = i;
    const m = LEVEL.exec(line);
    if (m) levels.push({ line: i, level: Number(m[1]) });
  }
  return { titleLine: Math.max(0, titleLine), levels };
}

export interface LintSummary {
  errors: number;
  warnings: number;
}

export class PrpCodeLensProvider implements vscode.CodeLensProvider {
  constructor(
    private readonly root: string,
    private readonly lintSummary: (document: vscode.TextDocument) => LintSummary | undefined,
  ) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const rel = vscode.workspace.asRelativePath(document.uri, false).split('\\').join('/');
    const group = document.uri.fsPath.startsWith(this.root) ? prpGroupOf(rel) : undefined;
    if (!group || group === 'templates') return [];
    const lines = document.getText().split(/\r?\n/);
    const { titleLine, levels } = scanPrpHeadings(lines);
    const top = new vscode.Range(titleLine, 0, titleLine, 0);
    const lenses = [
      new vscode.CodeLens(top, {
        title: '▶ Execute PRP',
        command: 'contextForge.executePrp',
        arguments: [document.uri],
      }),
      new vscode.CodeLens(top, { title: '✓ Validate', command: 'contextForge.validatePrp', arguments: [document.uri] }),
    ];
    const lint = this.lintSummary(document);
    lenses.push(
      new vscode.CodeLens(top, {
        title: !lint
          ? 'Lint'
          : lint.errors + lint.warnings === 0
            ? 'Lint: clean'
            : `Lint: ${lint.errors} error${lint.errors === 1 ? '' : 's'}, ${lint.warnings} warning${lint.warnings === 1 ? '' : 's'}`,
        command: 'contextForge.lintPrp',
        arguments: [document.uri],
      }),
    );
    for (const { line, level } of levels) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: `Run Level ${level}`,
          command: 'contextForge.runLevel',
          arguments: [document.uri, level],
        }),
      );
    }
    return lenses;
  }
}
