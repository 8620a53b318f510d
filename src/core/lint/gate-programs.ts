/**
 * Which programs a gate command runs: the command is split into words by a real shell-word parser
 * (`shell-quote`), cut at `|`, `&&`, `||`, `;`, `&` and parentheses, and in each simple command the program is
 * found past variable assignments, redirections, shell keywords and wrappers such as `env`, `time`, `timeout`,
 * `nice`, `sudo`, `xargs` and `nohup`. The payload of `sh -c '…'` / `bash -c '…'` is looked into as well.
 */
import { parse } from 'shell-quote';

export interface Invocation {
  /** The word in program position (may be a path such as `./scripts/check.sh`). */
  program: string;
  args: string[];
  /** Wrapper programs that were looked through (`env`, `timeout`, `sudo`…), outermost first. */
  wrappers: string[];
  /**
   * The directory it runs in, relative to where the command starts (`.`), after any `cd` earlier in the same
   * command line; undefined when a `cd` went somewhere that cannot be known statically.
   */
  cwd: string | undefined;
}

/** Shell builtins and keywords: nothing to find on disk. */
export const SHELL_BUILTINS: ReadonlySet<string> = new Set([
  ':',
  '.',
  '[',
  '[[',
  ']]',
  'alias',
  'bg',
  'break',
  'builtin',
  'cd',
  'command',
  'continue',
  'declare',
  'echo',
  'eval',
  'exec',
  'exit',
  'export',
  'false',
  'fg',
  'getopts',
  'hash',
  'jobs',
  'kill',
  'let',
  'local',
  'printf',
  'pwd',
  'read',
  'readonly',
  'return',
  'set',
  'shift',
  'source',
  'test',
  'times',
  'trap',
  'true',
  'type',
  'typeset',
  'ulimit',
  'umask',
  'unalias',
  'unset',
  'wait',
]);

/** Keywords after which the next word is a program. */
const TRANSPARENT_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '!', '{', 'time']);
/** Keywords that close a construct: nothing follows in the segment. */
const CLOSING_KEYWORDS = new Set(['fi', 'done', 'esac', '}']);
/** Constructs whose words are not commands (`for x in a b`, `case $x in`). */
const SKIP_SEGMENT_KEYWORDS = new Set(['for', 'case', 'select', 'function']);

