/**
 * What a simple command does, as far as the policy is concerned: which wrappers it goes through (`env`,
 * `timeout`, `sudo`, `xargs`…), what really runs inside them, which files it reads and writes, whether it runs
 * code given inline (`bash -c`, `node -e`, `eval`, awk programs) or from stdin, and whether it is one of the
 * read-only commands that may run without asking. Purely syntactic: paths are resolved later by the policy.
 *
 * The tables here are deliberately small and explicit. A command not described is "unknown": it is never
 * allowed by default, only by a rule the user wrote, and its literal arguments are still checked against the
 * protected and sensitive paths.
 */
import * as path from 'node:path';
import { optionValue, type ScannedOption, scanOptions, valueWord } from './options';
import type { ShellAssignment, ShellSegment, ShellWord } from './shell-analysis';

/** One way of looking at a command: the words from its name on, after stripping some wrappers. */
export interface CommandView {
  argv: ShellWord[];
  assignments: ShellAssignment[];
  /** Arguments are appended at run time from input (`xargs cmd`, `find -exec cmd {} +`). */
  dynamicTail: boolean;
  /** Wrappers stripped to get here, outermost first. */
  via: string[];
}

export type PathRole = 'read' | 'write' | 'mention';

export interface PathOperand {
  word: ShellWord;
  role: PathRole;
  /** What the command does with it, for messages ("redirects output into", "deletes"…). */
  what: string;
}

/** A script given as text to something that will run it (`bash -c '…'`, `eval …`, `watch '…'`). */
export interface NestedScript {
  text: string;
  via: string;
}

export interface CommandFacts {
  /** Outermost first; the last one is what really runs. */
  views: CommandView[];
  effective: CommandView;
  /** Reasons this command can never run without a human saying yes (no rule can allow it). */
  neverAuto: string[];
  /** Reasons this command is refused outright (catastrophic patterns). */
  refuse: string[];
  paths: PathOperand[];
  nested: NestedScript[];
  /** `undefined` when the command is not a default read-only command; otherwise whether its arguments qualify. */
  readOnly?: { ok: true } | { ok: false; why: string };
  /** true/false/:/test/[/[[ ]]: no effect beyond an exit status. */
  neutral?: boolean;
  /** Changes the shell state that later commands depend on (directory, environment, options, aliases). */
  changesState?: 'cwd' | 'env';
  /** For `cd DIR`/`pushd DIR`: the literal target (undefined when not literal). */
  cdTarget?: ShellWord | null;
  /** A shell or interpreter that takes its program from stdin. */
  programFromStdin?: boolean;
  /** The effective command is a shell or language interpreter. */
  interpreter?: boolean;
  /** The effective command fetches from the network (curl, wget, nc…). */
  fetcher?: boolean;
  /** `rm` with a recursive flag. */
  recursiveDelete?: boolean;
}

const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'csh',
  'tcsh',
  'busybox',
  'pwsh',
  'powershell',
]);

/** Language interpreters and their inline-code options. */
const INLINE_CODE_OPTIONS: Record<string, { short: string; long: string[] }> = {
  node: { short: 'ep', long: ['--eval', '--print'] },
  nodejs: { short: 'ep', long: ['--eval', '--print'] },
  bun: { short: 'ep', long: ['--eval', '--print'] },
  deno: { short: '', long: [] },
  python: { short: 'c', long: [] },
  perl: { short: 'eE', long: [] },
  ruby: { short: 'e', long: [] },
  php: { short: 'rR', long: ['--run'] },
  lua: { short: 'e', long: [] },
  luajit: { short: 'e', long: [] },
  rscript: { short: 'e', long: [] },
  osascript: { short: 'e', long: [] },
  tclsh: { short: '', long: [] },
  jshell: { short: '', long: [] },
};

/** awk programs are code (`system()`, `print > file`, `|&`): always inline. */
const AWKS = new Set(['awk', 'gawk', 'mawk', 'nawk', 'busybox-awk']);

const ESCALATION = new Set(['sudo', 'doas', 'su', 'pkexec', 'run0', 'runas', 'sudoedit']);

const FETCHERS = new Set([
  'curl',
  'wget',
  'fetch',
  'aria2c',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'http',
  'https',
  'xh',
  'lwp-request',
  'lynx',
  'links',
  'ftp',
  'tftp',
  'scp',
  'rsync',
  'ssh',
]);

/** Builtins that run text as code or change how later words are interpreted. */
const EVAL_LIKE: Record<string, string> = {
  eval: 'eval runs its arguments as shell code',
  source: 'source runs a file as shell code in this shell',
  '.': '. (source) runs a file as shell code in this shell',
  trap: 'trap registers shell code to run later',
  alias: 'alias changes what later command names mean',
  unalias: 'unalias changes what later command names mean',
  enable: 'enable can load builtins from shared libraries',
  hash: 'hash can point a command name at any file',
  bind: 'bind changes key bindings to run commands',
  complete: 'complete can register commands to run',
  let: 'let evaluates arithmetic, which can run code through array subscripts',
  fc: 'fc re-runs commands from history',
  history: 'history can re-run or rewrite commands',
  coproc: 'coproc starts a background process',
  mapfile: 'mapfile with -C runs callbacks',
  readarray: 'readarray with -C runs callbacks',
};

