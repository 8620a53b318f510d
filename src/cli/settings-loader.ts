/** Reads `.claude/settings.local.json` for a command; invalid settings stop it with exit 2 and positions. */
import { readSettings, type Settings } from '../core/config/settings';
import { hasErrors, InputError } from '../core/problems';
import type { CliContext } from './context';

export async function loadSettingsOrFail(ctx: CliContext): Promise<Settings> {
  const result = await readSettings(ctx.workspace);
  if (hasErrors(result.problems) || !result.value) throw new InputError(result.problems);
  ctx.out.problems(result.problems);
  return result.value;
}
