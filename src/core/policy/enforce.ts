/**
 * From a policy decision to "run it" or "refuse it", including who may say yes. `settle` is the single place
 * that decides what `--yes` and the absence of a terminal mean; keep it small enough to audit at a glance.
 */
import { type ApprovalAnswer, type ApprovalRequest, type ApprovalsPort, acceptedAnswer } from '../ports/approvals';
import type { PolicyDecision } from './policy';

/** Who wants the action: the model (`agent`), or the project's own reviewed commands (`project`). */
export type Origin = 'agent' | 'project';

export interface RunMode {
  /** A human can be asked (a TTY in the CLI, a window in the extension). */
  interactive: boolean;
  /** `--yes` was given. */
  yes: boolean;
}

export type Settled = 'allow' | 'prompt' | 'deny';

/**
 * The whole rule, in order:
 * 1. deny stays deny — no flag, prompt or approval overrides it;
 * 2. allow stays allow (an allow rule, a built-in default, or an approved project command matched);
 * 3. an ask for the project's own commands is approved by `--yes` (never an ask of the agent);
 * 4. otherwise a human decides when one can be asked;
 * 5. otherwise (non-interactive, no matching allow rule) the ask is a deny.
 */
export function settle(decision: Pick<PolicyDecision, 'decision'>, origin: Origin, mode: RunMode): Settled {
  if (decision.decision === 'deny') return 'deny';
  if (decision.decision === 'allow') return 'allow';
  if (origin === 'project' && mode.yes) return 'allow';
  if (mode.interactive) return 'prompt';
  return 'deny';
}

/** Exact commands and paths the user allowed for the rest of this run ("allow for this session"). */
export class SessionApprovals {
  private readonly keys = new Set<string>();
  has(key: string): boolean {
    return this.keys.has(key);
  }
  add(key: string): void {
    this.keys.add(key);
  }
  get size(): number {
    return this.keys.size;
  }
}

export interface EnforceRequest {
  decision: PolicyDecision;
  origin: Origin;
  mode: RunMode;
  /** What is asked about: a command, or a tool's path. */
  kind: 'command' | 'read' | 'write';
  /** The exact command or path the decision is about (the session key). */
  target: string;
  approvals?: ApprovalsPort;
  session?: SessionApprovals;
  context?: string;
  signal?: AbortSignal;
}

export interface Enforced {
  allowed: boolean;
  /** For the model (as a tool error) and the log. */
  reason: string;
  /** How it was decided. */
  by: 'policy' | 'yes' | 'session' | 'user' | 'no-terminal';
}

/** Applies `settle`, consults this session's approvals, and asks the user when allowed to. */
export async function enforce(req: EnforceRequest): Promise<Enforced> {
  const { decision } = req;
  const settled = settle(decision, req.origin, req.mode);
  if (settled === 'allow') {
    return { allowed: true, reason: decision.reason, by: decision.decision === 'allow' ? 'policy' : 'yes' };
  }
  if (settled === 'deny') {
    if (decision.decision === 'deny') return { allowed: false, reason: `refused: ${decision.reason}`, by: 'policy' };
    const how = decision.neverAuto
      ? 'it needs a person to approve it, and this run is not interactive'
      : `this run is not interactive; to allow it, add an allow rule${decision.suggestion ? ` such as --allow '${decision.suggestion}'` : ''}, or run interactively`;
    return { allowed: false, reason: `not approved: ${decision.reason} (${how})`, by: 'no-terminal' };
  }
  const key = `${req.kind}\u0000${req.target}`;
  if (!decision.neverAuto && req.session?.has(key)) {
    return { allowed: true, reason: 'approved earlier in this session', by: 'session' };
  }
  if (!req.approvals)
    return { allowed: false, reason: `not approved: ${decision.reason} (nobody to ask)`, by: 'no-terminal' };
  const request: ApprovalRequest = {
    kind: req.kind,
    reason: decision.reason,
    // A never-auto ask may only be approved once: remembering it would make it automatic next time.
    choices: decision.neverAuto ? ['allow-once', 'deny'] : ['allow-once', 'allow-session', 'deny'],
  };
  if (req.kind === 'command') request.command = req.target;
  else request.path = req.target;
  if (req.context) request.context = req.context;
  let answer: ApprovalAnswer;
  try {
    answer = acceptedAnswer(request, await req.approvals.ask(request, req.signal));
  } catch {
    answer = 'deny';
  }
  if (answer === 'allow-session') req.session?.add(key);
  if (answer === 'allow-once' || answer === 'allow-session')
    return { allowed: true, reason: 'approved by you', by: 'user' };
  return { allowed: false, reason: `you declined: ${decision.reason}`, by: 'user' };
}