const STATE_CWD = new Set(['cd', 'pushd', 'popd', 'chdir']);
const STATE_ENV = new Set([
  'export',
  'declare',
  'typeset',
  'local',
  'readonly',
  'unset',
  'set',
  'shopt',
  'umask',
  'ulimit',
  'setopt',
  'unsetopt',
  'read',
  'getopts',
  'shift',
]);

const NEUTRAL = new Set(['true', 'false', ':', 'test', '[']);

const BENIGN_SINKS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/fd/1', '/dev/fd/2', '/dev/tty']);

export function isBenignSink(word: ShellWord): boolean {
  return word.literal !== undefined && !word.home && BENIGN_SINKS.has(word.literal);
}

/** The name a command is known by: its basename, lower-cased (`/usr/bin/RM` → `rm`), versions folded (`python3.12` → `python`). */
export function commandKey(word: ShellWord | undefined): string | undefined {
  if (!word || word.literal === undefined) return undefined;
  const base = path.posix.basename(word.literal.replace(/\\/g, '/')).toLowerCase();
  if (/^python[0-9.]*$/.test(base) || base === 'pypy' || base === 'pypy3') return 'python';
  if (/^perl[0-9.]*$/.test(base)) return 'perl';
  if (/^ruby[0-9.]*$/.test(base)) return 'ruby';
  if (/^php[0-9.]*$/.test(base)) return 'php';
  if (/^lua[0-9.]*$/.test(base)) return 'lua';
  if (/^mkfs(\..+)?$/.test(base)) return 'mkfs';
  return base.replace(/\.exe$/, '');
}

/** True when the command name is written as a plain name (`cat`), not a path (`./cat`) — only those get defaults. */
function plainName(word: ShellWord | undefined): boolean {
  return word?.literal !== undefined && !word.home && !word.literal.includes('/') && word.literal === word.text;
}

function words(view: CommandView): ShellWord[] {
  return view.argv.slice(1);
}

/** Analyses one segment. */
export function commandFacts(segment: ShellSegment): CommandFacts {
  const top: CommandView = { argv: segment.argv, assignments: segment.assignments, dynamicTail: false, via: [] };
  const facts: CommandFacts = { views: [top], effective: top, neverAuto: [], refuse: [], paths: [], nested: [] };
  for (const r of segment.redirects) {
    if (r.kind === 'read' && r.target) facts.paths.push({ word: r.target, role: 'read', what: 'reads input from' });
    if (r.kind === 'write' && r.target && !isBenignSink(r.target)) {
      facts.paths.push({ word: r.target, role: 'write', what: 'redirects output into' });
    }
  }
  if (segment.test) {
    facts.neutral = true;
    return facts;
  }
  if (segment.argv.length === 0) {
    if (segment.assignments.length > 0) facts.changesState = 'env';
    else facts.neutral = true; // a bare redirection (`> file`, `< file`), judged by its redirections
    return facts;
  }
  let view = top;
  // Strip wrappers until the command that really runs.
  for (let guard = 0; guard < 16; guard++) {
    const inner = unwrap(view, facts);
    if (!inner) break;
    view = inner;
    facts.views.push(view);
  }
  facts.effective = view;
  describe(view, segment, facts);
  return facts;
}

