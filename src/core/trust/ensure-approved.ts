/**
 * Commands that come from the project (PRP gates, workflow `run:` steps, hooks) run only after the user approved
 * them on this machine. The first time, the user sees the exact commands and answers once / always / no;
 * "always" is remembered outside the project, keyed by the project's canonical path and the SHA-256 of each
 * command's exact text — so editing a command (or cloning a repository whose gates changed) asks again.
 * `--yes` approves for this invocation only. Without a terminal and without `--yes`, nothing runs and the
 * caller gets the list of unapproved commands and how to approve them. A command containing invisible or
 * control characters can never be approved here (what the user reads would not be what runs).
 */

import { describeInvisible, makeVisible } from '../policy/visible';
import type { ApprovalStore, StoredApproval } from '../ports/approval-store';
import type { ApprovalAnswer, ApprovalsPort } from '../ports/approvals';
import { acceptedAnswer } from '../ports/approvals';
import type { FileSystem } from '../ports/file-system';
import { commandHash } from './command-hash';

export interface ProjectCommand {
  command: string;
  /** Where it comes from, for the prompt: `PRPs/auth.md (level 2)`, `.claude/orchestration.yaml: deploy`. */
  source?: string;
}

export interface EnsureApprovedOptions {
  /** The project root; its canonical path (realpath) keys the approvals. */
  projectRoot: string;
  commands: readonly (string | ProjectCommand)[];
  /** A human can be asked. */
  interactive: boolean;
  /** `--yes`: approve for this invocation, without asking and without remembering. */
  yes: boolean;
  store: ApprovalStore;
  /** Asks the user; required for an interactive approval. */
  approvals?: ApprovalsPort;
  fs: Pick<FileSystem, 'realPath'>;
  /** Shown in the prompt (which run or command wants them). */
  context?: string;
  signal?: AbortSignal;
  /** For tests: the time recorded with an approval. */
  now?: () => Date;
}

export interface EnsureApprovedResult {
  approved: boolean;
  /** Commands not approved (empty when `approved`). */
  pending: string[];
  /** Commands that can never be approved, with why. */
  refused: { command: string; reason: string }[];
  /** How the decision was made. */
  by: 'store' | 'yes' | 'user-once' | 'user-always' | 'declined' | 'no-terminal' | 'refused';
  /** When not approved: what the user can do. When approved but not remembered as asked: a warning. */
  message?: string;
}

export async function ensureApproved(options: EnsureApprovedOptions): Promise<EnsureApprovedResult> {
  const commands = dedupe(options.commands);
  const refused = commands
    .map((c) => ({ command: c.command, reason: describeInvisible(c.command) }))
    .filter((r): r is { command: string; reason: string } => r.reason !== undefined)
    .map((r) => ({ command: r.command, reason: `contains an invisible or control character (${r.reason})` }));
  if (refused.length > 0) {
    return {
      approved: false,
      pending: commands.map((c) => c.command),
      refused,
      by: 'refused',
      message: `refusing to run project commands that contain invisible or control characters:\n${refused
        .map((r) => `  ${makeVisible(r.command)}  — ${r.reason}`)
        .join('\n')}\nremove those characters from the file they come from.`,
    };
  }
  const key = await options.fs.realPath(options.projectRoot);
  const approved = await options.store.approvedHashes(key);
  const pending = commands.filter((c) => !approved.has(commandHash(c.command)));
  if (pending.length === 0) return { approved: true, pending: [], refused: [], by: 'store' };
  if (options.yes) return { approved: true, pending: [], refused: [], by: 'yes' };
  if (!options.interactive || !options.approvals) {
    return {
      approved: false,
      pending: pending.map((c) => c.command),
      refused: [],
      by: 'no-terminal',
      message: refusalMessage(key, pending, options.store.location),
    };
  }
  const request = {
    kind: 'project-commands' as const,
    commands: pending.map((c) => (c.source ? `${c.command}    # ${c.source}` : c.command)),
    reason: `these commands come from the project at ${key} and have not been approved on this machine${
      approved.size > 0 ? ' (new or changed since your last approval)' : ''
    }`,
    choices: ['allow-once', 'allow-always', 'deny'] as ApprovalAnswer[],
    ...(options.context ? { context: options.context } : {}),
  };
  let answer: ApprovalAnswer;
  try {
    answer = acceptedAnswer(request, await options.approvals.ask(request, options.signal));
  } catch {
    answer = 'deny';
  }
  if (answer === 'allow-once') return { approved: true, pending: [], refused: [], by: 'user-once' };
  if (answer === 'allow-always') {
    const at = (options.now ?? (() => new Date()))().toISOString();
    const records: StoredApproval[] = pending.map((c) => ({
      hash: commandHash(c.command),
      command: c.command,
      approvedAt: at,
    }));
    try {
      await options.store.remember(key, records);
      return { approved: true, pending: [], refused: [], by: 'user-always' };
    } catch (err) {
      return {
        approved: true,
        pending: [],
        refused: [],
        by: 'user-once',
        message: `approved for this run, but could not be remembered: ${(err as Error).message}`,
      };
    }
  }
  return {
    approved: false,
    pending: pending.map((c) => c.command),
    refused: [],
    by: 'declined',
    message: 'you declined to run the project commands',
  };
}

function dedupe(commands: readonly (string | ProjectCommand)[]): ProjectCommand[] {
  const seen = new Map<string, ProjectCommand>();
  for (const c of commands) {
    const pc = typeof c === 'string' ? { command: c } : c;
    if (!seen.has(pc.command)) seen.set(pc.command, pc);
  }
  return [...seen.values()];
}

function refusalMessage(project: string, pending: readonly ProjectCommand[], location: string): string {
  const list = pending
    .map((c, i) => `  ${String(i + 1).padStart(2)}. ${makeVisible(c.command)}${c.source ? `    (${c.source})` : ''}`)
    .join('\n');
  const n = pending.length;
  return (
    `${n} project command${n === 1 ? ' has' : 's have'} not been approved on this machine for ${project}:\n${list}\n` +
    'Nothing was run. To approve: run the same command once in a terminal and answer the prompt ' +
    `("always" remembers the approval in ${location}), or pass --yes to approve them for this run only.`
  );
}
