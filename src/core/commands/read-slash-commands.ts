/**
 * Reads every slash command of a project: `.claude/commands/**\/*.md`, through the FileSystem port.
 *
 * - Names come from the path relative to `.claude/commands`, without `.md`, subfolders joined with `:`.
 * - Only files ending in `.md` are read; anything else is ignored.
 * - Symlinks are followed only when they resolve (after `realpath`) inside the project; one that
 *   points outside is skipped and reported. Directory cycles are not followed twice.
 * - Each file goes through `decodeUtf8` (2 MB cap, strict UTF-8); a bad file is reported and skipped.
 * - At most `MAX_COMMAND_FILES` files and `MAX_COMMAND_DEPTH` folder levels are read.
 * Commands are returned sorted by name. Problems are positioned; nothing throws for bad input.
 */
import { type Problem, problem, type ReadResult } from '../problems';
import { decodeUtf8 } from '../text';
import { PathEscapeError, type Workspace } from '../workspace';
import { commandNameFromPath, parseSlashCommand, type SlashCommand } from './slash-command';

export const COMMANDS_DIR = '.claude/commands';
export const MAX_COMMAND_FILES = 2000;
export const MAX_COMMAND_DEPTH = 16;

export async function readSlashCommands(workspace: Workspace): Promise<ReadResult<SlashCommand[]>> {
  const problems: Problem[] = [];
  const commands: SlashCommand[] = [];
  const fs = workspace.fs;

  const rootStat = await fs.stat(workspace.abs(COMMANDS_DIR));
  if (!rootStat) return { value: [], problems };
  try {
    await workspace.resolveInside(COMMANDS_DIR);
  } catch (err) {
    problems.push(escapeProblem(COMMANDS_DIR, err));
    return { value: [], problems };
  }

  const visited = new Set<string>();
  const byName = new Map<string, string>();
  let fileCount = 0;
  let truncated = false;

  const readCommandFile = async (rel: string, abs: string): Promise<void> => {
    if (fileCount >= MAX_COMMAND_FILES) {
      truncated = true;
      return;
    }
    fileCount++;
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(abs);
    } catch (err) {
      problems.push(problem(rel, 1, 1, 'read-error', `cannot read the file (${errorText(err)})`));
      return;
    }
    const decoded = decodeUtf8(bytes, rel);
    if (decoded.problems.length) {
      problems.push(...decoded.problems);
      return;
    }
    const name = commandNameFromPath(rel.slice(COMMANDS_DIR.length + 1));
    const previous = byName.get(name);
    if (previous) {
      problems.push(
        problem(
          rel,
          1,
          1,
          'command-duplicate',
          `command /${name} is already defined by ${previous}; rename one of them`,
        ),
      );
      return;
    }
    byName.set(name, rel);
    const parsed = parseSlashCommand(decoded.text, rel, name);
    problems.push(...parsed.problems);
    commands.push(parsed.command);
  };

  const walk = async (relDir: string, depth: number): Promise<void> => {
    const absDir = workspace.abs(relDir);
    let real: string;
    try {
      real = await fs.realPath(absDir);
    } catch (err) {
      problems.push(problem(relDir, 1, 1, 'read-error', `cannot read the folder (${errorText(err)})`));
      return;
    }
    if (visited.has(real)) return; // a symlink cycle, or a second link to the same folder
    visited.add(real);
    if (depth > MAX_COMMAND_DEPTH) {
      problems.push(
        problem(
          relDir,
          1,
          1,
          'command-depth',
          `folders nested more than ${MAX_COMMAND_DEPTH} deep are not read; flatten them`,
          'warning',
        ),
      );
      return;
    }
    let entries: Awaited<ReturnType<typeof fs.readDir>>;
    try {
      entries = await fs.readDir(absDir);
    } catch (err) {
      problems.push(problem(relDir, 1, 1, 'read-error', `cannot read the folder (${errorText(err)})`));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = `${relDir}/${entry.name}`;
      let type = entry.type;
      if (type === 'symlink') {
        try {
          await workspace.resolveInside(rel);
        } catch (err) {
          problems.push(escapeProblem(rel, err));
          continue;
        }
        let target: Awaited<ReturnType<typeof fs.stat>>;
        try {
          target = await fs.stat(await fs.realPath(workspace.abs(rel)));
        } catch {
          target = undefined;
        }
        if (!target) {
          problems.push(problem(rel, 1, 1, 'broken-symlink', 'this symlink points to nothing; remove it', 'warning'));
          continue;
        }
        type = target.type;
      }
      if (type === 'directory') await walk(rel, depth + 1);
      else if (type === 'file' && entry.name.endsWith('.md')) await readCommandFile(rel, workspace.abs(rel));
    }
  };

  await walk(COMMANDS_DIR, 0);
  if (truncated) {
    problems.push(
      problem(
        COMMANDS_DIR,
        1,
        1,
        'command-limit',
        `more than ${MAX_COMMAND_FILES} command files; only the first ${MAX_COMMAND_FILES} were read`,
        'warning',
      ),
    );
  }
  commands.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { value: commands, problems };
}

function escapeProblem(rel: string, err: unknown): Problem {
  if (err instanceof PathEscapeError && /target does not exist/.test(err.reason)) {
    return problem(rel, 1, 1, 'broken-symlink', 'this symlink points to nothing; remove it', 'warning');
  }
  if (err instanceof PathEscapeError) {
    return problem(
      rel,
      1,
      1,
      'path-outside-project',
      `${err.reason}; it was skipped — commands must live inside the project (replace the symlink with a copy)`,
    );
  }
  return problem(rel, 1, 1, 'read-error', `cannot resolve the path (${errorText(err)})`);
}

function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return err instanceof Error ? err.message : String(err);
}
