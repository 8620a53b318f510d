/**
 * Where the Anthropic API key and base URL come from — and where they never come from.
 *
 * The key: `ANTHROPIC_API_KEY`, else `CLAUDE_API_KEY` (the name the seed's CI example uses), from the
 * process environment the user started us with (CLI), or from SecretStorage (the extension passes it in).
 * The base URL: an explicit, user-level option, else `ANTHROPIC_BASE_URL`, else the SDK's default host.
 * Neither is ever read from project files (`.env`, `.claude/settings*.json`, workspace settings): a cloned
 * repository must not be able to redirect the key to its own server. A plain-http base URL is refused
 * unless it points at this machine (loopback), so a key never crosses the network unencrypted.
 */

export const API_KEY_ENV_VARS = ['ANTHROPIC_API_KEY', 'CLAUDE_API_KEY'] as const;

export interface ResolvedApiKey {
  apiKey: string;
  /** Where it came from, for messages: `ANTHROPIC_API_KEY`, `CLAUDE_API_KEY`, `SecretStorage`… */
  source: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The key from the environment, or `undefined` (blank values count as unset). */
export function resolveAnthropicApiKey(env: Env = process.env): ResolvedApiKey | undefined {
  for (const name of API_KEY_ENV_VARS) {
    const value = env[name]?.trim();
    if (value) return { apiKey: value, source: name };
  }
  return undefined;
}

/** The message for "no key": what to set, and where. */
export function missingApiKeyMessage(): string {
  return (
    'No Anthropic API key: set ANTHROPIC_API_KEY (or CLAUDE_API_KEY) in the environment (in VS Code the key is ' +
    'kept in SecretStorage), or choose another provider. Keys are never read from project files.'
  );
}

export class BaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaseUrlError';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The base URL to use: `explicit` (a user-level setting or flag), else `ANTHROPIC_BASE_URL`, else
 * `undefined` (the SDK default, https://api.anthropic.com). Throws `BaseUrlError` for a value that is not
 * an absolute http(s) URL, or plain http to a non-loopback host.
 */
export function resolveAnthropicBaseUrl(env: Env = process.env, explicit?: string): string | undefined {
  const fromEnv = env.ANTHROPIC_BASE_URL?.trim();
  const value = explicit?.trim() || fromEnv || undefined;
  if (value === undefined) return undefined;
  const origin = explicit?.trim() ? 'the configured base URL' : 'ANTHROPIC_BASE_URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BaseUrlError(`${origin} is not a URL: ${JSON.stringify(value)}. Use e.g. https://api.anthropic.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BaseUrlError(`${origin} must be an http(s) URL, not ${url.protocol} (${value}).`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new BaseUrlError(
      `${origin} uses plain http to ${url.hostname}; the API key would travel unencrypted. Use https (http is only accepted for localhost).`,
    );
  }
  if (url.username || url.password) {
    throw new BaseUrlError(`${origin} must not contain credentials.`);
  }
  return value.replace(/\/+$/, '');
}