/** One wrapper layer: returns the inner command view, or `undefined` when `view` is not a wrapper. */
function unwrap(view: CommandView, facts: CommandFacts): CommandView | undefined {
  const name = commandKey(view.argv[0]);
  if (view.argv[0] && view.argv[0].literal === undefined) {
    facts.neverAuto.push(`the command name "${view.argv[0].text}" is computed at run time`);
    return undefined;
  }
  const args = words(view);
  const next = (rest: ShellWord[], extra: Partial<CommandView> = {}): CommandView | undefined => {
    if (rest.length === 0) return undefined;
    return {
      argv: rest,
      assignments: extra.assignments ?? view.assignments,
      dynamicTail: extra.dynamicTail ?? view.dynamicTail,
      via: [...view.via, name!],
    };
  };
  const operandsFrom = (spec: Parameters<typeof scanOptions>[1]): { options: ScannedOption[]; rest: ShellWord[] } => {
    const scan = scanOptions(args, { ...spec, stopAtOperand: true });
    const first = scan.operands[0];
    const at = first ? args.indexOf(first) : args.length;
    if (scan.unknown.length > 0) facts.neverAuto.push(`"${name}" has options computed at run time`);
    return { options: scan.options, rest: args.slice(at) };
  };
  switch (name) {
    case 'env': {
      const { options, rest } = operandsFrom({ shortValued: 'uCS', longValued: ['unset', 'chdir', 'split-string'] });
      for (const o of options) {
        if (o.name === '-S' || o.name === '--split-string')
          facts.neverAuto.push('env -S splits a string into a command');
        if (o.name === '-C' || o.name === '--chdir') facts.changesState = 'cwd';
      }
      const assignments = [...view.assignments];
      let i = 0;
      for (; i < rest.length; i++) {
        const w = rest[i]!;
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.literal ?? w.text);
        if (!m) break;
        assignments.push({ name: m[1]!, text: w.text, literal: w.literal === undefined ? undefined : m[2]! });
      }
      return next(rest.slice(i), { assignments });
    }
    case 'nice':
      return next(operandsFrom({ shortValued: 'n', longValued: ['adjustment'] }).rest);
    case 'timeout': {
      const { rest } = operandsFrom({ shortValued: 'sk', longValued: ['signal', 'kill-after'] });
      return next(rest.slice(1)); // the duration
    }
    case 'nohup':
    case 'builtin':
    case 'setsid':
    case 'unbuffer':
    case 'chronic':
      return next(operandsFrom({}).rest);
    case 'stdbuf':
      return next(operandsFrom({ shortValued: 'ioe', longValued: ['input', 'output', 'error'] }).rest);
    case 'ionice':
      return next(operandsFrom({ shortValued: 'cnp', longValued: ['class', 'classdata', 'pid'] }).rest);
    case 'command': {
      const { options, rest } = operandsFrom({});
      if (options.some((o) => o.name === '-v' || o.name === '-V')) {
        facts.neutral = true; // `command -v x`: a lookup
        return undefined;
      }
      return next(rest);
    }
    case 'time': {
      const { options, rest } = operandsFrom({ shortValued: 'of', longValued: ['output', 'format'] });
      for (const o of options) {
        const w = valueWord(o);
        if ((o.name === '-o' || o.name === '--output') && w)
          facts.paths.push({ word: w, role: 'write', what: 'writes' });
      }
      return next(rest);
    }
    case 'exec': {
      facts.neverAuto.push('exec replaces the shell');
      return next(operandsFrom({ shortValued: 'a' }).rest);
    }
    case 'sudo':
    case 'doas':
    case 'pkexec':
    case 'run0':
    case 'sudoedit':
    case 'runas': {
      facts.neverAuto.push(`${name} runs a command with other privileges`);
      const { options, rest } = operandsFrom({
        shortValued: name === 'doas' ? 'uC' : 'ugpChDrtTUR',
        longValued: ['user', 'group', 'prompt', 'close-from', 'chdir', 'role', 'type', 'other-user', 'host'],
      });
      if (options.some((o) => o.name === '-s' || o.name === '-i' || o.name === '--shell' || o.name === '--login')) {
        facts.programFromStdin = rest.length === 0;
      }
      return next(rest);
    }
    case 'su': {
      facts.neverAuto.push('su runs a command as another user');
      const { options } = operandsFrom({ shortValued: 'cgGsw', longValued: ['command', 'group', 'shell'] });
      for (const o of options) {
        const v = optionValue(o);
        if ((o.name === '-c' || o.name === '--command') && v !== undefined)
          facts.nested.push({ text: v, via: 'su -c' });
      }
      return undefined;
    }
    case 'xargs': {
      facts.neverAuto.push('xargs runs a command with arguments read from its input, which cannot be checked');
      const { options, rest } = operandsFrom({
        shortValued: 'aEeIiLlnPsd',
        longValued: [
          'arg-file',
          'delimiter',
          'eof',
          'replace',
          'max-lines',
          'max-args',
          'max-procs',
          'max-chars',
          'process-slot-var',
        ],
      });
      for (const o of options) {
        const w = valueWord(o);
        if ((o.name === '-a' || o.name === '--arg-file') && w)
          facts.paths.push({ word: w, role: 'read', what: 'reads' });
      }
      const inner = rest.length > 0 ? rest : [{ text: 'echo', literal: 'echo', start: 0, end: 0 }];
      return next(inner, { dynamicTail: true });
    }
    case 'watch': {
      facts.neverAuto.push('watch runs its arguments through sh -c');
      const { rest } = operandsFrom({ shortValued: 'dnq', longValued: ['differences', 'interval', 'equexit'] });
      const text = literalJoin(rest);
      if (text !== undefined) facts.nested.push({ text, via: 'watch' });
      return undefined;
    }
    default:
      return undefined;
  }
}

function literalJoin(ws: readonly ShellWord[]): string | undefined {
  const out: string[] = [];
  for (const w of ws) {
    if (w.literal === undefined || w.home) return undefined;
    out.push(w.literal);
  }
  return out.join(' ');
}

