/**
 * Which matchers read a gate command's output, decided from the command text: each simple command of the
 * script (split on `&&`, `||`, `;`, `|`, `&`, parsed with shell-quote) is looked at past environment
 * assignments and wrappers (`npx`, `pnpm exec`, `uv run`, `python -m`, `timeout 60`, `env`…) for a known
 * tool. `npm test` / `npm run <script>` / `yarn <script>` / `pnpm <script>` / `bun run <script>` look at the
 * script's text when the caller passes the package.json scripts. When no tool is recognized, every shipped
 * matcher is tried (the fallback), with the session's de-duplication keeping one reading per line.
 */
import { type ParseEntry, parse } from 'shell-quote';
import { BUILTIN_MATCHERS, TOOL_MATCHERS, type ToolName } from './builtin-matchers';
import type { MatcherSpec } from './matcher-spec';

export interface PickMatchersOptions {
  /** package.json `scripts`, to see through `npm test` / `npm run x`. */
  scripts?: Readonly<Record<string, string>>;
}

export interface MatcherPick {
  /** The tools recognized, in the order they appear. */
  tools: ToolName[];
  matchers: MatcherSpec[];
  /** No tool recognized: every shipped matcher is tried. */
  fallback: boolean;
}

const PROGRAMS: Record<string, ToolName> = {
  tsc: 'tsc',
  tsgo: 'tsc',
  'vue-tsc': 'tsc',
  'tsc-watch': 'tsc',
  eslint: 'eslint',
  go: 'go',
  'golangci-lint': 'go',
  staticcheck: 'go',
  gotestsum: 'go',
  cargo: 'rust',
  rustc: 'rust',
  'cargo-clippy': 'rust',
  'clippy-driver': 'rust',
  cross: 'rust',
  gcc: 'gcc',
  'g++': 'gcc',
  cc: 'gcc',
  'c++': 'gcc',
  clang: 'gcc',
  'clang++': 'gcc',
  make: 'gcc',
  gmake: 'gcc',
  cmake: 'gcc',
  ninja: 'gcc',
  tcc: 'gcc',
  msbuild: 'msCompile',
  dotnet: 'msCompile',
  csc: 'msCompile',
  mcs: 'msCompile',
  cl: 'msCompile',
  devenv: 'msCompile',
  vbc: 'msCompile',
  fsc: 'msCompile',
  pytest: 'pytest',
  'py.test': 'pytest',
  ruff: 'ruff',
  mypy: 'mypy',
  dmypy: 'mypy',
  flake8: 'flake8',
  jest: 'jest',
  vitest: 'vitest',
};

/** Programs that run the command given after their own options. */
const WRAPPERS = new Set([
  'npx',
  'bunx',
  'pnpx',
  'uvx',
  'pipx',
  'time',
  'env',
  'sudo',
  'nice',
  'nohup',
  'exec',
  'command',
  'xvfb-run',
  'cross-env',
  'unbuffer',
  'stdbuf',
  'timeout',
  'coverage',
  'c8',
  'nyc',
]);

/** `<runner> <subcommand>` pairs that run the command after them. */
const RUN_SUBCOMMANDS: Record<string, readonly string[]> = {
  pnpm: ['exec', 'dlx'],
  yarn: ['exec', 'dlx'],
  npm: ['exec', 'x'],
  uv: ['run'],
  poetry: ['run'],
  pipenv: ['run'],
  pdm: ['run'],
  hatch: ['run'],
  rye: ['run'],
  bundle: ['exec'],
};

/** Reserved words that can stand before a command (`if pytest; then …`, `for …; do gcc …; done`). */
const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const SEPARATORS = new Set(['&&', '||', ';', '|', '|&', '&', ';;', '(', ')']);
const REDIRECTS = new Set(['>', '>>', '<', '>&', '<&', '<(', '>|', '&>', '&>>']);
const MAX_SCRIPT_DEPTH = 4;

export function pickMatchers(commandText: string, options: PickMatchersOptions = {}): MatcherSpec[] {
  return pickMatchersDetailed(commandText, options).matchers;
}

export function pickMatchersDetailed(commandText: string, options: PickMatchersOptions = {}): MatcherPick {
  const tools = detectTools(commandText, options);
  if (tools.length === 0) return { tools, matchers: [...BUILTIN_MATCHERS], fallback: true };
  const matchers: MatcherSpec[] = [];
  for (const tool of tools) for (const m of TOOL_MATCHERS[tool]) if (!matchers.includes(m)) matchers.push(m);
  return { tools, matchers, fallback: false };
}

/** The tools a command runs, in order of appearance, without duplicates. */
export function detectTools(commandText: string, options: PickMatchersOptions = {}): ToolName[] {
  const found: ToolName[] = [];
  collect(commandText, options, 0, new Set(), found);
  return found;
}

function collect(text: string, options: PickMatchersOptions, depth: number, seen: Set<string>, out: ToolName[]): void {
  for (const words of simpleCommands(text)) {
    const tool = toolOf(words, options, depth, seen, out);
    if (tool && !out.includes(tool)) out.push(tool);
  }
}

