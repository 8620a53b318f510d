/**
 * `createAgentPort`: from the user's choice of provider to the engine's `AgentPort`, shared by the CLI and the
 * extension.
 *
 * | provider      | what runs                                              | credentials                          |
 * |---------------|--------------------------------------------------------|--------------------------------------|
 * | `anthropic`   | our tool loop over @anthropic-ai/sdk (the default when a key is set) | `ANTHROPIC_API_KEY` or `CLAUDE_API_KEY` (CLI), SecretStorage (extension) |
 * | `claude-code` | the `claude` CLI headless, its own tool loop           | Claude Code's own login               |
 * | `codex`       | `codex exec --json`, its own tool loop                 | Codex's own login                     |
 * | `replay`      | our tool loop, model answers from a recorded cassette  | none                                  |
 *
 * `record` (anthropic only) writes the run's model exchanges to a cassette after every answered request
 * (atomically, so a parked or interrupted run still leaves a valid cassette). The key and base URL come from
 * the environment (or the caller's user-level setting) only — never from project files.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { type AgentObserver, AgentRuntime } from '../core/agent/agent-runtime';
import {
  type Cassette,
  CassettePlayer,
  CassetteRecorder,
  parseCassette,
  serializeCassette,
} from '../core/agent/cassette';
import { ContextManager } from '../core/agent/context/context-manager';
import type { PriceTable } from '../core/agent/cost';
import { ExternalAgentRuntime } from '../core/agent/external-agent';
import type { ModelRetryPolicy } from '../core/agent/model-retry';
import type { PrpLinter } from '../core/agent/prp-lint';
import type { OrchestrationSettings } from '../core/config/settings';
import { lintPrp } from '../core/lint';
import type { SessionApprovals } from '../core/policy/enforce';
import type { PermissionPolicy } from '../core/policy/policy';
import type { AgentPort } from '../core/ports/agent';
import type { ApprovalsPort } from '../core/ports/approvals';
import type { Clock } from '../core/ports/clock';
import type { FileSystem } from '../core/ports/file-system';
import type { ModelClient } from '../core/ports/model-client';
import type { ProcessRunner } from '../core/ports/process-runner';
import { InputError } from '../core/problems';
import { loadProjectFacts } from '../core/project/load-facts';
import { Workspace } from '../core/workspace';
import { AnthropicModelClient } from './anthropic-client';
import { BaseUrlError, resolveAnthropicApiKey, resolveAnthropicBaseUrl } from './anthropic-credentials';
import { NodeProgramResolver } from './node-program-resolver';
import { ClaudeCodeAgent } from './providers/claude-code';
import { CodexAgent } from './providers/codex';

export const PROVIDERS = ['anthropic', 'claude-code', 'codex', 'replay'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** The model used with `anthropic` when neither a flag nor the command's frontmatter names one. */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_MAX_TOKENS = 16_384;

export const NO_PROVIDER_MESSAGE =
  'no model provider configured: set ANTHROPIC_API_KEY (or CLAUDE_API_KEY), or pass --provider claude-code, ' +
  '--provider codex, or --provider replay --cassette <file>';

/** A provider choice that cannot work (unknown name, no key, a cassette that does not exist…). */
export class ProviderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export interface CreateAgentOptions {
  /** `undefined`: `replay` when a cassette is given, else `anthropic` when a key is set, else an error. */
  provider?: string;
  /** Explicit model; wins over a command's frontmatter `model:`. */
  model?: string;
  maxTokens?: number;
  temperature?: number;
  /** Model turns per agent round. */
  maxTurns?: number;
  /** The project root (absolute). */
  cwd: string;
  fs: FileSystem;
  runner: ProcessRunner;
  clock: Clock;
  policy: PermissionPolicy;
  approvals?: ApprovalsPort;
  session?: SessionApprovals;
  /** A human can answer approval prompts. */
  interactive: boolean;
  /** `--yes` (it never approves the agent's asks; passed for completeness of the run mode). */
  yes?: boolean;
  /** Where keys, base URL and PATH come from (default `process.env`). */
  env?: Env;
  /** A user-level base URL setting (never a project one). */
  baseURL?: string;
  /** Key from the extension's SecretStorage (wins over the environment). */
  apiKey?: { apiKey: string; source: string };
  /** Record the model exchanges to this cassette file. */
  record?: string;
  /** A note stored in the recorded cassette (what was recorded, against what). */
  recordNote?: string;
  /** Replay this cassette (`provider: 'replay'`). */
  cassette?: string;
  settings?: Pick<OrchestrationSettings, 'defaultTemplate' | 'contextRefreshIntervalMs'> &
    Partial<Pick<OrchestrationSettings, 'agent'>>;
  /** `--max-context-tokens`: refuse to start a conversation whose fixed context is larger. */
  maxContextTokens?: number;
  /** Warn above this many context tokens. */
  contextBudgetTokens?: number;
  /** How `/prp-create` checks the PRP it wrote (default: our `lint`, the same as `codex-context-forge lint`). */
  lint?: PrpLinter;
  observer?: AgentObserver;
  retryPolicy?: Partial<ModelRetryPolicy>;
  prices?: PriceTable;
  /** Environment added for the claude/codex processes (tests put fake executables on PATH). */
  providerEnv?: Readonly<Record<string, string>>;
}

