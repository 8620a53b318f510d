/**
 * The model provider of a run: `--provider`, `--model`… flags and the factory that turns them into the
 * engine's AgentPort. With no provider configured, agent steps fail with a clear message (the engine's).
 */
import type { Command } from 'commander';
import type { Settings } from '../core/config/settings';
import type { AgentPort } from '../core/ports/agent';
import type { CliContext } from './context';
import { UsageError } from './errors';

export interface AgentFlags {
  provider?: string;
  model?: string;
}

export function addAgentOptions(cmd: Command): Command {
  return cmd
    .option('--provider <name>', 'model provider: anthropic, claude-code, codex or replay')
    .option('--model <id>', 'model id for the provider');
}

export async function createRunAgent(
  _ctx: CliContext,
  flags: AgentFlags,
  _settings: Settings,
): Promise<AgentPort | undefined> {
  if (flags.provider) throw new UsageError(`provider "${flags.provider}" is not available in this build`);
  return undefined;
}

/** After a passed `run-prp`: the PRP moves to `PRPs/completed/`. Returns the new path, or undefined. */
export async function finishPrp(ctx: CliContext, prp: string): Promise<string | undefined> {
  if (!prp.startsWith('PRPs/') || prp.startsWith('PRPs/completed/')) return undefined;
  const target = `PRPs/completed/${prp.slice('PRPs/'.length)}`;
  const from = await ctx.workspace.resolveInside(prp);
  const to = await ctx.workspace.resolveInside(target);
  if (await ctx.workspace.fs.stat(to)) return undefined;
  await ctx.workspace.fs.mkdir(ctx.workspace.abs(target.slice(0, target.lastIndexOf('/'))));
  await ctx.workspace.fs.rename(from, to);
  return target;
}