/** Fills `facts` for the effective command. */
function describe(view: CommandView, segment: ShellSegment, facts: CommandFacts): void {
  const first = view.argv[0];
  const name = commandKey(first);
  if (name === undefined) return;
  const args = words(view);
  const stdinFed =
    segment.pipeline.index > 0 ||
    segment.redirects.some((r) => r.kind === 'heredoc' || r.kind === 'herestring' || r.kind === 'read');

  if (view.dynamicTail && plainName(first)) facts.readOnly = { ok: false, why: 'its arguments come from input' };

  if (FETCHERS.has(name)) facts.fetcher = true;
  if (name in EVAL_LIKE && plainName(first)) {
    facts.neverAuto.push(EVAL_LIKE[name]!);
    if (name === 'eval') {
      const text = literalJoin(args);
      if (text !== undefined) facts.nested.push({ text, via: 'eval' });
    } else if (name === 'trap' && args[0]?.literal !== undefined) {
      facts.nested.push({ text: args[0].literal, via: 'trap' });
    } else if ((name === 'source' || name === '.') && args[0]) {
      facts.paths.push({ word: args[0], role: 'read', what: 'runs' });
    }
    if (name === 'alias' || name === 'unalias' || name === 'hash' || name === 'enable') facts.changesState = 'env';
    return;
  }
  if (STATE_CWD.has(name)) {
    facts.changesState = 'cwd';
    const target = scanOptions(args).operands[0];
    if (name === 'popd' || (target && (target.literal === undefined || target.literal === '-'))) facts.cdTarget = null;
    else facts.cdTarget = target ?? { text: '~', literal: '', home: true, start: 0, end: 0 };
    return;
  }
  if (STATE_ENV.has(name)) {
    facts.changesState = 'env';
    if (name === 'read' || name === 'mapfile') facts.neverAuto.push(`${name} assigns variables from input`);
    return;
  }
  if (NEUTRAL.has(name) && plainName(first)) {
    facts.neutral = true;
    return;
  }
  if (SHELLS.has(name)) {
    facts.interpreter = true;
    shell(name, args, stdinFed, facts);
    return;
  }
  if (AWKS.has(name)) {
    facts.interpreter = true;
    facts.neverAuto.push(`${name} programs can run commands and write files`);
    return;
  }
  if (name in INLINE_CODE_OPTIONS) {
    facts.interpreter = true;
    interpreter(name, args, stdinFed, facts);
    return;
  }
  if (
    name === 'mkfs' ||
    name === 'mke2fs' ||
    name === 'wipefs' ||
    name === 'mkswap' ||
    name === 'fdisk' ||
    name === 'sfdisk' ||
    name === 'parted'
  ) {
    facts.refuse.push(`${name} formats or repartitions disks`);
    return;
  }
  if (ESCALATION.has(name)) return; // handled while unwrapping
  const known = KNOWN[name];
  if (known) {
    known(args, facts, plainName(first));
    return;
  }
  // Unknown command: every literal argument that might be a path is checked against protected/sensitive paths.
  mentionAll(args, facts);
}

function mentionAll(args: readonly ShellWord[], facts: CommandFacts): void {
  for (const w of args) {
    if (w.literal === undefined && !w.home) continue;
    const lit = w.literal ?? '';
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(lit)) continue; // URLs
    const eq = lit.startsWith('-') ? lit.indexOf('=') : -1;
    if (eq !== -1) {
      const v = lit.slice(eq + 1);
      if (v !== '') facts.paths.push({ word: { ...w, text: v, literal: v }, role: 'mention', what: 'mentions' });
      continue;
    }
    if (lit.startsWith('-') && !w.home) continue;
    if (lit === '') continue;
    facts.paths.push({ word: w, role: 'mention', what: 'mentions' });
  }
}

function shell(name: string, args: readonly ShellWord[], stdinFed: boolean, facts: CommandFacts): void {
  let inline = false;
  let fromStdin = false;
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i]!;
    const v = w.literal;
    if (v === undefined) {
      if (w.text.startsWith('-')) facts.neverAuto.push(`${name} has options computed at run time`);
      break;
    }
    if (v === '--' || v === '-') {
      if (v === '-') fromStdin = true;
      i++;
      break;
    }
    if (
      /^-(c|command|commandwithargs|encodedcommand|e|ec|ex)$/i.test(v) &&
      (name === 'pwsh' || name === 'powershell')
    ) {
      inline = true;
      i++;
      break;
    }
    if (v === '--command' && name === 'fish') {
      inline = true;
      i++;
      break;
    }
    if (/^--(rcfile|init-file)$/.test(v)) {
      i++;
      continue;
    }
    if (v.startsWith('--')) continue;
    if (/^[-+][A-Za-z]+$/.test(v)) {
      if (v.startsWith('-') && v.includes('c')) inline = true;
      if (v.startsWith('-') && v.includes('s')) fromStdin = true;
      if (/[oO]$/.test(v)) i++;
      if (inline) {
        i++;
        break;
      }
      continue;
    }
    break;
  }
  if (inline) {
    facts.neverAuto.push(`${name} -c runs a string as shell code`);
    const payload = args[i];
    if (payload?.literal !== undefined && !payload.home)
      facts.nested.push({ text: payload.literal, via: `${name} -c` });
    else facts.neverAuto.push(`the code given to ${name} -c is computed at run time`);
    return;
  }
  if (fromStdin || i >= args.length) {
    facts.programFromStdin = true;
    facts.neverAuto.push(
      stdinFed ? `${name} runs commands piped or redirected into it` : `${name} reads commands from its input`,
    );
    return;
  }
  facts.paths.push({ word: args[i]!, role: 'read', what: 'runs the script' });
  mentionAll(args.slice(i + 1), facts);
}

function interpreter(name: string, args: readonly ShellWord[], stdinFed: boolean, facts: CommandFacts): void {
  const inline = INLINE_CODE_OPTIONS[name]!;
  if (name === 'deno' && args[0]?.literal === 'eval') {
    facts.neverAuto.push('deno eval runs a string as code');
    return;
  }
  let script: ShellWord | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const v = w.literal;
    if (v === undefined) {
      if (w.text.startsWith('-')) facts.neverAuto.push(`${name} has options computed at run time`);
      script = w;
      break;
    }
    if (v === '-') {
      facts.programFromStdin = true;
      break;
    }
    if (v === '--') {
      script = args[i + 1];
      break;
    }
    if (v.startsWith('--')) {
      const opt = v.split('=')[0]!;
      if (inline.long.includes(opt)) {
        facts.neverAuto.push(`${name} ${opt} runs a string as code`);
        return;
      }
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      const letters = v.slice(1);
      if ([...letters].some((l) => inline.short.includes(l))) {
        facts.neverAuto.push(`${name} ${v} runs a string as code`);
        return;
      }
      if (name === 'python' && letters.startsWith('m')) return; // `python -m module`: runs an installed module
      if ((name === 'python' && /[WXQ]$/.test(letters)) || (name === 'node' && /^(r|-require)$/.test(letters))) i++;
      continue;
    }
    script = w;
    break;
  }
  if (!script && !/^(-v|--version|-V|-h|--help)$/.test(args[0]?.literal ?? '')) {
    if (facts.programFromStdin || stdinFed || args.length === 0) {
      facts.programFromStdin = true;
      facts.neverAuto.push(`${name} runs a program piped or redirected into it`);
    }
    return;
  }
  if (script) facts.paths.push({ word: script, role: 'read', what: 'runs the script' });
}