export interface CreatedAgent {
  agent: AgentPort;
  provider: ProviderName;
  model?: string;
  /** One line for the user: which provider, model, key source; replays say so. */
  description: string;
  /** The cassette being replayed, when replaying. */
  cassette?: Cassette;
  /** Exchanges recorded so far (when recording). */
  recorded(): number;
  /** Replays: conversations with recorded turns this run did not use (the run ended earlier than the recording). */
  unplayed(): Array<{ key: string; count: number }>;
  /**
   * The context-budget preflight of `/command args` (our own tool loop only; CLI agents load their context
   * themselves): hosts call it before starting a run so `--max-context-tokens` refuses up front.
   */
  preflight?(command: string, argsText: string): ReturnType<AgentRuntime['preflight']>;
}

/** Our lint as the `/prp-create` harness uses it: facts for `## IF` blocks, gate programs looked up on PATH. */
export function projectLinter(workspace: Workspace, pathEnv?: string): PrpLinter {
  return async (prp) => {
    const facts = await loadProjectFacts(workspace);
    const report = await lintPrp(workspace, prp, { facts, programs: new NodeProgramResolver(pathEnv) });
    return report.problems;
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function pickProvider(options: CreateAgentOptions, env: Env): ProviderName {
  const given = options.provider?.trim();
  if (given) {
    if (!(PROVIDERS as readonly string[]).includes(given)) {
      throw new ProviderConfigError(`unknown provider "${given}": choose one of ${PROVIDERS.join(', ')}`);
    }
    return given as ProviderName;
  }
  if (options.cassette) return 'replay';
  if (options.apiKey || resolveAnthropicApiKey(env)) return 'anthropic';
  throw new ProviderConfigError(NO_PROVIDER_MESSAGE);
}

async function loadCassette(fs: FileSystem, file: string): Promise<Cassette> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new ProviderConfigError(`cannot read the cassette ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  const parsed = parseCassette(bytes, file);
  if (!parsed.value) throw new InputError(parsed.problems);
  return parsed.value;
}

export async function createAgentPort(options: CreateAgentOptions): Promise<CreatedAgent> {
  const env = options.env ?? process.env;
  const provider = pickProvider(options, env);
  const workspace = new Workspace(options.cwd, options.fs);
  const mode = { interactive: options.interactive, yes: Boolean(options.yes) };
  if (options.record && provider !== 'anthropic') {
    throw new ProviderConfigError(`--record needs --provider anthropic (the provider is ${provider})`);
  }
  if (options.cassette && provider !== 'replay') {
    throw new ProviderConfigError(`--cassette is for --provider replay (the provider is ${provider})`);
  }
  const budget = {
    ...(options.maxContextTokens !== undefined ? { maxTokens: options.maxContextTokens } : {}),
    ...(options.contextBudgetTokens !== undefined ? { warnTokens: options.contextBudgetTokens } : {}),
  };
  const noRecording = { recorded: () => 0, unplayed: () => [] };
  const lint = options.lint ?? projectLinter(workspace, env.PATH);

  if (provider === 'claude-code' || provider === 'codex') {
    const external =
      provider === 'claude-code'
        ? new ClaudeCodeAgent({
            runner: options.runner,
            clock: options.clock,
            ...(options.providerEnv ? { env: options.providerEnv } : {}),
          })
        : new CodexAgent({
            runner: options.runner,
            clock: options.clock,
            ...(options.providerEnv ? { env: options.providerEnv } : {}),
          });
    const agent = new ExternalAgentRuntime({
      agent: external,
      workspace,
      clock: options.clock,
      ...(options.model
        ? { model: options.model, modelExplicit: true }
        : options.settings?.agent?.model
          ? { model: options.settings.agent?.model }
          : {}),
      ...((options.maxTurns ?? options.settings?.agent?.maxTurns)
        ? { maxTurns: options.maxTurns ?? options.settings?.agent?.maxTurns }
        : {}),
      ...(options.settings ? { defaultTemplate: options.settings.defaultTemplate } : {}),
      lint,
      ...(options.prices ? { prices: options.prices } : {}),
      onWarning: (id, m) => options.observer?.onWarning?.(id, m),
      onMessage: (id, m) => options.observer?.onMessage?.(id, m),
      hash: sha256,
    });
    return {
      agent,
      provider,
      ...(options.model ? { model: options.model } : {}),
      description: `${provider} (${provider === 'claude-code' ? 'the claude CLI' : 'codex exec'}${options.model ? `, model ${options.model}` : ''}; it enforces its own tool permissions)`,
      ...noRecording,
    };
  }

  let clientFor: (key: string) => ModelClient;
  let model: string;
  let description: string;
  let recorder: CassetteRecorder | undefined;
  let player: CassettePlayer | undefined;
  if (provider === 'replay') {
    if (!options.cassette) throw new ProviderConfigError('--provider replay needs --cassette <file>');
    const file = path.resolve(options.cwd, options.cassette);
    const cassette = await loadCassette(options.fs, file);
    player = new CassettePlayer(cassette, path.basename(file));
    clientFor = (key) => player!.clientFor(key);
    model = cassette.model;
    description = `REPLAY of ${options.cassette} (recorded ${cassette.recordedAt} from ${cassette.provider}, model ${cassette.model}) — no model is called; the tools and gates run for real`;
  } else {
    const key = options.apiKey ?? resolveAnthropicApiKey(env);
    if (!key) throw new ProviderConfigError(NO_PROVIDER_MESSAGE);
    let baseURL: string | undefined;
    try {
      baseURL = resolveAnthropicBaseUrl(env, options.baseURL);
    } catch (err) {
      if (err instanceof BaseUrlError) throw new ProviderConfigError(err.message);
      throw err;
    }
    const client = new AnthropicModelClient({
      apiKey: key.apiKey,
      apiKeySource: key.source,
      ...(baseURL ? { baseURL } : {}),
      now: () => options.clock.now(),
    });
    // An explicit --model wins over a command's frontmatter `model:`; the settings' model is only a default.
    model = options.model ?? options.settings?.agent?.model ?? DEFAULT_ANTHROPIC_MODEL;
    const about = [`model ${model}`, `key from ${key.source}`, ...(baseURL ? [`base URL ${baseURL}`] : [])];
    clientFor = () => client;
    if (options.record) {
      const out = path.resolve(options.cwd, options.record);
      const rec = new CassetteRecorder(
        {
          provider: 'anthropic',
          model,
          now: () => options.clock.now(),
          ...(options.recordNote ? { note: options.recordNote } : {}),
        },
        [key.apiKey],
      );
      recorder = rec;
      let writes = Promise.resolve();
      clientFor = (k) => {
        const wrapped = rec.wrap(k, client);
        return {
          provider: wrapped.provider,
          stream: async (request, callOptions) => {
            const outcome = await wrapped.stream(request, callOptions);
            if (outcome.ok) {
              writes = writes.then(() => options.fs.writeFileAtomic(out, serializeCassette(rec.toCassette())));
              await writes;
            }
            return outcome;
          },
        };
      };
      about.push(`recording to ${options.record}`);
    }
    description = `anthropic (${about.join(', ')})`;
  }

  const context = new ContextManager({
    workspace,
    runner: options.runner,
    now: () => options.clock.now(),
    refreshIntervalMs: options.settings?.contextRefreshIntervalMs ?? 30 * 60_000,
  });
  const agent = new AgentRuntime({
    workspace,
    runner: options.runner,
    clock: options.clock,
    policy: options.policy,
    ...(options.approvals ? { approvals: options.approvals } : {}),
    mode,
    ...(options.session ? { session: options.session } : {}),
    client: clientFor,
    model,
    modelExplicit: Boolean(options.model) || provider === 'replay',
    maxTokens: options.maxTokens ?? options.settings?.agent?.maxTokens ?? DEFAULT_MAX_TOKENS,
    ...((options.temperature ?? options.settings?.agent?.temperature) !== undefined
      ? { temperature: options.temperature ?? options.settings?.agent?.temperature }
      : {}),
    ...((options.maxTurns ?? options.settings?.agent?.maxTurns)
      ? { maxTurns: options.maxTurns ?? options.settings?.agent?.maxTurns }
      : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    context,
    lint,
    budget,
    ...(options.prices ? { prices: options.prices } : {}),
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
    verify: { pathDirs: (env.PATH ?? '').split(path.delimiter).filter(Boolean) },
    ...(options.observer ? { observer: options.observer } : {}),
  });
  return {
    agent,
    provider,
    model,
    description,
    ...(player ? { cassette: player.cassette } : {}),
    recorded: () => recorder?.size ?? 0,
    unplayed: () => player?.unplayed() ?? [],
    preflight: (command, argsText) => agent.preflight(command, argsText),
  };
}