const SEPARATORS = new Set(['|', '||', '&&', ';', '&', '(', ')', '|&', ';;', '<(', '>(']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Wrappers: the options that take a value, and whether a non-option argument precedes the program. */
interface WrapperSpec {
  valueOptions: ReadonlySet<string>;
  /** `timeout 10 cmd`: one positional argument (the duration) before the program. */
  positional?: number;
  /** Skips `NAME=value` words (env). */
  assignments?: boolean;
  /** Builtin or keyword: not looked up itself. */
  builtin?: boolean;
}

const WRAPPERS: ReadonlyMap<string, WrapperSpec> = new Map([
  ['env', { valueOptions: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']), assignments: true }],
  ['time', { valueOptions: new Set(['-f', '--format', '-o', '--output']), builtin: true }],
  ['exec', { valueOptions: new Set(['-a']), builtin: true }],
  ['command', { valueOptions: new Set(), builtin: true }],
  ['builtin', { valueOptions: new Set(), builtin: true }],
  ['nohup', { valueOptions: new Set() }],
  ['nice', { valueOptions: new Set(['-n', '--adjustment']) }],
  ['ionice', { valueOptions: new Set(['-c', '-n', '-p']) }],
  ['stdbuf', { valueOptions: new Set(['-i', '-o', '-e']) }],
  ['timeout', { valueOptions: new Set(['-s', '--signal', '-k', '--kill-after']), positional: 1 }],
  ['sudo', { valueOptions: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U']) }],
  ['xargs', { valueOptions: new Set(['-I', '-i', '-n', '-P', '-L', '-l', '-d', '-E', '-e', '-s', '-a']) }],
  ['watch', { valueOptions: new Set(['-n', '--interval', '-d']) }],
]);

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);

type Token = ReturnType<typeof parse>[number];

function isOp(t: Token | undefined): t is { op: string } {
  return typeof t === 'object' && t !== null && 'op' in t && (t as { op: string }).op !== 'glob';
}

/** The words of each simple command, redirections and their targets removed. */
function simpleCommands(command: string): string[][] {
  // A heredoc's body is data, not commands: only the line that starts it is looked at.
  const firstLine = /<<-?\s*['"]?[A-Za-z_]/.test(command) ? command.split('\n')[0]! : command;
  // Variables stay as `$NAME` words: a program that is a variable cannot be resolved statically.
  const tokens = parse(firstLine, (name: string) => `$${name}`);
  const out: string[][] = [];
  let words: string[] = [];
  const flush = (): void => {
    if (words.length > 0) out.push(words);
    words = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (typeof t === 'string') {
      // `2>&1`, `2>/dev/null`: the file descriptor number belongs to the redirection.
      if (/^\d+$/.test(t) && isOp(tokens[i + 1]) && !SEPARATORS.has((tokens[i + 1] as { op: string }).op)) continue;
      words.push(t);
      continue;
    }
    if (typeof t !== 'object' || t === null) continue;
    if ('comment' in t) break;
    if ('op' in t && t.op === 'glob') {
      words.push((t as { pattern: string }).pattern);
      continue;
    }
    if (isOp(t)) {
      if (SEPARATORS.has(t.op)) flush();
      else i++; // a redirection: its target is not a word of the command
    }
  }
  flush();
  return out;
}

function unwrap(words: string[]): Omit<Invocation, 'cwd'> | undefined {
  const wrappers: string[] = [];
  let i = 0;
  for (;;) {
    while (i < words.length && ASSIGNMENT.test(words[i]!)) i++;
    const w = words[i];
    if (w === undefined) return undefined;
    if (SKIP_SEGMENT_KEYWORDS.has(w) || CLOSING_KEYWORDS.has(w)) return undefined;
    if (TRANSPARENT_KEYWORDS.has(w) && w !== 'time') {
      i++;
      continue;
    }
    const spec = WRAPPERS.get(w);
    if (!spec) break;
    // `command -v x` asks about x; it runs nothing.
    if (w === 'command' && /^-[vV]$/.test(words[i + 1] ?? '')) return undefined;
    if (!spec.builtin) wrappers.push(w);
    i++;
    let positional = spec.positional ?? 0;
    while (i < words.length) {
      const a = words[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (spec.valueOptions.has(a)) {
        i += 2;
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        i++;
        continue;
      }
      if (spec.assignments && ASSIGNMENT.test(a)) {
        i++;
        continue;
      }
      if (positional > 0) {
        positional--;
        i++;
        continue;
      }
      break;
    }
  }
  const program = words[i]!;
  return { program, args: words.slice(i + 1), wrappers };
}

/** Every program a command line runs, in order. */
export function invocationsOf(command: string, depth = 0, startCwd: string | undefined = '.'): Invocation[] {
  const out: Invocation[] = [];
  let cwd: string | undefined = startCwd;
  let words: string[][];
  try {
    words = simpleCommands(command);
  } catch {
    return out;
  }
  for (const simple of words) {
    const found = unwrap(simple);
    if (!found) continue;
    const inv: Invocation = { ...found, cwd };
    out.push(inv);
    if (inv.program === 'cd' || inv.program === 'pushd') {
      const target = inv.args.find((a) => !a.startsWith('-'));
      cwd =
        cwd === undefined || target === undefined || /[$`~]/.test(target) || target.startsWith('/')
          ? undefined
          : joinRelative(cwd, target);
    }
    if (SHELLS.has(inv.program) && depth < 2) {
      const c = inv.args.indexOf('-c');
      const payload = c >= 0 ? inv.args[c + 1] : undefined;
      if (payload) out.push(...invocationsOf(payload, depth + 1, cwd));
    }
  }
  return out;
}

/** `a/b` + `../c` → `a/c`, `.`-relative, `/`-separated; may start with `..` (callers check containment). */
function joinRelative(base: string, rel: string): string {
  const parts = base === '.' ? [] : base.split('/');
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(p);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}