type Known = (args: readonly ShellWord[], facts: CommandFacts, plain: boolean) => void;

/** Operands as read paths, with an allowlist of options for the read-only default. */
function readOnlyCommand(spec: {
  flags: string;
  shortValued?: string;
  long?: readonly string[];
  longValued?: readonly string[];
  anyOption?: boolean;
  numericShort?: boolean;
  noOperands?: boolean;
  pathValued?: readonly string[];
}): Known {
  return (args, facts, plain) => {
    const scan = scanOptions(args, { shortValued: spec.shortValued ?? '', longValued: spec.longValued ?? [] });
    let why: string | undefined;
    if (scan.unknown.length > 0) why = `"${scan.unknown[0]!.text}" is computed at run time`;
    for (const o of scan.options) {
      const letter = o.name.length === 2 && o.name[0] === '-' ? o.name[1]! : undefined;
      if (spec.pathValued?.includes(o.name)) {
        const w = valueWord(o);
        if (w) facts.paths.push({ word: w, role: 'read', what: 'reads' });
        continue;
      }
      if (spec.anyOption) continue;
      if (letter !== undefined && (spec.flags.includes(letter) || spec.shortValued?.includes(letter))) continue;
      if (spec.numericShort && /^-[0-9]+$/.test(o.word.literal ?? '')) continue;
      if (o.name.startsWith('--')) {
        const n = o.name.slice(2);
        if (spec.long?.includes(n) || spec.longValued?.includes(n)) continue;
      }
      why ??= `option ${o.word.literal ?? o.name} is not on the read-only list`;
    }
    if (spec.noOperands && scan.operands.length > 0) why ??= 'takes no arguments';
    for (const w of scan.operands) {
      if (w.literal === '-' && !w.home) continue;
      facts.paths.push({ word: w, role: 'read', what: 'reads' });
    }
    facts.readOnly = !plain ? { ok: false, why: 'named by a path' } : why ? { ok: false, why } : { ok: true };
  };
}

/**
 * Every operand is written (deleted, created, modified). For chmod/chown the first operand is a mode or an
 * owner; it is checked as a path too, which is harmless (a mode never names a protected file) and spares us
 * from guessing whether `-x` is an option or a mode.
 */
function writer(spec: { shortValued?: string; longValued?: readonly string[]; what: string }): Known {
  return (args, facts) => {
    const scan = scanOptions(args, { shortValued: spec.shortValued ?? '', longValued: spec.longValued ?? [] });
    if (scan.unknown.length > 0) facts.neverAuto.push(`"${scan.unknown[0]!.text}" is computed at run time`);
    for (const w of scan.operands) facts.paths.push({ word: w, role: 'write', what: spec.what });
    for (const o of scan.options) {
      const w = valueWord(o);
      if (w && (o.name === '-r' || o.name === '--reference'))
        facts.paths.push({ word: w, role: 'read', what: 'reads' });
    }
  };
}

/** cp/mv/install/ln: the destination is written; sources are read (cp, install) or removed (mv). */
function copier(kind: 'cp' | 'mv' | 'install' | 'ln'): Known {
  return (args, facts) => {
    const scan = scanOptions(args, {
      shortValued: kind === 'install' ? 'tSgmo' : 'tS',
      longValued: ['target-directory', 'suffix', 'group', 'mode', 'owner', 'sparse', 'reflink', 'backup'],
    });
    if (scan.unknown.length > 0) facts.neverAuto.push(`"${scan.unknown[0]!.text}" is computed at run time`);
    let target: ShellWord | undefined;
    for (const o of scan.options) {
      if (o.name === '-t' || o.name === '--target-directory') target = valueWord(o);
    }
    let sources = scan.operands;
    if (!target && !(kind === 'install' && scan.options.some((o) => o.name === '-d'))) {
      target = sources[sources.length - 1];
      sources = sources.slice(0, -1);
    } else if (kind === 'install' && scan.options.some((o) => o.name === '-d')) {
      for (const w of sources) facts.paths.push({ word: w, role: 'write', what: 'creates' });
      sources = [];
    }
    if (target) facts.paths.push({ word: target, role: 'write', what: kind === 'ln' ? 'creates a link at' : 'writes' });
    for (const w of sources) {
      if (kind === 'ln') continue;
      facts.paths.push({ word: w, role: kind === 'mv' ? 'write' : 'read', what: kind === 'mv' ? 'moves' : 'copies' });
    }
  };
}

const GIT_READ_SUBCOMMANDS = new Set(['status', 'diff', 'log', 'show']);
/** git options that make it run programs or write files. */
const GIT_DANGEROUS = /^--(output|ext-diff|no-index|exec|upload-pack|receive-pack|open-files-in-pager)(=|$)|^-O/;

