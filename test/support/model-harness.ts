/**
 * Wiring for model tests: the fake Messages API, the real Anthropic client pointed at it, a fake clock
 * shared by the server (cache TTLs, reset headers) and the retry layer, and request builders.
 */
import type { ModelMessage, ModelRequest, ModelStreamEvent, ToolDefinition } from '../../src/core/ports/model-client';
import { type AnthropicClientOptions, AnthropicModelClient } from '../../src/node/anthropic-client';
import { FakeAnthropic, type FakeAnthropicOptions } from './fake-anthropic';
import { FakeClock } from './fake-clock';

export interface Harness {
  fake: FakeAnthropic;
  client: AnthropicModelClient;
  clock: FakeClock;
  events: ModelStreamEvent[];
  stop(): Promise<void>;
}

/** The harness clock starts here (so "start of next month" etc. are fixed in tests). */
export const HARNESS_START = Date.UTC(2026, 10, 27, 13, 0, 0);

export async function startHarness(
  options: { fake?: FakeAnthropicOptions; client?: Partial<AnthropicClientOptions>; randoms?: number[] } = {},
): Promise<Harness> {
  const clock = new FakeClock(HARNESS_START, options.randoms);
  const fake = await FakeAnthropic.start({ now: () => clock.now(), ...options.fake });
  const client = new AnthropicModelClient({
    apiKey: fake.apiKey,
    apiKeySource: 'ANTHROPIC_API_KEY',
    baseURL: fake.baseURL,
    now: () => clock.now(),
    ...options.client,
  });
  return { fake, client, clock, events: [], stop: () => fake.stop() };
}

export const MODEL = 'claude-sonnet-5-5';

export function userRequest(text: string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return { model: MODEL, maxTokens: 1024, messages: [{ role: 'user', content: text }], ...extra };
}

/** Deterministic filler prose of about `tokens` approximate tokens (4 ASCII bytes each). */
export function prose(label: string, tokens: number): string {
  const sentence = `${label}: keep functions small, name things for what they do, and test behaviour not implementation. `;
  let out = '';
  while (out.length < tokens * 4) out += sentence;
  return out.slice(0, tokens * 4);
}

/** The agent's tool set, shaped like the real one (names, descriptions, JSON schemas). */
export function agentTools(): ToolDefinition[] {
  const tool = (name: string, description: string, properties: Record<string, unknown>): ToolDefinition => ({
    name,
    description: `${description} ${prose(name, 150)}`,
    inputSchema: { type: 'object', properties, required: Object.keys(properties), additionalProperties: false },
  });
  const tools = [
    tool('read_file', 'Read a file of the project.', { path: { type: 'string' } }),
    tool('list_dir', 'List a directory of the project.', { path: { type: 'string' } }),
    tool('glob', 'Find files by glob pattern.', { pattern: { type: 'string' } }),
    tool('grep', 'Search file contents with a regular expression.', {
      pattern: { type: 'string' },
      path: { type: 'string' },
    }),
    tool('write_file', 'Create or overwrite a file.', { path: { type: 'string' }, content: { type: 'string' } }),
    tool('edit_file', 'Replace one exact, unique string in a file.', {
      path: { type: 'string' },
      old_text: { type: 'string' },
      new_text: { type: 'string' },
    }),
    tool('run_command', 'Run a shell command in the project (subject to the permission policy).', {
      command: { type: 'string' },
    }),
  ];
  tools[tools.length - 1]!.cache = {};
  return tools;
}

/**
 * A realistic first request of a PRP execution: a stable system prompt, the tools, a stable context block
 * (CLAUDE.md + the PRP) and a short instruction — with cache breakpoints on tools, system and context, and
 * automatic caching for the growing conversation.
 */
export function agentRequest(messages: ModelMessage[] = []): ModelRequest {
  return {
    model: MODEL,
    maxTokens: 4096,
    system: [{ type: 'text', text: prose('System', 2500), cache: {} }],
    tools: agentTools(),
    autoCache: {},
    messages: [
      {
        role: 'user',
        content: [
          {
            type: 'text',
            text: `<context>\n${prose('CLAUDE.md', 2000)}\n${prose('PRP', 4000)}\n</context>`,
            cache: {},
          },
          { type: 'text', text: 'Implement the PRP: make the failing test in test/math.test.ts pass.' },
        ],
      },
      ...messages,
    ],
  };
}
