/** Reads a PRP's validation levels for an `implement` step when it starts (approving its gate commands). */
import type { Settings } from '../core/config/settings';
import type { LevelStep } from '../core/engine/plan';
import type { ProjectFacts } from '../core/project/facts';
import type { CliContext } from './context';

export function createLevelLoader(
  _ctx: CliContext,
  _settings: Settings,
  _facts: ProjectFacts,
  _options: { yes: boolean },
): (prp: string) => Promise<{ levels: LevelStep[] } | { error: string }> {
  return async (prp) => ({ error: `cannot read the validation levels of ${prp} in this build` });
}
