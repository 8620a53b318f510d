/**
 * Splits the body of a shell fence into commands, the way the shell would see them: one command per line,
 * blank lines and comment lines skipped, and a command continued onto the next line by a trailing `\`, by a
 * trailing `|`, `&&` or `||`, by a quote left open, or by a heredoc (`<<EOF` … `EOF`). A trailing comment is
 * dropped. Each command keeps the line range it came from.
 */

export interface SplitCommand {
  text: string;
  /** 0-based line within the fence body where the command starts, and the column of its first character. */
  startLine: number;
  startColumn: number;
  /** 0-based line where it ends. */
  endLine: number;
}

export interface SplitComment {
  /** The comment without `#` and surrounding spaces. */
  text: string;
  line: number;
  column: number;
}

export interface SplitResult {
  commands: SplitCommand[];
  /** Whole-line comments (e.g. `# Expected: zero errors`). */
  comments: SplitComment[];
}

interface LineScan {
  /** The line up to a trailing comment, without trailing spaces. */
  code: string;
  quote: '' | "'" | '"';
  /** Heredoc delimiters opened on this line, in order. */
  heredocs: Array<{ word: string; strip: boolean }>;
}

/** Scans one line from a given quote state: where a comment starts, which quote is open at the end, heredocs. */
function scanLine(line: string, quote: '' | "'" | '"'): LineScan {
  const heredocs: LineScan['heredocs'] = [];
  let q = quote;
  let cut = line.length;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q === "'") {
      if (c === "'") q = '';
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (q === '"') {
      if (c === '"') q = '';
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      continue;
    }
    if (c === '#' && (i === 0 || /[\s;&|()]/.test(line[i - 1]!))) {
      cut = i;
      break;
    }
    if (c === '<' && line[i + 1] === '<' && line[i + 2] !== '<') {
      const m = /^<<(-?)[ \t]*(['"]?)([A-Za-z_][\w-]*)\2/.exec(line.slice(i));
      if (m) {
        heredocs.push({ word: m[3]!, strip: m[1] === '-' });
        i += m[0].length - 1;
      }
    }
  }
  return { code: line.slice(0, cut).replace(/[ \t]+$/, ''), quote: q, heredocs };
}

function endsWithContinuationBackslash(code: string): boolean {
  const m = /\\+$/.exec(code);
  return m !== null && m[0].length % 2 === 1;
}

export function splitShellCommands(body: string): SplitResult {
  const lines = body.split('\n').map((l) => l.replace(/\r$/, ''));
  const commands: SplitCommand[] = [];
  const comments: SplitComment[] = [];
  let current: { parts: string[]; startLine: number; startColumn: number } | undefined;
  let quote: '' | "'" | '"' = '';
  let pendingHeredocs: LineScan['heredocs'] = [];
  let joinNext: 'space' | 'newline' | undefined;

  const finish = (endLine: number): void => {
    if (!current) return;
    const text = current.parts
      .join('')
      .replace(/^\$[ \t]+/, '')
      .trim();
    if (text) commands.push({ text, startLine: current.startLine, startColumn: current.startColumn, endLine });
    current = undefined;
    joinNext = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;

    if (pendingHeredocs.length > 0 && current) {
      current.parts.push('\n', raw);
      const want = pendingHeredocs[0]!;
      if ((want.strip ? raw.replace(/^\t+/, '') : raw) === want.word) pendingHeredocs.shift();
      if (pendingHeredocs.length === 0 && !joinNext) finish(i);
      continue;
    }

    if (!current) {
      const trimmed = raw.trim();
      if (!trimmed) continue;
      if (trimmed.startsWith('#')) {
        comments.push({
          text: trimmed.replace(/^#+\s*/, ''),
          line: i,
          column: raw.length - raw.trimStart().length,
        });
        continue;
      }
      current = { parts: [], startLine: i, startColumn: raw.length - raw.trimStart().length };
      quote = '';
    } else if (joinNext === 'space') {
      // A blank line after a dangling `\`, `|` or `&&` ends the command, as it would confuse anyone reading it.
      if (!raw.trim()) {
        finish(i - 1);
        continue;
      }
      current.parts.push(' ');
    } else if (joinNext === 'newline') {
      current.parts.push('\n');
    }

    const scan = scanLine(quote === '' ? raw.trimStart() : raw, quote);
    quote = scan.quote;
    pendingHeredocs = [...pendingHeredocs, ...scan.heredocs];
    if (quote !== '') {
      // Inside a quoted string the whole line belongs to it, comment-looking text included.
      current.parts.push(joinNext === 'newline' ? raw : raw.trimStart());
      joinNext = 'newline';
      continue;
    }
    let code = joinNext === 'newline' ? scan.code : scan.code.trimStart();
    if (joinNext === 'newline') {
      // The line closed a quote opened earlier: keep it verbatim up to any comment.
      code = scan.code;
    }
    if (endsWithContinuationBackslash(code)) {
      current.parts.push(code.slice(0, -1).replace(/[ \t]+$/, ''));
      joinNext = 'space';
      continue;
    }
    current.parts.push(code);
    if (pendingHeredocs.length > 0) {
      joinNext = undefined;
      continue;
    }
    if (/(?:\|\||&&|\|)$/.test(code)) {
      joinNext = 'space';
      continue;
    }
    finish(i);
  }
  finish(lines.length - 1);
  return { commands, comments };
}