function git(args: readonly ShellWord[], facts: CommandFacts, plain: boolean): void {
  let i = 0;
  let why: string | undefined;
  for (; i < args.length; i++) {
    const w = args[i]!;
    const v = w.literal;
    if (v === undefined) {
      why = `"${w.text}" is computed at run time`;
      break;
    }
    if (!v.startsWith('-')) break;
    if (v === '-c' || v.startsWith('--config-env') || v.startsWith('--exec-path')) {
      facts.neverAuto.push(`git ${v.split('=')[0]} can make git run any program`);
      if (v === '-c') i++;
      continue;
    }
    if (v === '-C' || v === '--git-dir' || v === '--work-tree' || v === '--namespace' || v === '--super-prefix') {
      why ??= `git ${v} works on another directory`;
      i++;
      continue;
    }
    if (/^--(git-dir|work-tree|namespace|super-prefix)=/.test(v)) {
      why ??= `git ${v.split('=')[0]} works on another directory`;
      continue;
    }
    if (v === '--no-pager' || v === '-P' || v === '--no-optional-locks' || v === '--literal-pathspecs') continue;
    why ??= `git option ${v} is not on the read-only list`;
  }
  const sub = args[i]?.literal;
  const rest = args.slice(i + 1);
  if (sub === 'config') {
    gitConfig(rest, facts);
    return;
  }
  if (sub === undefined || !GIT_READ_SUBCOMMANDS.has(sub)) {
    mentionAll(rest, facts);
    return;
  }
  let pathspecs = false;
  for (const w of rest) {
    const v = w.literal;
    if (v === undefined) {
      why ??= `"${w.text}" is computed at run time`;
      continue;
    }
    if (!pathspecs && v === '--') {
      pathspecs = true;
      continue;
    }
    if (!pathspecs && v.startsWith('-')) {
      if (GIT_DANGEROUS.test(v)) {
        why = `git ${sub} ${v} writes files or runs programs`;
        if (v.startsWith('--output')) {
          const target = v.includes('=') ? v.slice(v.indexOf('=') + 1) : undefined;
          if (target)
            facts.paths.push({ word: { ...w, literal: target, text: target }, role: 'write', what: 'writes' });
          facts.neverAuto.push(`git ${sub} --output writes a file`);
        }
      }
      continue;
    }
    // A revision, a path, or `rev:path` (which prints that file's content from history).
    const colon = v.indexOf(':');
    const p = !pathspecs && colon !== -1 ? v.slice(colon + 1) : v;
    if (p !== '') facts.paths.push({ word: { ...w, literal: p, text: p }, role: 'read', what: 'shows' });
  }
  facts.readOnly = !plain ? { ok: false, why: 'named by a path' } : why ? { ok: false, why } : { ok: true };
}

function gitConfig(args: readonly ShellWord[], facts: CommandFacts): void {
  const scan = scanOptions(args, { shortValued: 'f', longValued: ['file', 'blob', 'default', 'type'] });
  const readOnly = scan.options.some((o) =>
    /^(--get|--get-all|--get-regexp|--get-urlmatch|-l|--list|--show-origin|--show-scope|--name-only|get|list)$/.test(
      o.name,
    ),
  );
  if (
    readOnly ||
    (scan.operands.length === 1 && scan.operands[0]?.literal && /^(get|list)$/.test(scan.operands[0].literal))
  ) {
    return;
  }
  const scope = scan.options.find((o) => o.name === '--global' || o.name === '--system');
  const file = scan.options.find((o) => o.name === '-f' || o.name === '--file');
  const target: ShellWord | undefined = file
    ? valueWord(file)
    : scope
      ? { text: '~/.gitconfig', literal: '.gitconfig', home: true, start: 0, end: 0 }
      : { text: '.git/config', literal: '.git/config', start: 0, end: 0 };
  if (target) facts.paths.push({ word: target, role: 'write', what: 'changes git configuration in' });
}

