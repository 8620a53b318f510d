/**
 * Permission rules in Claude Code's syntax: `Tool` or `Tool(specifier)`.
 *
 * - `Bash(git status)` matches exactly that command; `Bash(npm run test:*)` (legacy prefix form) and
 *   `Bash(npm run test *)` match it followed by anything; `*` inside a word (`Bash(npm run test*)`) matches any
 *   characters of that word. Rules are matched **per simple command, on the parsed words**, never on raw text:
 *   quoting is understood (`Bash(git commit -m "a && b")` is one command), `&&`/`|`/`;` can never be smuggled
 *   into a match, a quoted `'*'` is a literal star, and a `$VAR` in the command only matches a `*` of the rule.
 *   `NAME=value` prefixes are part of the command: `Bash(npm test)` does not match `NODE_OPTIONS=… npm test`.
 * - `Read(path)`, `Edit(path)`, `Write(path)` take gitignore-style patterns: `//abs/path` (absolute),
 *   `~/path` (home), `/path` and `./path` (relative to the project root), and a pattern without `/` matches
 *   that name at any depth (`Read(*.pem)`). `**` crosses directories, `*` and `?` stay within one. Matched on
 *   the canonical path (after realpath), and for deny/ask also on the path as written. `Edit` rules also cover
 *   `write_file` (as in Claude Code, Edit covers every file-editing tool); `Write` rules only `write_file`.
 *   `Read` rules cover `read_file`, `list_dir`, `glob`, `grep` and shell commands that read.
 * - A bare `Bash` / `Read` / `Edit` / `Write` (or `Tool(*)`) matches every use of the tool.
 * Deny and ask rules match case-insensitively (a bypass by case is impossible); allow rules match exactly.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { parse, type Word } from 'unbash';
import type { ResolvedPath } from './paths';

export type RuleTool = 'Bash' | 'Read' | 'Edit' | 'Write';
export type RuleList = 'allow' | 'ask' | 'deny';
/** Where a rule came from: user-level settings, project settings, a CLI flag, or an answer given this session. */
export type RuleOrigin = 'user' | 'project' | 'cli' | 'session';

export const RULE_TOOLS: readonly RuleTool[] = ['Bash', 'Read', 'Edit', 'Write'];

/** Claude Code tools that may appear in a shared `.claude/settings*.json` but mean nothing to us. */
const FOREIGN_TOOLS =
  /^(WebFetch|WebSearch|Glob|Grep|LS|NotebookEdit|NotebookRead|Task|TodoWrite|MultiEdit|Agent|Skill|SlashCommand|KillShell|BashOutput|ExitPlanMode|mcp__[\w-]+(__[\w-]+)?)$/;

export interface RuleSourceLocation {
  file: string;
  line: number;
  column: number;
}

type Token = { kind: 'any' } | { kind: 'word'; literal: string; pattern?: RegExp };

export interface Rule {
  /** As written. */
  text: string;
  tool: RuleTool;
  list: RuleList;
  origin: RuleOrigin;
  location?: RuleSourceLocation;
  /** Bash: the word pattern; `undefined` means every command. */
  words?: Token[];
  /** Read/Edit/Write: the path pattern; `undefined` means every path. */
  path?: PathPattern;
}

export interface PathPattern {
  /** What the pattern is relative to. */
  base: 'root' | 'home' | 'absolute';
  /** The pattern relative to `base` (for `absolute`, starting with `/`). */
  pattern: string;
  /** No wildcard at all: names exactly one file (needed to allow a sensitive file). */
  exact: boolean;
  match: (relative: string) => boolean;
  matchNoCase: (relative: string) => boolean;
}

export type RuleParseResult =
  | { ok: true; rule: Rule }
  /** A rule for a tool Context Forge does not have (from a shared Claude Code settings file): ignored. */
  | { ok: false; unsupported: true; message: string; column: number }
  | { ok: false; unsupported?: false; message: string; column: number };

