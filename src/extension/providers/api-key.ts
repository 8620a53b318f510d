/**
 * The Anthropic API key lives in VS Code's SecretStorage (encrypted by the OS keychain, never synced, never in a
 * workspace file). `ANTHROPIC_API_KEY` / `CLAUDE_API_KEY` in the environment VS Code was started with are used
 * when no key is stored.
 */
import * as vscode from 'vscode';
import { type ResolvedApiKey, resolveAnthropicApiKey } from '../../node/anthropic-credentials';

export const SECRET_KEY = 'contextForge.anthropicApiKey';

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(): Promise<ResolvedApiKey | undefined> {
    const stored = (await this.secrets.get(SECRET_KEY))?.trim();
    if (stored) return { apiKey: stored, source: 'SecretStorage' };
    return resolveAnthropicApiKey(process.env);
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  /** Asks for the key (masked) and stores it. Returns false when cancelled. */
  async prompt(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: 'Context Forge: Anthropic API key',
      prompt: 'Stored in VS Code SecretStorage on this machine only (never in a workspace file, never synced).',
      placeHolder: 'sk-ant-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) =>
        v.trim() === ''
          ? 'Paste the key, or press Escape to cancel.'
          : /\s/.test(v.trim())
            ? 'A key has no spaces.'
            : '',
    });
    if (key === undefined) return false;
    await this.set(key);
    return true;
  }
}