function find(args: readonly ShellWord[], facts: CommandFacts, plain: boolean): void {
  let i = 0;
  let why: string | undefined;
  // Leading options (-H -L -P -D x -Ox), then starting points, then the expression.
  for (; i < args.length; i++) {
    const v = args[i]!.literal;
    if (v === '-H' || v === '-L' || v === '-P' || (v !== undefined && /^-O[0-9]$/.test(v))) continue;
    if (v === '-D') {
      i++;
      continue;
    }
    break;
  }
  const starts: ShellWord[] = [];
  for (; i < args.length; i++) {
    const w = args[i]!;
    const v = w.literal;
    if (v !== undefined && (v.startsWith('-') || v === '(' || v === '!' || v === ')' || v === ',')) break;
    if (v === undefined && /^[-(!]/.test(w.text)) break;
    starts.push(w);
  }
  for (const w of starts) facts.paths.push({ word: w, role: 'read', what: 'searches' });
  for (; i < args.length; i++) {
    const w = args[i]!;
    const v = w.literal;
    if (v === undefined) continue; // patterns such as -name "$x" only filter names
    if (v === '-exec' || v === '-execdir' || v === '-ok' || v === '-okdir') {
      const end = args.findIndex((x, k) => k > i && (x.literal === ';' || x.literal === '+'));
      const inner = args.slice(i + 1, end === -1 ? args.length : end).filter((x) => x.literal !== '{}');
      facts.neverAuto.push(`find ${v} runs a command on every file it finds`);
      if (inner.length > 0) {
        const innerFacts = commandFacts({
          index: -1,
          text: inner.map((x) => x.text).join(' '),
          start: inner[0]!.start,
          end: inner[inner.length - 1]!.end,
          argv: inner,
          assignments: [],
          redirects: [],
          context: 'top',
          depth: 0,
          background: false,
          pipeline: { id: -1, index: 0, length: 1 },
        });
        facts.views.push(
          ...innerFacts.views.map((view) => ({ ...view, dynamicTail: true, via: ['find', ...view.via] })),
        );
        facts.neverAuto.push(...innerFacts.neverAuto);
        facts.refuse.push(...innerFacts.refuse);
        facts.paths.push(...innerFacts.paths);
        facts.nested.push(...innerFacts.nested);
      }
      why = `find ${v} runs commands`;
      i = end === -1 ? args.length : end;
      continue;
    }
    if (v === '-delete') {
      for (const w2 of starts.length ? starts : [{ text: '.', literal: '.', start: 0, end: 0 }]) {
        facts.paths.push({ word: w2, role: 'write', what: 'deletes files under' });
      }
      facts.recursiveDelete = true;
      why = 'find -delete deletes files';
      continue;
    }
    if (v === '-fprint' || v === '-fprint0' || v === '-fprintf' || v === '-fls') {
      const target = args[i + 1];
      if (target) facts.paths.push({ word: target, role: 'write', what: 'writes' });
      why = `find ${v} writes a file`;
      i++;
    }
  }
  facts.readOnly = !plain ? { ok: false, why: 'named by a path' } : why ? { ok: false, why } : { ok: true };
}

function sed(args: readonly ShellWord[], facts: CommandFacts): void {
  const scan = scanOptions(args, { shortValued: 'efl', longValued: ['expression', 'file', 'line-length'] });
  const inPlace = scan.options.some((o) => o.name === '-i' || o.name === '--in-place');
  const hasScript = scan.options.some(
    (o) => o.name === '-e' || o.name === '--expression' || o.name === '-f' || o.name === '--file',
  );
  for (const o of scan.options) {
    const w = valueWord(o);
    if (w && (o.name === '-f' || o.name === '--file')) facts.paths.push({ word: w, role: 'read', what: 'reads' });
  }
  const operands = hasScript ? scan.operands : scan.operands.slice(1);
  for (const w of operands) {
    facts.paths.push({ word: w, role: inPlace ? 'write' : 'read', what: inPlace ? 'edits' : 'reads' });
  }
  if (scan.unknown.length > 0) facts.neverAuto.push(`"${scan.unknown[0]!.text}" is computed at run time`);
}

function dd(args: readonly ShellWord[], facts: CommandFacts): void {
  for (const w of args) {
    const v = w.literal;
    if (v === undefined) {
      facts.neverAuto.push(`dd operand "${w.text}" is computed at run time`);
      continue;
    }
    const m = /^(if|of)=(.*)$/s.exec(v);
    if (!m) continue;
    const word = { ...w, text: m[2]!, literal: m[2]! };
    if (m[1] === 'of' && m[2]!.startsWith('/dev/') && !BENIGN_SINKS.has(m[2]!)) {
      facts.refuse.push(`dd of=${m[2]} writes straight to a device`);
    }
    facts.paths.push({ word, role: m[1] === 'of' ? 'write' : 'read', what: m[1] === 'of' ? 'writes' : 'reads' });
  }
}

function curl(args: readonly ShellWord[], facts: CommandFacts): void {
  const scan = scanOptions(args, {
    shortValued: 'oTdFKcDHXAeEuUxbmrwyYzCQ',
    longValued: [
      'output',
      'upload-file',
      'data',
      'data-binary',
      'data-raw',
      'data-urlencode',
      'data-ascii',
      'json',
      'form',
      'config',
      'cookie-jar',
      'dump-header',
      'trace',
      'trace-ascii',
      'output-dir',
      'header',
      'request',
      'user-agent',
      'referer',
      'user',
      'proxy',
      'cookie',
      'max-time',
      'connect-timeout',
      'stderr',
      'libcurl',
    ],
  });
  let remoteName = false;
  for (const o of scan.options) {
    const w = valueWord(o);
    const n = o.name;
    if (n === '-O' || n === '--remote-name' || n === '--remote-name-all') remoteName = true;
    if (!w) continue;
    if (
      [
        '-o',
        '--output',
        '-c',
        '--cookie-jar',
        '-D',
        '--dump-header',
        '--trace',
        '--trace-ascii',
        '--stderr',
        '--libcurl',
      ].includes(n)
    ) {
      if (!isBenignSink(w) && w.literal !== '-') facts.paths.push({ word: w, role: 'write', what: 'downloads into' });
    } else if (n === '--output-dir') {
      facts.paths.push({ word: w, role: 'write', what: 'downloads into' });
    } else if (n === '-T' || n === '--upload-file' || n === '-K' || n === '--config') {
      facts.paths.push({ word: w, role: 'read', what: 'uploads' });
    } else if (
      ['-d', '--data', '--data-binary', '--data-urlencode', '--data-ascii', '--json', '-F', '--form'].includes(n)
    ) {
      const v = w.literal;
      const at = v === undefined ? -1 : v.search(/[@<]/);
      if (v !== undefined && at !== -1 && (n === '-F' || n === '--form' || n === '--data-urlencode' || at === 0)) {
        const file = v.slice(at + 1).split(';')[0]!;
        if (file !== '' && file !== '-')
          facts.paths.push({ word: { ...w, literal: file, text: file }, role: 'read', what: 'uploads' });
      }
    }
  }
  if (remoteName) {
    for (const u of scan.operands) {
      const name = u.literal?.split(/[?#]/)[0]?.split('/').pop();
      if (name) facts.paths.push({ word: { ...u, literal: name, text: name }, role: 'write', what: 'downloads into' });
    }
  }
}

function wget(args: readonly ShellWord[], facts: CommandFacts): void {
  const scan = scanOptions(args, {
    shortValued: 'OoaPiBeUTtwQlAR',
    longValued: [
      'output-document',
      'output-file',
      'append-output',
      'directory-prefix',
      'input-file',
      'post-file',
      'body-file',
    ],
  });
  let named = false;
  for (const o of scan.options) {
    const w = valueWord(o);
    if (!w) continue;
    if (['-O', '--output-document', '-o', '--output-file', '-a', '--append-output'].includes(o.name)) {
      if (o.name === '-O' || o.name === '--output-document') named = true;
      if (w.literal !== '-' && !isBenignSink(w)) facts.paths.push({ word: w, role: 'write', what: 'downloads into' });
    } else if (o.name === '-P' || o.name === '--directory-prefix') {
      named = true;
      facts.paths.push({ word: w, role: 'write', what: 'downloads into' });
    } else if (['-i', '--input-file', '--post-file', '--body-file'].includes(o.name)) {
      facts.paths.push({ word: w, role: 'read', what: 'uploads' });
    }
  }
  if (!named) {
    for (const u of scan.operands) {
      const name = u.literal?.split(/[?#]/)[0]?.split('/').pop();
      if (name) facts.paths.push({ word: { ...u, literal: name, text: name }, role: 'write', what: 'downloads into' });
    }
  }
}

function tee(args: readonly ShellWord[], facts: CommandFacts): void {
  const scan = scanOptions(args, {});
  for (const w of scan.operands) {
    if (!isBenignSink(w)) facts.paths.push({ word: w, role: 'write', what: 'writes' });
  }
  if (scan.unknown.length > 0) facts.neverAuto.push(`"${scan.unknown[0]!.text}" is computed at run time`);
}

function rm(args: readonly ShellWord[], facts: CommandFacts): void {
  writer({ what: 'deletes' })(args, facts, true);
  const scan = scanOptions(args, {});
  if (scan.options.some((o) => o.name === '-r' || o.name === '-R' || o.name === '--recursive'))
    facts.recursiveDelete = true;
}

const KNOWN: Record<string, Known> = {
  ls: readOnlyCommand({
    flags: '',
    anyOption: true,
    shortValued: 'ITw',
    longValued: [
      'hide',
      'ignore',
      'width',
      'tabsize',
      'format',
      'sort',
      'time',
      'quoting-style',
      'indicator-style',
      'block-size',
      'time-style',
    ],
  }),
  pwd: readOnlyCommand({ flags: 'LP', noOperands: true }),
  cat: readOnlyCommand({
    flags: 'AbeEnstTuv',
    long: ['show-all', 'number-nonblank', 'show-ends', 'number', 'squeeze-blank', 'show-tabs', 'show-nonprinting'],
  }),
  head: readOnlyCommand({
    flags: 'qvz',
    shortValued: 'nc',
    numericShort: true,
    long: ['quiet', 'silent', 'verbose', 'zero-terminated'],
    longValued: ['lines', 'bytes'],
  }),
  tail: readOnlyCommand({
    flags: 'fFqvz',
    shortValued: 'ncs',
    numericShort: true,
    long: ['follow', 'retry', 'quiet', 'silent', 'verbose', 'zero-terminated'],
    longValued: ['lines', 'bytes', 'sleep-interval', 'pid', 'max-unchanged-stats'],
  }),
  wc: readOnlyCommand({
    flags: 'clmLw',
    long: ['bytes', 'chars', 'lines', 'max-line-length', 'words', 'total'],
    longValued: ['files0-from'],
    pathValued: ['--files0-from'],
  }),
  git,
  find,
  rm,
  rmdir: writer({ what: 'deletes' }),
  unlink: writer({ what: 'deletes' }),
  shred: writer({ what: 'destroys', shortValued: 'ns', longValued: ['iterations', 'size', 'random-source'] }),
  mkdir: writer({ what: 'creates', shortValued: 'm', longValued: ['mode', 'context'] }),
  touch: writer({ what: 'touches', shortValued: 'drt', longValued: ['date', 'reference', 'time'] }),
  truncate: writer({ what: 'truncates', shortValued: 'sr', longValued: ['size', 'reference'] }),
  chmod: writer({ what: 'changes permissions of' }),
  chown: writer({ what: 'changes the owner of' }),
  chgrp: writer({ what: 'changes the group of' }),
  chattr: writer({ what: 'changes attributes of' }),
  cp: copier('cp'),
  mv: copier('mv'),
  install: copier('install'),
  ln: copier('ln'),
  tee,
  dd,
  sed,
  curl,
  wget,
};