/** The words of each simple command, redirections removed. */
function simpleCommands(text: string): string[][] {
  let tokens: ParseEntry[];
  try {
    tokens = parse(text, (name: string): string => `$${name}`) as ParseEntry[];
  } catch {
    tokens = text.split(/\s+/).filter(Boolean);
  }
  const commands: string[][] = [];
  let current: string[] = [];
  let skipNext = false;
  for (const t of tokens) {
    if (typeof t === 'string') {
      if (skipNext) skipNext = false;
      else current.push(t);
      continue;
    }
    if ('comment' in t) break;
    if (t.op === 'glob') {
      current.push(t.pattern);
      continue;
    }
    if (SEPARATORS.has(t.op)) {
      if (current.length > 0) commands.push(current);
      current = [];
    } else if (REDIRECTS.has(t.op)) {
      skipNext = true;
    }
  }
  if (current.length > 0) commands.push(current);
  return commands;
}

function programName(word: string): string {
  const base = word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1).toLowerCase();
  return base.replace(/\.(exe|cmd|bat|ps1)$/, '');
}

function toolOf(
  words: string[],
  options: PickMatchersOptions,
  depth: number,
  seen: Set<string>,
  out: ToolName[],
): ToolName | undefined {
  let i = 0;
  const skipOptions = (): void => {
    while (i < words.length && (words[i]!.startsWith('-') || isAssignment(words[i]!))) i++;
  };
  while (i < words.length && isAssignment(words[i]!)) i++;
  for (let guard = 0; guard < 8 && i < words.length; guard++) {
    if (SHELL_KEYWORDS.has(words[i]!)) {
      i++;
      continue;
    }
    const prog = programName(words[i]!);
    if (WRAPPERS.has(prog)) {
      i++;
      skipOptions();
      // Option values (`timeout 60 cmd`, `nice -n 5 cmd`, `npx -p typescript tsc`) are stepped over: the
      // command is the first known program within the next few words.
      for (let ahead = 0; ahead < 2 && i < words.length - 1 && !isKnownProgram(words[i]!); ahead++) i++;
      continue;
    }
    if (own(RUN_SUBCOMMANDS, prog)?.includes(words[i + 1] ?? '')) {
      i += 2;
      skipOptions();
      continue;
    }
    if (/^python(\d+(\.\d+)*)?$|^py$/.test(prog)) {
      const m = words.indexOf('-m', i + 1);
      if (m < 0 || m + 1 >= words.length) return undefined;
      i = m + 1;
      continue;
    }
    const script = scriptName(prog, words.slice(i + 1));
    if (script !== undefined) {
      const body = options.scripts ? own(options.scripts, script) : undefined;
      if (typeof body !== 'string' || depth >= MAX_SCRIPT_DEPTH || seen.has(script)) return undefined;
      seen.add(script);
      collect(body, options, depth + 1, seen, out);
      return undefined;
    }
    return own(PROGRAMS, prog) ?? versioned(prog);
  }
  return undefined;
}

/** gcc-12, clang-14, arm-none-eabi-gcc, x86_64-w64-mingw32-g++. */
function versioned(prog: string): ToolName | undefined {
  if (/^(?:[\w.]+-)*(?:gcc|g\+\+|clang|clang\+\+|cc)(?:-\d+(?:\.\d+)*)?$/.test(prog)) return 'gcc';
  return undefined;
}

function isKnownProgram(word: string): boolean {
  const prog = programName(word);
  return (
    own(PROGRAMS, prog) !== undefined ||
    WRAPPERS.has(prog) ||
    own(RUN_SUBCOMMANDS, prog) !== undefined ||
    prog === 'bun' ||
    /^python(\d+(\.\d+)*)?$|^py$/.test(prog) ||
    versioned(prog) !== undefined
  );
}

/** An own property only: command words like `constructor` or `__proto__` must not reach the prototype. */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isAssignment(word: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
}

const NPM_SCRIPT_ALIASES: Record<string, string> = { test: 'test', t: 'test', tst: 'test', start: 'start' };
const PACKAGE_MANAGER_BUILTINS = new Set([
  'install',
  'i',
  'add',
  'remove',
  'rm',
  'uninstall',
  'ci',
  'update',
  'up',
  'upgrade',
  'init',
  'create',
  'publish',
  'pack',
  'link',
  'unlink',
  'outdated',
  'audit',
  'why',
  'list',
  'ls',
  'info',
  'view',
  'config',
  'set',
  'version',
  'login',
  'logout',
  'cache',
  'store',
  'patch',
  'dedupe',
  'prune',
  'rebuild',
  'import',
  'fetch',
  'setup',
  'env',
  'self-update',
  'help',
]);

/** The package.json script a package-manager command runs, if it runs one. */
function scriptName(prog: string, args: string[]): string | undefined {
  const rest = args.filter((a) => !a.startsWith('-'));
  const [first, second] = rest;
  if (first === undefined) return undefined;
  switch (prog) {
    case 'npm':
      if (first === 'run' || first === 'run-script' || first === 'rum' || first === 'urn') return second;
      return own(NPM_SCRIPT_ALIASES, first);
    case 'pnpm':
    case 'yarn':
      if (first === 'run') return second;
      if (first === 'test' || first === 'start') return first;
      return PACKAGE_MANAGER_BUILTINS.has(first) ? undefined : first;
    case 'bun':
      if (first === 'run') return second;
      return undefined;
    default:
      return undefined;
  }
}
