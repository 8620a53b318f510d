/**
 * The user-level configuration directory of Context Forge — outside every project: `$CCF_CONFIG_DIR` (tests,
 * custom setups), else `$XDG_CONFIG_HOME/codex-context-forge` (an absolute XDG path only, as the spec says),
 * else `%APPDATA%\codex-context-forge` on Windows, else `~/.config/codex-context-forge`.
 * Holds `approvals.json` (approved project commands) and `settings.json` (user-level permission rules).
 */
import * as os from 'node:os';
import * as path from 'node:path';

export const APP_DIR_NAME = 'codex-context-forge';

export function userConfigDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = env.CCF_CONFIG_DIR;
  if (override && override.trim() !== '') return path.resolve(override);
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, APP_DIR_NAME);
  if (platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, APP_DIR_NAME);
  return path.join(home, '.config', APP_DIR_NAME);
}

export function approvalsFile(dir: string = userConfigDir()): string {
  return path.join(dir, 'approvals.json');
}

export function userSettingsFile(dir: string = userConfigDir()): string {
  return path.join(dir, 'settings.json');
}
