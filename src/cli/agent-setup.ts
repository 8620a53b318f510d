/**
 * The model provider of a run: `--provider`, `--model`, `--record`, `--cassette`, `--max-context-tokens`,
 * `--max-turns` and the permission flags (`--allow/--ask/--deny`), turned into the engine's AgentPort by
 * `createAgentPort`. With nothing configured (no flag, no key in the environment) there is no agent: agent
 * steps then fail with the engine's "no model provider configured" message, and shell-only workflows still run.
 *
 * The agent's progress (tool calls, refusals, retries, its final words) is printed as it happens; a replay says
 * so before anything runs.
 */
import type { Command } from 'commander';
import type { AgentObserver } from '../core/agent/agent-runtime';
import type { Settings } from '../core/config/settings';
import { moveCompletedPrp } from '../core/prp-lifecycle/move-completed';
import { type CreatedAgent, createAgentPort, PROVIDERS, ProviderConfigError } from '../node/agent-factory';
import { resolveAnthropicApiKey } from '../node/anthropic-credentials';
import { NodeClock } from '../node/node-clock';
import { NodeProcessRunner } from '../node/process-runner';
import type { CliContext } from './context';
import { UsageError } from './errors';
import { addPolicyOptions, loadPolicy, type PolicyFlags } from './policy-setup';

