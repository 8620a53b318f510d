/**
 * The approvals port: how the harness asks a human. The CLI prompts on the terminal (`src/cli/tty-approvals.ts`),
 * the extension shows a modal dialog. An implementation must show `command`/`path`/`commands` exactly (with
 * invisible characters made visible — `makeVisible` in `src/core/policy/visible.ts`), never a summary, and must
 * answer `deny` when nobody can answer (no terminal, dialog dismissed, cancelled).
 */

/** `allow-session`: for the rest of this run; `allow-always`: remembered (project commands only). */
export type ApprovalAnswer = 'allow-once' | 'allow-session' | 'allow-always' | 'deny';

export type ApprovalKind =
  /** The agent wants to run a shell command. */
  | 'command'
  /** The agent wants to read a file or directory. */
  | 'read'
  /** The agent wants to write a file. */
  | 'write'
  /** The project's own commands (gates, `run:` steps, hooks) need a first approval. */
  | 'project-commands';

export interface ApprovalRequest {
  kind: ApprovalKind;
  /** The exact command line (kind `command`). */
  command?: string;
  /** The path as requested (kinds `read`/`write`). */
  path?: string;
  /** The exact commands (kind `project-commands`). */
  commands?: readonly string[];
  /** Why the policy asks, in one or two sentences. */
  reason: string;
  /** Who asks and where: the run, step, PRP or project. */
  context?: string;
  /** The answers the user may give; anything else counts as `deny`. */
  choices: readonly ApprovalAnswer[];
}

export interface ApprovalsPort {
  ask(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer>;
}

/** An answer outside the offered choices is a refusal. */
export function acceptedAnswer(request: ApprovalRequest, answer: ApprovalAnswer): ApprovalAnswer {
  return request.choices.includes(answer) ? answer : 'deny';
}