/** Parses one rule. `column` in errors is 1-based within `text`. */
export function parseRule(text: string, list: RuleList, origin: RuleOrigin): RuleParseResult {
  const fail = (message: string, column: number): RuleParseResult => ({ ok: false, message, column });
  if (text.trim() === '') return fail('empty rule; write e.g. "Bash(npm test)" or "Read(./docs/**)"', 1);
  if (text !== text.trim()) {
    return fail('remove the spaces around the rule', text !== text.trimStart() ? 1 : text.trimEnd().length + 1);
  }
  const m = /^([A-Za-z][\w-]*)(?:\((.*)\))?$/s.exec(text);
  if (!m) {
    const name = /^[A-Za-z][\w-]*/.exec(text)?.[0];
    if (!name) return fail('a rule starts with a tool name: Bash, Read, Edit or Write', 1);
    const rest = text.slice(name.length);
    if (!rest.startsWith('('))
      return fail(`unexpected "${rest[0]}" after the tool name; write ${name}(…)`, name.length + 1);
    const close = text.lastIndexOf(')');
    if (close === -1 || close < name.length) return fail('missing ")" at the end of the rule', text.length + 1);
    return fail(`unexpected text after ")": "${text.slice(close + 1)}"`, close + 2);
  }
  const toolName = m[1]!;
  const spec = m[2];
  if (!(RULE_TOOLS as readonly string[]).includes(toolName)) {
    const fixed = RULE_TOOLS.find((t) => t.toLowerCase() === toolName.toLowerCase());
    if (fixed) return fail(`unknown tool "${toolName}"; did you mean "${fixed}"?`, 1);
    if (FOREIGN_TOOLS.test(toolName)) {
      return {
        ok: false,
        unsupported: true,
        message: `"${toolName}" is a Claude Code tool that Context Forge does not have; the rule is ignored`,
        column: 1,
      };
    }
    return fail(`unknown tool "${toolName}"; rules name Bash, Read, Edit or Write`, 1);
  }
  const tool = toolName as RuleTool;
  const rule: Rule = { text, tool, list, origin };
  if (spec === undefined || spec === '*') return { ok: true, rule };
  const specColumn = toolName.length + 2;
  if (spec.trim() === '') return fail(`empty "()"; write "${tool}" alone to match every use`, specColumn);
  if (tool === 'Bash') {
    const words = parseBashPattern(spec);
    if ('error' in words) return fail(words.error, specColumn + words.offset);
    rule.words = words.tokens;
    return { ok: true, rule };
  }
  const p = parsePathPattern(spec);
  if ('error' in p) return fail(p.error, specColumn + p.offset);
  rule.path = p;
  return { ok: true, rule };
}

function parseBashPattern(spec: string): { tokens: Token[] } | { error: string; offset: number } {
  let body = spec;
  let prefix = false;
  if (body.endsWith(':*')) {
    body = body.slice(0, -2);
    prefix = true;
  }
  const legacy = body.indexOf(':*');
  if (legacy !== -1) return { error: '":*" may only end a rule (it means "followed by anything")', offset: legacy };
  if (body.trim() === '') return { error: 'nothing before ":*"', offset: 0 };
  const script = parse(body);
  const errors = (script as { errors?: readonly { message: string; pos: number }[] }).errors ?? [];
  if (errors.length > 0) return { error: `not a valid command: ${errors[0]!.message}`, offset: errors[0]!.pos };
  const statements = script.commands;
  if (statements.length !== 1 || statements[0]!.background) {
    return { error: 'a rule names one command; write one rule per command', offset: statements[1]?.pos ?? 0 };
  }
  const command = statements[0]!.command;
  if (command.type !== 'Command') {
    return { error: 'a rule names one simple command (no &&, ||, |, ;, subshells or loops)', offset: command.pos };
  }
  const tokens: Token[] = [];
  for (const p of command.prefix) {
    if (p.type !== 'Assignment') return { error: 'a rule cannot contain redirections', offset: p.pos };
    if (p.value.type !== 'Word') return { error: 'array assignments cannot be matched', offset: p.pos };
    const t = wordToken(p.value);
    if ('error' in t) return t;
    if (t.kind !== 'word') return { error: 'an assignment value must be literal', offset: p.pos };
    tokens.push(
      t.pattern
        ? {
            kind: 'word',
            literal: `${p.name}=${t.literal}`,
            pattern: new RegExp(`^${escapeRegex(`${p.name}=`)}${t.pattern.source.slice(1)}`),
          }
        : { kind: 'word', literal: `${p.name}=${t.literal}` },
    );
  }
  const all: Word[] = [];
  if (command.name) all.push(command.name);
  for (const s of command.suffix) {
    if (s.type === 'Word') all.push(s);
    else if (s.type === 'Assignment') {
      return { error: `write "${s.text}" in quotes to match it as an argument`, offset: s.pos };
    } else return { error: 'a rule cannot contain redirections; they are judged separately', offset: s.pos };
  }
  for (const w of all) {
    const t = wordToken(w);
    if ('error' in t) return t;
    tokens.push(t);
  }
  if (prefix) tokens.push({ kind: 'any' });
  return { tokens };
}