export interface AgentFlags extends PolicyFlags {
  provider?: string;
  model?: string;
  record?: string;
  cassette?: string;
  maxContextTokens?: number;
  maxTurns?: number;
  maxTokens?: number;
  temperature?: number;
  /** `--yes`: approves the project's own commands, never the agent's asks. */
  yes?: boolean;
  /** Machine-readable output follows: progress goes to stderr. */
  json?: boolean;
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} expects a positive whole number, got "${value}"`);
    return n;
  };
}

function unitInterval(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`--temperature expects a number from 0 to 1, got "${value}"`);
  }
  return n;
}

export function addAgentOptions(cmd: Command): Command {
  addPolicyOptions(cmd);
  return cmd
    .option(
      '--provider <name>',
      `model provider: ${PROVIDERS.join(', ')} (default: anthropic when ANTHROPIC_API_KEY is set)`,
    )
    .option(
      '--model <id>',
      'model id for the provider (default for anthropic: the command’s `model:`, else claude-sonnet-5-5)',
    )
    .option('--record <file>', "record the run's model exchanges to a cassette (with the anthropic provider)")
    .option('--cassette <file>', 'with --provider replay: the recorded run to replay (no key, no model calls)')
    .option(
      '--max-context-tokens <n>',
      'refuse to start an agent step whose context (CLAUDE.md, PRP, docs…) is larger',
      positiveInt('--max-context-tokens'),
    )
    .option('--max-turns <n>', 'model turns per agent round (default 40)', positiveInt('--max-turns'))
    .option('--max-tokens <n>', 'output tokens per model response (default 16384)', positiveInt('--max-tokens'))
    .option(
      '--temperature <t>',
      'sampling temperature 0–1 (older models only; newer ones use their default)',
      unitInterval,
    );
}

/** Whether the user configured any provider (a flag, a cassette, or a key in the environment). */
export function providerConfigured(flags: AgentFlags, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(flags.provider || flags.cassette || flags.record || resolveAnthropicApiKey(env));
}

/** Prints the agent's progress under the step lines. */
export function agentPrinter(ctx: CliContext, quiet: boolean): AgentObserver {
  const say = quiet ? (t: string) => ctx.out.err(t) : (t: string) => ctx.out.out(t);
  const s = ctx.out.style;
  const short = (text: string, max = 120) => {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
  };
  return {
    onToolCall(_step, r) {
      const target = String(r.input.path ?? r.input.command ?? r.input.pattern ?? '');
      if (r.outcome === 'refused')
        say(s('yellow', `    ✗ ${r.name} ${short(target, 80)} — ${short(r.reason ?? 'refused')}`));
      else if (r.outcome !== 'ran')
        say(s('yellow', `    ✗ ${r.name}: ${r.outcome === 'invalid' ? 'invalid input' : 'unknown tool'}`));
      else say(s('dim', `    · ${r.name} ${short(target, 100)}${r.isError ? ' (error)' : ''}`));
    },
    onRetry(_step, info) {
      say(
        s(
          'yellow',
          `    ↻ model request failed (${info.reason}); retrying in ${Math.round(info.delayMs / 100) / 10} s`,
        ),
      );
    },
    onWarning(_step, message) {
      ctx.out.err(`${s('yellow', 'warning')}: ${message}`);
    },
    onMessage(_step, text) {
      say(s('dim', `    » ${short(text, 300)}`));
    },
  };
}

/** The agent with what the host needs around it (its description, preflight, recording counts). */
export async function createCliAgent(
  ctx: CliContext,
  flags: AgentFlags,
  settings: Settings,
): Promise<CreatedAgent | undefined> {
  if (!providerConfigured(flags)) return undefined;
  const loaded = await loadPolicy(ctx, flags);
  for (const w of loaded.warnings) ctx.out.err(`${ctx.out.style('yellow', 'warning')}: ${w}`);
  let created: CreatedAgent;
  try {
    created = await createAgentPort({
      ...(flags.provider ? { provider: flags.provider } : {}),
      ...(flags.model ? { model: flags.model } : {}),
      ...(flags.record ? { record: flags.record } : {}),
      ...(flags.cassette ? { cassette: flags.cassette } : {}),
      ...(flags.maxContextTokens ? { maxContextTokens: flags.maxContextTokens } : {}),
      ...(flags.maxTurns ? { maxTurns: flags.maxTurns } : {}),
      ...(flags.maxTokens ? { maxTokens: flags.maxTokens } : {}),
      ...(flags.temperature !== undefined ? { temperature: flags.temperature } : {}),
      cwd: ctx.root,
      fs: ctx.workspace.fs,
      runner: new NodeProcessRunner(),
      clock: new NodeClock(),
      policy: loaded.policy,
      approvals: loaded.approvals,
      session: loaded.session,
      interactive: ctx.interactive,
      yes: Boolean(flags.yes),
      settings: settings.orchestration,
      observer: agentPrinter(ctx, Boolean(flags.json)),
    });
  } catch (err) {
    if (err instanceof ProviderConfigError) throw new UsageError(err.message);
    throw err;
  }
  const label = created.provider === 'replay' ? ctx.out.style('magenta', 'Agent (REPLAY)') : 'Agent';
  ctx.out.err(`${label}: ${created.description}`);
  if (created.cassette?.note) ctx.out.err(ctx.out.style('dim', `  ${created.cassette.note}`));
  return created;
}

/**
 * `--max-context-tokens` before a run starts: an agent step whose fixed context (system prompt, tools, CLAUDE.md,
 * the PRP and its docfiles, the command) is over the limit is refused with exit 2, naming the biggest parts.
 */
export async function preflightOrRefuse(created: CreatedAgent, command: string, argsText: string): Promise<void> {
  if (!created.preflight) return;
  const pre = await created.preflight(command, argsText);
  if ('error' in pre) throw new UsageError(pre.error);
  if (!pre.verdict.ok) throw new UsageError(pre.verdict.message);
}

/**
 * After a passed `run-prp`: the PRP moves to `PRPs/completed/` (never overwriting an older one there: `name-2.md`…).
 * Returns the new path, or undefined when it was not moved (a warning says why).
 */
export async function finishPrp(ctx: CliContext, prp: string): Promise<string | undefined> {
  const moved = await moveCompletedPrp(ctx.workspace, prp);
  if (moved.ok) return moved.to;
  ctx.out.err(`${ctx.out.style('yellow', 'warning')}: ${moved.message}`);
  return undefined;
}
