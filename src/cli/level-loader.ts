/**
 * Reads a PRP's validation levels for an `implement` step when it starts (the PRP may have been written by an
 * earlier step), and has its gate commands approved before anything of them runs.
 */
import type { Settings } from '../core/config/settings';
import type { LevelStep } from '../core/engine/plan';
import { planLevels } from '../core/engine/plan-prp';
import { formatProblem, hasErrors } from '../core/problems';
import type { ProjectFacts } from '../core/project/facts';
import { readPrp } from '../core/prp';
import type { CliContext } from './context';
import { requireProjectApproval } from './project-trust';

export function createLevelLoader(
  ctx: CliContext,
  settings: Settings,
  facts: ProjectFacts,
  options: { yes: boolean },
): (prp: string, parentId: string) => Promise<{ levels: LevelStep[] } | { error: string }> {
  return async (prp, parentId) => {
    const read = await readPrp(ctx.workspace, prp, { facts });
    if (!read.value || hasErrors(read.problems)) {
      const errors = read.problems.filter((p) => p.severity === 'error').map(formatProblem);
      return { error: `cannot use ${prp}: ${errors.join('; ') || 'unreadable'}` };
    }
    const levels = planLevels(read.value, settings.orchestration, { idPrefix: parentId });
    const commands = levels.filter((l) => !l.skip).flatMap((l) => l.commands.map((c) => c.command));
    try {
      if (commands.length > 0)
        await requireProjectApproval(ctx, commands, { yes: options.yes, context: `the gates of ${prp}` });
    } catch (err) {
      return { error: (err as Error).message };
    }
    return { levels };
  };
}
