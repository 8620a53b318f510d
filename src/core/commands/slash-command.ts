/**
 * One slash command file (`.claude/commands/**\/*.md`): optional YAML frontmatter and a prompt body.
 *
 * Frontmatter keys read (the ones Claude Code defines for commands):
 * - `description`: string
 * - `argument-hint`: string (a YAML list such as `[feature-name]` is shown as `[feature-name]`; an
 *   unquoted `[a] [b]` — not valid YAML but accepted by Claude Code — is read as text with a warning)
 * - `allowed-tools`: a comma-separated string (`Bash(git add:*), Read`) or a list of strings
 * - `model`: string
 * Other keys are kept in `frontmatter` and otherwise ignored. A key with a wrong type is reported
 * (positioned) and left out; the command is still read.
 */
import { z } from 'zod';
import { hiddenCharProblems } from '../hidden-char-problems';
import type { Problem } from '../problems';
import { describeIssue } from '../validation/zod-problems';
import { readFrontmatter } from '../yaml/frontmatter';
import { COMMAND_NAME } from './command-line';
import { usesArguments } from './expand-arguments';

export interface SlashCommand {
  /** e.g. `prp-create`, `frontend:component` (subfolders joined with `:`). */
  name: string;
  /** Project-relative path, e.g. `.claude/commands/frontend/component.md`. */
  file: string;
  description?: string;
  argumentHint?: string;
  allowedTools?: string[];
  model?: string;
  /** Every frontmatter key as written (including the ones above and unknown ones). */
  frontmatter: Record<string, unknown>;
  /** The prompt text after the frontmatter. */
  body: string;
  /** 1-based line of the file where `body` starts. */
  bodyLine: number;
  /** The body contains `$ARGUMENTS` or `$1`…`$9`. */
  usesArguments: boolean;
}

const nonEmpty = z.string().trim().min(1);

/** The frontmatter fields this tool interprets (exported for the JSON Schema and for docs). */
export const SlashCommandFrontmatterSchema = z.looseObject({
  description: z.string().optional(),
  'argument-hint': z
    .union([z.string(), z.array(z.union([z.string(), z.number()]))], {
      error: 'must be text such as "[feature-name]" (quote it when it contains brackets)',
    })
    .optional(),
  'allowed-tools': z
    .union([z.string(), z.array(nonEmpty)], {
      error: 'must be a comma-separated string or a list of tool names, e.g. ["Read", "Bash(git status:*)"]',
    })
    .optional(),
  model: nonEmpty.optional(),
});

const FIELD_SCHEMAS = SlashCommandFrontmatterSchema.shape;
type Field = keyof typeof FIELD_SCHEMAS;

/** Splits `Bash(git add:*), Read` on commas that are not inside parentheses. */
export function splitToolList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The command name for a path relative to `.claude/commands` (`frontend/component.md` → `frontend:component`). */
export function commandNameFromPath(relative: string): string {
  return relative.replace(/\.md$/, '').split(/[\\/]/).filter(Boolean).join(':');
}

/** Parses one command file's text. `file` is project-relative; `name` comes from the path. */
export function parseSlashCommand(
  text: string,
  file: string,
  name: string,
): { command: SlashCommand; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!COMMAND_NAME.test(name)) {
    problems.push({
      file,
      line: 1,
      column: 1,
      severity: 'warning',
      rule: 'command-name',
      message: `the command name \`${name}\` cannot be typed after \`/\`; rename the file using letters, digits, \`_\`, \`-\` and \`.\``,
    });
  }
  const fm = readFrontmatter(text, file, { lenientScalars: true });
  problems.push(...fm.problems);
  const data = fm.data ?? {};
  const command: SlashCommand = {
    name,
    file,
    frontmatter: data,
    body: fm.body,
    bodyLine: fm.bodyLine,
    usesArguments: usesArguments(fm.body),
  };
  for (const key of Object.keys(FIELD_SCHEMAS) as Field[]) {
    if (!Object.hasOwn(data, key)) continue;
    const raw = data[key];
    if (raw === null) continue; // `key:` with no value: as if absent
    const parsed = FIELD_SCHEMAS[key].safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const pos = fm.source?.locate([key]) ?? { line: 1, column: 1 };
        problems.push({
          file,
          line: pos.line,
          column: pos.column,
          severity: 'error',
          rule: 'command-frontmatter',
          message: describeIssue(issue, [key]),
        });
      }
      continue;
    }
    const v = parsed.data;
    switch (key) {
      case 'description':
        command.description = (v as string).trim();
        break;
      case 'argument-hint':
        command.argumentHint = Array.isArray(v) ? `[${v.join(', ')}]` : (v as string);
        break;
      case 'allowed-tools':
        command.allowedTools = Array.isArray(v) ? (v as string[]).map((s) => s.trim()) : splitToolList(v as string);
        break;
      case 'model':
        command.model = (v as string).trim();
        break;
    }
  }
  problems.push(
    ...hiddenCharProblems(text, file, {
      severity: 'warning',
      where: 'this command file (it becomes part of a prompt)',
    }),
  );
  return { command, problems };
}
