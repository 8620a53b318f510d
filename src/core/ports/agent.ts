/**
 * The agent port: how an `agent` step reaches a model. The engine gives it a slash command and its
 * arguments (plus, in fix rounds, the harness's failure evidence); the agent works with its tools and
 * reports usage. It never reports gate results — the harness runs the gates itself.
 */
import type { Usage } from '../run/events';

export interface AgentRequest {
  stepId: string;
  attempt: number;
  /** Slash command name without the slash. */
  command: string;
  argsText: string;
  /** Positional arguments for `$1`…`$9` (else `argsText` is split the shell way). */
  args?: string[];
  /** What the harness observed in the previous round (failed levels, diagnostics, output tails). */
  feedback?: string;
  signal: AbortSignal;
  onText?: (text: string) => void;
}

export interface AgentResult {
  status: 'completed' | 'failed' | 'parked';
  usage?: Usage;
  model?: string;
  /** Why it failed, in words a user can act on. */
  error?: string;
  /** With `parked`: when the run may continue (ms since the epoch), e.g. after a rate limit. */
  parkedUntil?: number;
}

export interface AgentPort {
  run(request: AgentRequest): Promise<AgentResult>;
}
