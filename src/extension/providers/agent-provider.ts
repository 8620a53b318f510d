/**
 * Which model runs the agent steps of a run started in VS Code: the Anthropic API with the key from SecretStorage
 * (or the environment), or a VS Code chat model (`vscode-lm`, only when one is installed). Both end up behind the
 * model-client port; the agent runtime (`AgentPort`) is built over it. When no provider can be built, `agent` is
 * undefined and `unavailable` says why and what to do — the run's agent steps then fail with that evidence while
 * its gates and `run:` steps still run.
 */
import * as vscode from 'vscode';
import type { AgentPort } from '../../core/ports/agent';
import type { ModelClient } from '../../core/ports/model-client';
import { createAnthropicClient } from '../../node/anthropic-client';
import { BaseUrlError, resolveAnthropicBaseUrl } from '../../node/anthropic-credentials';
import type { ApiKeyStore } from './api-key';
import { availableChatModels, VscodeLmClient } from './vscode-lm-client';

export interface AgentChoice {
  provider: string;
  client?: ModelClient;
  agent?: AgentPort;
  /** Why there is no agent, in words a user can act on. */
  unavailable?: string;
}

/** Builds the `AgentPort` over a model client; provided by the agent runtime. */
export type AgentRuntimeFactory = (client: ModelClient, model: string | undefined) => AgentPort;

export class AgentProvider {
  /** Set when the agent runtime is available in this build. */
  runtime: AgentRuntimeFactory | undefined;

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

  async choose(): Promise<AgentChoice> {
    const { provider, model, baseUrl } = this.config();
    let client: ModelClient;
    if (provider === 'vscode-lm') {
      const models = await availableChatModels(model || undefined);
      const chosen = models[0];
      if (!chosen) {
        return {
          provider,
          unavailable: `no VS Code chat model is installed${model ? ` for the family "${model}"` : ''}; install one, or set contextForge.agent.provider to "anthropic"`,
        };
      }
      client = new VscodeLmClient(chosen);
    } else {
      const key = await this.keys.get();
      if (!key) {
        return {
          provider,
          unavailable:
            'no Anthropic API key: run "Context Forge: Set API Key" (kept in SecretStorage) or set ANTHROPIC_API_KEY',
        };
      }
      let resolvedBase: string | undefined;
      try {
        resolvedBase = resolveAnthropicBaseUrl(process.env, baseUrl || undefined);
      } catch (err) {
        if (err instanceof BaseUrlError) return { provider, unavailable: err.message };
        throw err;
      }
      client = createAnthropicClient({
        apiKey: key.apiKey,
        apiKeySource: key.source,
        ...(resolvedBase ? { baseURL: resolvedBase } : {}),
      });
    }
    if (!this.runtime) {
      return {
        provider,
        client,
        unavailable: 'this build has no agent runtime yet: agent steps cannot run (gates and run: steps can)',
      };
    }
    return { provider, client, agent: this.runtime(client, model || undefined) };
  }
}
