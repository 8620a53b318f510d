/**
 * A PRP's Validation Loop as plan steps: one `level` step per `### Level N`, mandatory or recommended by
 * `validation.mandatory/recommended` (levels 1–4 are syntax, unit, integration, domain; other levels are
 * placed by their names), and skipped — with the reason journaled — when neither, or when `--level` /
 * `--skip-validation` leave them out.
 */
import type { OrchestrationSettings, ValidationLevelName } from '../config/settings';
import type { Prp, ValidationLevel } from '../prp/model';
import type { LevelStep } from './plan';
import { DEFAULT_COMMAND_TIMEOUT_MS } from './plan-workflow';

export interface LevelSelection {
  /** Only this level number runs (`--level N`). */
  only?: number;
  /** Levels to skip, by category (`integration`), number (`3`) or name (`Unit Tests`), case-insensitive. */
  skip?: readonly string[];
}

const BY_NUMBER: Record<number, ValidationLevelName> = { 1: 'syntax', 2: 'unit', 3: 'integration', 4: 'domain' };

/** The category a level counts as for `validation.mandatory/recommended`. */
export function levelCategory(level: Pick<ValidationLevel, 'level' | 'name'>): ValidationLevelName {
  const name = level.name.toLowerCase();
  if (/syntax|style|lint|format|static|type/.test(name)) return 'syntax';
  if (/unit/.test(name)) return 'unit';
  if (/integration|system|end.to.end|e2e|full.suite|database|browser/.test(name)) return 'integration';
  if (/domain|creative|manual|performance|security/.test(name)) return 'domain';
  return BY_NUMBER[level.level] ?? 'domain';
}

export function planLevels(
  prp: Prp,
  settings: Pick<OrchestrationSettings, 'validation'>,
  options: { idPrefix?: string; selection?: LevelSelection; timeoutMs?: number } = {},
): LevelStep[] {
  const seen = new Map<number, number>();
  const skipList = (options.selection?.skip ?? []).map((s) => s.trim().toLowerCase()).filter(Boolean);
  return prp.validationLevels.map((level) => {
    const n = (seen.get(level.level) ?? 0) + 1;
    seen.set(level.level, n);
    const id = `${options.idPrefix ? `${options.idPrefix}.` : ''}level${level.level}${n > 1 ? `-${n}` : ''}`;
    const category = levelCategory(level);
    const mandatory = settings.validation.mandatory.includes(category);
    const recommended = settings.validation.recommended.includes(category);
    let skip: string | undefined;
    if (options.selection?.only !== undefined && options.selection.only !== level.level)
      skip = `only level ${options.selection.only} was asked for`;
    else if (skipList.some((s) => s === category || s === String(level.level) || s === level.name.toLowerCase()))
      skip = 'skipped with --skip-validation';
    else if (level.commands.length === 0) skip = 'the level has no commands';
    else if (!mandatory && !recommended && options.selection?.only === undefined) {
      skip = `${category} is neither mandatory nor recommended in validation settings`;
    }
    return {
      kind: 'level',
      id,
      name: `Level ${level.level}: ${level.name}`,
      level: level.level,
      levelName: level.name,
      mandatory: mandatory || options.selection?.only === level.level,
      commands: level.commands.map((c) => ({ command: c.text, line: c.line })),
      timeoutMs: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      source: { file: prp.file, line: level.line },
      ...(skip ? { skip } : {}),
    };
  });
}
