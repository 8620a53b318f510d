/**
 * Which model runs the agent steps of a run started in VS Code, built through the shared agent factory
 * (`createAgentPort`): `anthropic` with the key from SecretStorage (or ANTHROPIC_API_KEY), `claude-code` / `codex`
 * (their CLIs, their own logins), or `vscode-lm` — a chat model installed in VS Code (offered only when one
 * exists) behind the same model-client port, driven by the same agent runtime. The agent's permission policy and
 * its approvals (modal dialogs) are the extension's. When no provider can be built, `agent` is undefined and
 * `unavailable` says why and what to do: the run's agent steps then fail with that evidence, its gates still run.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type AgentObserver, AgentRuntime } from '../../core/agent/agent-runtime';
import { ContextManager } from '../../core/agent/context/context-manager';
import type { OrchestrationSettings } from '../../core/config/settings';
import type { AgentPort } from '../../core/ports/agent';
import type { ApprovalsPort } from '../../core/ports/approvals';
import type { ModelClient } from '../../core/ports/model-client';
import { formatProblem, InputError } from '../../core/problems';
import type { Workspace } from '../../core/workspace';
import { createAgentPort, DEFAULT_MAX_TOKENS, ProviderConfigError, projectLinter } from '../../node/agent-factory';
import { BaseUrlError, resolveAnthropicBaseUrl } from '../../node/anthropic-credentials';
import { NodeClock } from '../../node/node-clock';
import { NodeProcessRunner } from '../../node/process-runner';
import { loadAgentPolicy } from './agent-policy';
import type { ApiKeyStore } from './api-key';
import { availableChatModels, VscodeLmClient } from './vscode-lm-client';

export const EXTENSION_PROVIDERS = ['anthropic', 'vscode-lm', 'claude-code', 'codex'] as const;

export interface AgentChoice {
  provider: string;
  agent?: AgentPort;
  /** One line: which provider, model and key source. */
  description?: string;
  /** Why there is no agent, in words a user can act on. */
  unavailable?: string;
}

export interface AgentContext {
  workspace: Workspace;
  approvals: ApprovalsPort;
  settings: OrchestrationSettings;
  observer?: AgentObserver;
}

export class AgentProvider {
  constructor(private readonly keys: ApiKeyStore) {}

  private config(): { provider: string; model: string; baseUrl: string } {
    const c = vscode.workspace.getConfiguration('contextForge');
    return {
      provider: c.get<string>('agent.provider', 'anthropic'),
      model: c.get<string>('agent.model', '').trim(),
      // Application scope: only the user's own setting is ever read.
      baseUrl: c.inspect<string>('anthropic.baseUrl')?.globalValue?.trim() ?? '',
    };
  }

  /** Checks what a run would get, without building anything (for messages and tests). */
  async probe(): Promise<AgentChoice> {
    const { provider, model, baseUrl } = this.config();
    if (provider === 'vscode-lm') {
      const models = await availableChatModels(model || undefined);
      return models[0]
        ? { provider, description: `VS Code chat model ${models[0].name} (${models[0].vendor}/${models[0].family})` }
        : {
            provider,
            unavailable: `no VS Code chat model is installed${model ? ` for the family "${model}"` : ''}; install one, or set contextForge.agent.provider to "anthropic"`,
          };
    }
    if (provider === 'anthropic') {
      if (!(await this.keys.get())) {
        return {
          provider,
          unavailable:
            'no Anthropic API key: run "Context Forge: Set API Key" (kept in SecretStorage) or set ANTHROPIC_API_KEY',
        };
      }
      try {
        resolveAnthropicBaseUrl(process.env, baseUrl || undefined);
      } catch (err) {
        if (err instanceof BaseUrlError) return { provider, unavailable: err.message };
        throw err;
      }
    }
    return { provider };
  }

  /** The agent for one run (its policy is read now: settings edited since apply to the next run). */
  async choose(context: AgentContext): Promise<AgentChoice> {
    const probe = await this.probe();
    if (probe.unavailable) return probe;
    const { provider, model, baseUrl } = this.config();
    let policy: Awaited<ReturnType<typeof loadAgentPolicy>>;
    try {
      policy = await loadAgentPolicy(context.workspace, context.approvals);
    } catch (err) {
      if (err instanceof InputError) {
        return { provider, unavailable: `invalid permission rules: ${err.problems.map(formatProblem).join('; ')}` };
      }
      throw err;
    }
    const common = {
      workspace: context.workspace,
      runner: new NodeProcessRunner(),
      clock: new NodeClock(),
      policy: policy.policy,
      approvals: context.approvals,
      session: policy.session,
    };
    if (provider === 'vscode-lm') {
      const chosen = (await availableChatModels(model || undefined))[0]!;
      const client: ModelClient = new VscodeLmClient(chosen);
      const agent = new AgentRuntime({
        ...common,
        mode: { interactive: true, yes: false },
        client,
        model: chosen.id,
        modelExplicit: true,
        maxTokens: Math.min(DEFAULT_MAX_TOKENS, chosen.maxInputTokens || DEFAULT_MAX_TOKENS),
        settings: context.settings,
        context: new ContextManager({
          workspace: context.workspace,
          runner: common.runner,
          now: () => common.clock.now(),
          refreshIntervalMs: context.settings.contextRefreshIntervalMs,
        }),
        lint: projectLinter(context.workspace, process.env.PATH),
        verify: { pathDirs: (process.env.PATH ?? '').split(path.delimiter).filter(Boolean) },
        ...(context.observer ? { observer: context.observer } : {}),
      });
      return { provider, agent, description: probe.description ?? 'VS Code chat model' };
    }
    const key = provider === 'anthropic' ? await this.keys.get() : undefined;
    try {
      const created = await createAgentPort({
        provider,
        ...(model ? { model } : {}),
        ...(key ? { apiKey: key } : {}),
        ...(baseUrl ? { baseURL: baseUrl } : {}),
        cwd: context.workspace.root,
        fs: context.workspace.fs,
        runner: common.runner,
        clock: common.clock,
        policy: common.policy,
        approvals: common.approvals,
        session: common.session,
        interactive: true,
        settings: context.settings,
        ...(context.observer ? { observer: context.observer } : {}),
      });
      return { provider, agent: created.agent, description: created.description };
    } catch (err) {
      if (err instanceof ProviderConfigError) return { provider, unavailable: err.message };
      throw err;
    }
  }
}
