/**
 * Workflow variables: grammar and scanning.
 *
 * **Names** are `[A-Z][A-Z0-9_]*` (upper-case letters, digits, `_`, starting with a letter), e.g.
 * `FEATURE_NAME`. A `$` followed by any other word (`$foo`, `$Feature`, `$1`) is not a variable and is
 * left as typed. Because names are upper-case, `__proto__`, `constructor` and `prototype` can never be
 * variable names.
 *
 * **In `command:` steps, string steps and `if:` expressions** a reference is `$NAME` or `${NAME}`; the
 * name is the longest run of word characters after `$` (so `$FEATURE_name` is the shell-style name
 * `FEATURE_name`, not a variable, and is left as typed — write `${FEATURE}_name` to glue text on).
 * `$$` stands for one literal `$` (write `$$NAME` to keep the text `$NAME`). Substitution is one
 * pass: a substituted value is never scanned again.
 *
 * **In `run:` steps** the script is never rewritten: a workflow variable reaches the shell only as
 * an environment variable of the same name, and the script refers to it as a shell parameter
 * (`"$NAME"`, `"${NAME}"`, `${NAME:-default}`…). References are found for listing and checking
 * only: `$$` (the shell's PID) and `\$NAME` are skipped; quoting context (e.g. `'$NAME'` in single
 * quotes) is not analysed, so such a mention still counts as a use. In a `run:` step, a `$NAME` that
 * is not a workflow variable (not declared under `variables:` and not used by a command step or an
 * `if:` of the same workflow) is an ordinary environment variable such as `$HOME` and is left to the shell.
 *
 * Names the shell, the dynamic loader or Node treat specially cannot be workflow variables (they
 * would change how the step runs once exported): see `isReservedVariableName`.
 */
export const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;

const WORD = /[A-Za-z0-9_]/;

export interface VariableRef {
  name: string;
  /** Offset of the `$` in the scanned text. */
  start: number;
  /** Offset just past the reference. */
  end: number;
}

const RESERVED = new Set([
  'PATH',
  'HOME',
  'IFS',
  'ENV',
  'BASH_ENV',
  'SHELL',
  'SHELLOPTS',
  'BASHOPTS',
  'CDPATH',
  'PS1',
  'PS2',
  'PS3',
  'PS4',
  'PWD',
  'OLDPWD',
  'OPTIND',
  'OPTARG',
  'PPID',
  'LINENO',
  'GLOBIGNORE',
  'PROMPT_COMMAND',
  'NODE_OPTIONS',
  'NODE_PATH',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'PERL5OPT',
  'RUBYOPT',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'TMPDIR',
  'USER',
  'LOGNAME',
  'LANG',
  'TERM',
]);
const RESERVED_PREFIXES = ['LD_', 'DYLD_', 'BASH_FUNC_', 'LC_', 'CCF_'];

/** True for names a workflow may not use as variables (`PATH`, `IFS`, `LD_PRELOAD`, `CCF_*`…). */
export function isReservedVariableName(name: string): boolean {
  return RESERVED.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p));
}

/** References in a command line or `if:` expression (`$NAME`, `${NAME}`; `$$` is an escape). */
export function scanTemplate(text: string): VariableRef[] {
  const refs: VariableRef[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    const next = text[i + 1];
    if (next === '$') {
      i++;
      continue;
    }
    const ref = referenceAt(text, i);
    if (ref) {
      refs.push(ref);
      i = ref.end - 1;
    }
  }
  return refs;
}

/**
 * Replaces every reference by `lookup(name)` and every `$$` by `$`, in one pass. A reference whose
 * value is undefined is left as typed (callers report it as undefined before substituting).
 */
export function substituteTemplate(text: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '$') {
      out += ch;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    const ref = referenceAt(text, i);
    if (!ref) {
      out += ch;
      continue;
    }
    const value = lookup(ref.name);
    out += value ?? text.slice(ref.start, ref.end);
    i = ref.end - 1;
  }
  return out;
}

function referenceAt(text: string, i: number): VariableRef | undefined {
  if (text[i + 1] === '{') {
    const m = /^\$\{([A-Za-z0-9_]+)\}/.exec(text.slice(i, i + 260));
    if (m && VARIABLE_NAME.test(m[1]!)) return { name: m[1]!, start: i, end: i + m[0].length };
    return undefined;
  }
  let j = i + 1;
  while (j < text.length && WORD.test(text[j]!)) j++;
  const name = text.slice(i + 1, j);
  if (name && VARIABLE_NAME.test(name)) return { name, start: i, end: j };
  return undefined;
}

/**
 * Shell parameter references in a `run:` script: `$NAME`, `${NAME}`, `${NAME:-x}`, `${#NAME}`…
 * (upper-case names only). `$$` and backslash-escaped `\$` are skipped.
 */
export function scanShellReferences(script: string): VariableRef[] {
  const refs: VariableRef[] = [];
  for (let i = 0; i < script.length; i++) {
    if (script[i] !== '$') continue;
    if (isEscaped(script, i)) continue;
    const next = script[i + 1];
    if (next === '$') {
      i++;
      continue;
    }
    if (next === '{') {
      const m = /^\$\{#?([A-Za-z_][A-Za-z0-9_]*)(?=[}:#%/^,@+\-=?[])/.exec(script.slice(i, i + 260));
      if (m && VARIABLE_NAME.test(m[1]!)) refs.push({ name: m[1]!, start: i, end: i + m[0].length });
      continue;
    }
    let j = i + 1;
    while (j < script.length && WORD.test(script[j]!)) j++;
    const name = script.slice(i + 1, j);
    if (name && VARIABLE_NAME.test(name)) {
      refs.push({ name, start: i, end: j });
      i = j - 1;
    }
  }
  return refs;
}

function isEscaped(text: string, i: number): boolean {
  let n = 0;
  for (let k = i - 1; k >= 0 && text[k] === '\\'; k--) n++;
  return n % 2 === 1;
}