function wordToken(w: Word): Token | { error: string; offset: number } {
  if (w.text === '*') return { kind: 'any' };
  let regex = '';
  let literal = '';
  let wild = false;
  for (const part of w.parts ?? [{ type: 'Literal' as const, value: w.value, text: w.text, pos: w.pos, end: w.end }]) {
    switch (part.type) {
      case 'Literal':
      case 'SingleQuoted':
      case 'AnsiCQuoted':
        literal += part.value;
        regex += escapeRegex(part.value);
        break;
      case 'DoubleQuoted':
        for (const c of part.parts) {
          if (c.type !== 'Literal') {
            return { error: `"${c.text}" would never match; quote it with '…' to match that text`, offset: c.pos };
          }
          literal += c.value;
          regex += escapeRegex(c.value);
        }
        break;
      case 'Glob':
        if (part.kind === 'star') {
          wild = true;
          regex += '.*';
          literal += '*';
        } else {
          literal += part.text;
          regex += escapeRegex(part.text);
        }
        break;
      case 'BraceExpansion':
      case 'ExtendedGlob':
        literal += part.text;
        regex += escapeRegex(part.text);
        break;
      default:
        return { error: `"${part.text}" would never match; quote it with '…' to match that text`, offset: part.pos };
    }
  }
  return wild ? { kind: 'word', literal, pattern: new RegExp(`^${regex}$`, 's') } : { kind: 'word', literal };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function parsePathPattern(spec: string): PathPattern | { error: string; offset: number } {
  if (spec.includes('\0')) return { error: 'NUL byte in path', offset: spec.indexOf('\0') };
  let base: PathPattern['base'];
  let pattern: string;
  if (spec.startsWith('//')) {
    base = 'absolute';
    pattern = spec.slice(1);
  } else if (spec === '~' || spec.startsWith('~/')) {
    base = 'home';
    pattern = spec.slice(2) || '**';
  } else if (spec.startsWith('/')) {
    base = 'root';
    pattern = spec.slice(1);
  } else if (spec.startsWith('./')) {
    base = 'root';
    pattern = spec.slice(2);
  } else if (spec.startsWith('~')) {
    return { error: '"~user" paths are not supported; write "~/…" or "//absolute/path"', offset: 0 };
  } else {
    base = 'root';
    pattern = spec.includes('/') ? spec : `**/${spec}`;
  }
  if (base !== 'absolute') {
    const normal = path.posix.normalize(pattern);
    if (normal === '..' || normal.startsWith('../')) {
      return { error: 'a pattern cannot climb out of its base with ".."; write "//absolute/path"', offset: 0 };
    }
    pattern = normal === '.' ? '**' : normal.replace(/\/$/, '/**');
  }
  if (pattern.endsWith('/')) pattern += '**';
  const exact = !/[*?[\]{}!]/.test(pattern);
  const options = { dot: true };
  return {
    base,
    pattern,
    exact,
    match: picomatch(pattern, options),
    matchNoCase: picomatch(pattern, { ...options, nocase: true }),
  };
}

/**
 * Whether a Bash rule matches a command given as words (`undefined` = a word only known at run time).
 * `openEnd`: more words will be appended at run time (xargs); for deny rules the unknown tail may match anything.
 */
export function matchBashRule(
  rule: Rule,
  words: readonly (string | undefined)[],
  options: { openEnd?: boolean; loose?: boolean } = {},
): boolean {
  const tokens = rule.words;
  if (!tokens) return true;
  const loose = options.loose ?? rule.list !== 'allow';
  const memo = new Map<number, boolean>();
  const go = (t: number, w: number): boolean => {
    const key = t * 10007 + w;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let r: boolean;
    if (t === tokens.length) r = w === words.length;
    else if (w === words.length && options.openEnd && loose) r = true;
    else {
      const tok = tokens[t]!;
      if (tok.kind === 'any') r = go(t + 1, w) || (w < words.length && go(t, w + 1));
      else if (w === words.length) r = false;
      else {
        const word = words[w];
        let hit: boolean;
        if (word === undefined)
          hit = loose; // deny/ask: an unknown word might be anything
        else if (tok.pattern) hit = loose ? new RegExp(tok.pattern.source, 'is').test(word) : tok.pattern.test(word);
        else hit = loose ? word.toLowerCase() === tok.literal.toLowerCase() : word === tok.literal;
        r = hit && go(t + 1, w + 1);
      }
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

export interface PathMatchContext {
  /** Canonical and as-written project roots. */
  roots: readonly string[];
  homes: readonly string[];
}

/** Whether a path rule matches a resolved path: the canonical path always; the written one too for deny/ask. */
export function matchPathRule(rule: Rule, p: ResolvedPath, ctx: PathMatchContext): boolean {
  const pattern = rule.path;
  if (!pattern) return true;
  const loose = rule.list !== 'allow';
  const candidates = loose ? [p.real, p.lexical] : [p.real];
  for (const candidate of candidates) {
    for (const rel of relativeTo(pattern.base, candidate, ctx)) {
      if ((loose ? pattern.matchNoCase : pattern.match)(rel)) return true;
    }
  }
  return false;
}

function relativeTo(base: PathPattern['base'], absolute: string, ctx: PathMatchContext): string[] {
  const posix = absolute.split(path.sep).join('/');
  if (base === 'absolute') return [posix];
  const out: string[] = [];
  for (const b of base === 'root' ? ctx.roots : ctx.homes) {
    const rel = path.relative(b, absolute);
    if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) continue;
    out.push(rel.split(path.sep).join('/'));
  }
  return out;
}

/** The rules that apply, by list. Order inside a list does not matter: any match counts. */
export interface RuleSet {
  deny: Rule[];
  ask: Rule[];
  allow: Rule[];
}

export function emptyRuleSet(): RuleSet {
  return { deny: [], ask: [], allow: [] };
}

/** Rules for one tool, in evaluation order deny → ask → allow. */
export function rulesFor(set: RuleSet, tools: readonly RuleTool[]): { deny: Rule[]; ask: Rule[]; allow: Rule[] } {
  const pick = (list: Rule[]) => list.filter((r) => tools.includes(r.tool));
  return { deny: pick(set.deny), ask: pick(set.ask), allow: pick(set.allow) };
}

export function describeRule(rule: Rule): string {
  const where = rule.location
    ? ` (${rule.location.file}:${rule.location.line}:${rule.location.column})`
    : rule.origin === 'cli'
      ? ` (--${rule.list})`
      : rule.origin === 'session'
        ? ' (approved this session)'
        : '';
  return `${rule.list} rule ${rule.text}${where}`;
}
