/**
 * A slash command invocation as typed: `/prp-create user auth "with OAuth"` → the command name and the
 * argument text after it. Names are what `readSlashCommands` produces: letters, digits, `_`, `-`, `.`
 * and `:` (subfolder separator), starting with a letter or digit.
 */
export const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

export interface SlashCommandLine {
  /** Without the leading `/`, e.g. `frontend:component`. */
  name: string;
  /** Everything after the name and the whitespace that follows it, exactly as typed (trailing whitespace trimmed). */
  argsText: string;
  /** Offset of `argsText` in the line (for positions); the line length when there are no arguments. */
  argsOffset: number;
}

export type ParsedCommandLine = ({ ok: true } & SlashCommandLine) | { ok: false; message: string; offset: number };

export function parseSlashCommandLine(line: string): ParsedCommandLine {
  const lead = /^[ \t]*/.exec(line)![0].length;
  if (line[lead] !== '/') {
    return {
      ok: false,
      offset: lead,
      message: 'a slash command line starts with `/` and a command name, e.g. `/prp-create user-auth`',
    };
  }
  const m = /^\/(\S*)/.exec(line.slice(lead))!;
  const name = m[1]!;
  if (!name) return { ok: false, offset: lead, message: 'a command name must follow `/`, e.g. `/prp-create`' };
  if (!COMMAND_NAME.test(name)) {
    return {
      ok: false,
      offset: lead + 1,
      message: `\`${name}\` is not a command name: use letters, digits, \`_\`, \`-\`, \`.\` and \`:\` (for subfolders), starting with a letter or digit`,
    };
  }
  let argsOffset = lead + 1 + name.length;
  const rest = line.slice(argsOffset);
  const gap = /^[ \t\r\n]*/.exec(rest)![0].length;
  argsOffset += gap;
  return { ok: true, name, argsText: rest.slice(gap).replace(/[ \t\r\n]+$/, ''), argsOffset };
}
