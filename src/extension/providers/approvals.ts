/**
 * The approvals port as modal dialogs: the exact commands (invisible characters made visible), why they are asked
 * for, and one button per allowed answer. Closing the dialog, or a dialog VS Code does not show, is a refusal.
 */
import * as vscode from 'vscode';
import { makeVisible } from '../../core/policy/visible';
import {
  type ApprovalAnswer,
  type ApprovalRequest,
  type ApprovalsPort,
  acceptedAnswer,
} from '../../core/ports/approvals';

const LABELS: Record<Exclude<ApprovalAnswer, 'deny'>, string> = {
  'allow-once': 'Allow Once',
  'allow-session': 'Allow for This Run',
  'allow-always': 'Always Allow',
};

export function approvalDetail(request: ApprovalRequest): string {
  const lines: string[] = [];
  if (request.context) lines.push(request.context, '');
  if (request.command !== undefined) lines.push(makeVisible(request.command));
  if (request.path !== undefined) lines.push(makeVisible(request.path));
  for (const c of request.commands ?? []) lines.push(`• ${makeVisible(c)}`);
  lines.push('', request.reason);
  return lines.join('\n');
}

function title(request: ApprovalRequest): string {
  switch (request.kind) {
    case 'project-commands':
      return `Run ${request.commands?.length ?? 0} command(s) from this project?`;
    case 'command':
      return 'The agent wants to run a command';
    case 'read':
      return 'The agent wants to read a file';
    case 'write':
      return 'The agent wants to write a file';
  }
}

export class DialogApprovals implements ApprovalsPort {
  /** Every request shown (for the log and the tests). */
  readonly asked: ApprovalRequest[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {}

  async ask(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    this.asked.push(request);
    if (signal?.aborted) return 'deny';
    const choices = request.choices.filter((c): c is Exclude<ApprovalAnswer, 'deny'> => c !== 'deny');
    const labels = choices.map((c) => LABELS[c]);
    this.log.info(`approval asked: ${title(request)}\n${approvalDetail(request)}`);
    const pick = await vscode.window.showWarningMessage(
      title(request),
      { modal: true, detail: approvalDetail(request) },
      ...labels,
    );
    const index = pick === undefined ? -1 : labels.indexOf(pick);
    const answer = index >= 0 ? choices[index]! : 'deny';
    this.log.info(`approval answer: ${answer}`);
    return acceptedAnswer(request, answer);
  }
}
