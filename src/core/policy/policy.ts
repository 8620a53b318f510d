/**
 * The permission policy: decides whether a shell command or a tool call may run without asking (`allow`),
 * needs a human (`ask`), or must not run (`deny`). Enforced by the harness, never by the model: nothing in a
 * tool call's input (`requires_approval: false`, "this is safe") is read.
 *
 * For each simple command of a shell line (every segment — a compound command is allowed only if all are):
 * 1. **Always refused** (the floor; no rule, approval or `--yes` changes it): hidden Unicode or control
 *    characters anywhere in the line; writes (shell redirections, `tee`, `cp`, `mv`, `rm`, `sed -i`, `curl -o`…,
 *    or the write tools) to `.git/`, `.vscode/`, `.idea/`, `.claude/`, `.cursor/`, `.gemini/`, `.husky/`,
 *    `.devcontainer/`, `.context-forge/`, `.mcp.json`, `.envrc`, shell rc files, Context Forge's own user-level
 *    store, or anywhere outside the project — all after realpath; catastrophic patterns (`rm -r` of `/`, `~`, the
 *    project root or an ancestor; `mkfs`; `dd of=/dev/…`; a function that calls itself — the fork bomb; code
 *    fetched from the network piped or substituted into a shell or interpreter); reading a sensitive file
 *    (`.env*` but not `.env.example/.sample/.template/.dist`, `*.pem`, `*.key`, `id_rsa*`, `.npmrc`, `.netrc`,
 *    `.git/config`, `secrets/**`, `~/.ssh`, `~/.aws`, `~/.gnupg`, `/proc/<pid>/environ`…) unless an allow rule
 *    names that exact file (`Read(./.env)`, no wildcard).
 * 2. **Deny rules** (user, CLI, project) → deny.
 * 3. **Never auto-allowed** (the best a rule can get is a prompt): command/process substitution; `${x@P}`,
 *    `${x=…}`, `${!x}` and arithmetic evaluation (which runs code through subscripts); output redirected into a
 *    file (`2>&1`, `>&2`, `N>&-` and `> /dev/null` are fine: they write no file); `eval`, `source`/`.`, `exec`,
 *    `trap`, `alias`; `sh|bash|zsh… -c`, `node -e/-p`, `python -c`, `perl -e`, `ruby -e`, awk programs;
 *    a shell or interpreter reading its program from a pipe, heredoc or stdin; `sudo`/`su`/`doas`; `xargs` and
 *    `find -exec` (their arguments come from input); `git -c`; a command name computed at run time; a write
 *    whose target is computed at run time; a literal argument naming a protected or sensitive path given to a
 *    command we do not know; a line that does not parse; more than 50 segments (substitutions and `-c` payloads
 *    included).
 * 4. **Ask rules** → ask. 5. **Allow rules** → allow (matched on the command that really runs, after
 *    `env`/`timeout`/`nice`/`nohup`/`stdbuf` are unwrapped).
 * 6. **Default allow**: `ls`, `pwd`, `cat`, `head`, `tail`, `wc`, `find` (without `-exec`/`-delete`/`-fprint`),
 *    `git status|diff|log|show` (without `-c`, `-C`, `--output`, `--ext-diff`, `--no-index`) with literal
 *    arguments only, every path inside the project and not sensitive, no `NAME=value` prefix, and no `cd`/
 *    `export`/assignment earlier in the line; `true`, `false`, `:`, `test`, `[`, `[[ ]]`.
 * 7. Anything else → ask.
 * A whole line whose exact text is one of the project's **approved commands** (its PRP gates, once the user
 * approved them) is allowed unless a segment is denied or matches an ask rule, or the line does not parse or is
 * over budget.
 *
 * Tool calls: `read_file`/`list_dir`/`glob`/`grep` are allowed inside the project (sensitive files refused,
 * outside asks); `write_file`/`edit_file` inside the project are allowed (`fileWrites: "allow"`, the default)
 * or asked (`"ask"`), protected paths and anything outside are refused; `run_command` goes through the above.
 */
import * as path from 'node:path';
import type { FileSystem } from '../ports/file-system';
import { type CommandFacts, type CommandView, commandFacts } from './commands';
import { PathGuard, type ReadOnlyPath, type ResolvedPath } from './paths';
import {
  describeRule,
  matchBashRule,
  matchPathRule,
  type PathMatchContext,
  type Rule,
  type RuleSet,
  type RuleTool,
  rulesFor,
} from './rules';
import type { FileWrites } from './settings';
import { analyzeShell, type FindingKind, MAX_SEGMENTS, type ShellAnalysis, type ShellSegment } from './shell-analysis';
import { describeInvisible, makeVisible } from './visible';

export type Decision = 'allow' | 'ask' | 'deny';

export type DecisionSource =
  /** Hidden Unicode or control characters. */
  | 'invisible-characters'
  /** The always-refused set. */
  | 'protected'
  | 'deny-rule'
  /** A construct that is never auto-allowed. */
  | 'never-auto'
  | 'ask-rule'
  | 'allow-rule'
  /** The built-in read-only set or default file access. */
  | 'default'
  /** One of the project's approved commands. */
  | 'approved-command'
  /** Nothing allows it. */
  | 'unknown'
  | 'invalid-input';

export interface SegmentDecision {
  text: string;
  decision: Decision;
  source: DecisionSource;
  reason: string;
  neverAuto?: boolean;
  rule?: Rule;
}

export interface PolicyDecision {
  decision: Decision;
  source: DecisionSource;
  /** For the model and the user: why. */
  reason: string;
  /** An ask that no rule and no session approval can lift: only a human's explicit, one-time yes. */
  neverAuto?: boolean;
  rule?: Rule;
  /** Shell commands: one entry per segment (nested ones included), in source order. */
  segments?: SegmentDecision[];
  /** A rule that would allow this, for messages (`--allow 'Bash(npm install)'`). */
  suggestion?: string;
  /** The command or path, with invisible characters made visible — what a prompt must show. */
  subject: string;
}

export interface PolicyConfig {
  root: string;
  home: string;
  fs: Pick<FileSystem, 'realPath' | 'stat'>;
  rules?: RuleSet;
  /** Exact texts of the project's commands the user approved (gates, workflow steps). */
  approvedCommands?: Iterable<string>;
  fileWrites?: FileWrites;
  /** Absolute paths never writable (the user-level approvals store and settings). */
  protectedPaths?: readonly string[];
  /** Paths read-only for this run (see `withReadOnlyPaths`). */
  readOnlyPaths?: readonly ReadOnlyPath[];
}

export type ToolName = 'read_file' | 'list_dir' | 'glob' | 'grep' | 'write_file' | 'edit_file' | 'run_command';

export interface ToolCall {
  tool: string;
  input: unknown;
}

const FINDING_REASONS: Partial<Record<FindingKind, string>> = {
  'command-substitution': 'command substitution ($(…) or backticks) runs a hidden command',
  'process-substitution': 'process substitution <(…)/>(…) runs a hidden command',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  'dangerous-expansion': 'the expansion (${x@P}, ${x=…}, ${!x}) can run code or change variables',
  arithmetic: 'arithmetic evaluation can run code through array subscripts',
};

const MAX_NESTING = 3;

interface WalkState {
  /** Directories the next command may run in. */
  cwds: string[];
  /** A `cd` to a place we could not follow. */
  cwdUnknown: boolean;
  /** Something earlier changed the directory, the environment, options or aliases. */
  stateChanged: boolean;
}

export class PermissionPolicy {
  readonly guard: PathGuard;
  private readonly rules: RuleSet;
  private readonly approved: Set<string>;
  private readonly fileWrites: FileWrites;

  constructor(private readonly config: PolicyConfig) {
    const env: ConstructorParameters<typeof PathGuard>[0] = { root: config.root, home: config.home, fs: config.fs };
    if (config.protectedPaths) env.protectedPaths = config.protectedPaths;
    if (config.readOnlyPaths) env.readOnlyPaths = config.readOnlyPaths;
    this.guard = new PathGuard(env);
    this.rules = config.rules ?? { allow: [], ask: [], deny: [] };
    this.approved = new Set([...(config.approvedCommands ?? [])].map((c) => c.trim()));
    this.fileWrites = config.fileWrites ?? 'allow';
  }

  /**
   * The same policy with more paths read-only (refused for writing by tools and shell commands alike, like the
   * protected set: no rule, approval or `--yes` lifts it). Used per run, e.g. for the PRP being executed.
   */
  withReadOnlyPaths(paths: readonly ReadOnlyPath[]): PermissionPolicy {
    return new PermissionPolicy({
      ...this.config,
      approvedCommands: this.approved,
      readOnlyPaths: [...(this.config.readOnlyPaths ?? []), ...paths],
    });
  }

  private async matchContext(): Promise<PathMatchContext> {
    const root = await this.guard.canonicalRoot();
    let home = path.resolve(this.config.home);
    try {
      home = await this.config.fs.realPath(home);
    } catch {
      // keep the given home
    }
    return {
      roots: [...new Set([root, path.resolve(this.config.root)])],
      homes: [...new Set([home, path.resolve(this.config.home)])],
    };
  }

  // ─── shell commands ────────────────────────────────────────────────────────

  /** Decides a shell command line run in `cwd` (default: the project root). */
  async checkCommand(command: string, options: { cwd?: string } = {}): Promise<PolicyDecision> {
    const subject = makeVisible(command);
    const invisible = describeInvisible(command);
    if (invisible) {
      return {
        decision: 'deny',
        source: 'invisible-characters',
        reason: `the command contains an invisible or control character (${invisible}); what you would see is not what would run`,
        subject,
      };
    }
    if (command.trim() === '') return { decision: 'deny', source: 'invalid-input', reason: 'empty command', subject };
    const root = await this.guard.canonicalRoot();
    let cwd = root;
    if (options.cwd !== undefined) {
      const resolved = await this.guard.resolve(options.cwd);
      if (!resolved.inside || resolved.unresolvable) {
        return {
          decision: 'deny',
          source: 'protected',
          reason: `the working directory "${options.cwd}" is outside the project`,
          subject,
        };
      }
      cwd = resolved.real;
    }
    const analysis = analyzeShell(command);
    if (analysis.truncated) {
      return {
        decision: 'deny',
        source: 'protected',
        reason: `${analysis.errors[0]?.message ?? 'too complex'}; refused`,
        subject,
      };
    }
    const segments: SegmentDecision[] = [];
    const globalNever: string[] = [];
    const counter = { n: 0 };
    await this.walk(
      analysis,
      { cwds: [cwd], cwdUnknown: false, stateChanged: false },
      segments,
      globalNever,
      0,
      counter,
    );
    if (!analysis.ok)
      globalNever.unshift(`the command does not parse (${analysis.errors[0]?.message ?? 'syntax error'})`);
    if (counter.n > MAX_SEGMENTS) {
      globalNever.unshift(
        `it has ${counter.n} commands, more than the ${MAX_SEGMENTS} that are analysed for automatic approval`,
      );
    }
    return this.combine(command, subject, segments, globalNever, analysis);
  }

  private combine(
    command: string,
    subject: string,
    segments: SegmentDecision[],
    globalNever: string[],
    analysis: ShellAnalysis,
  ): PolicyDecision {
    const denied = segments.find((s) => s.decision === 'deny');
    if (denied) {
      const d: PolicyDecision = {
        decision: 'deny',
        source: denied.source,
        reason: segments.length > 1 ? `${denied.reason} (in "${denied.text}")` : denied.reason,
        segments,
        subject,
      };
      if (denied.rule) d.rule = denied.rule;
      return d;
    }
    const asked = segments.filter((s) => s.decision === 'ask');
    const explicitAsk = asked.find((s) => s.source === 'ask-rule');
    if (this.approved.has(command.trim()) && !explicitAsk && analysis.ok && globalNever.length === 0) {
      return {
        decision: 'allow',
        source: 'approved-command',
        reason: 'one of the project commands you approved',
        segments,
        subject,
      };
    }
    if (globalNever.length > 0 || asked.length > 0) {
      const never = globalNever.length > 0 || asked.some((s) => s.neverAuto);
      const reasons = [
        ...globalNever,
        ...asked.map((s) => (segments.length > 1 ? `"${s.text}": ${s.reason}` : s.reason)),
      ];
      const first = asked.find((s) => s.neverAuto) ?? asked[0];
      const d: PolicyDecision = {
        decision: 'ask',
        source: globalNever.length > 0 ? 'never-auto' : (first?.source ?? 'unknown'),
        reason: unique(reasons).join('; '),
        segments,
        subject,
      };
      if (never) d.neverAuto = true;
      if (explicitAsk?.rule) d.rule = explicitAsk.rule;
      if (!never) d.suggestion = suggest(segments);
      return d;
    }
    const allowRule = segments.find((s) => s.source === 'allow-rule')?.rule;
    const d: PolicyDecision = {
      decision: 'allow',
      source: allowRule ? 'allow-rule' : 'default',
      reason: allowRule ? `allowed by ${describeRule(allowRule)}` : 'read-only command inside the project',
      segments,
      subject,
    };
    if (allowRule) d.rule = allowRule;
    return d;
  }

  private async walk(
    analysis: ShellAnalysis,
    state: WalkState,
    out: SegmentDecision[],
    globalNever: string[],
    depth: number,
    counter: { n: number },
  ): Promise<void> {
    counter.n += analysis.segments.length;
    const facts = analysis.segments.map((s) => commandFacts(s));
    const anyStateChange = facts.some((f) => f.changesState !== undefined);
    // Whole-line patterns: fork bombs and network code fed to an interpreter.
    const lineRefusals = new Map<number, string>();
    for (const fn of analysis.functions) {
      if (fn.body.some((i) => analysis.segments[i]?.argv[0]?.literal === fn.name)) {
        for (const i of fn.body) lineRefusals.set(i, `function ${fn.name} calls itself (the fork-bomb pattern)`);
      }
    }
    analysis.segments.forEach((s, i) => {
      const f = facts[i]!;
      const runsCode = f.interpreter || f.nested.length > 0 || f.neverAuto.some((r) => /^(eval|source|\.)/.test(r));
      if (!runsCode) return;
      const fetches = (k: number): boolean =>
        facts[k]!.fetcher === true || analysis.segments.some((o, j) => facts[j]!.fetcher && isWithin(analysis, o, k));
      const pipedFetch =
        f.programFromStdin &&
        analysis.segments.some(
          (o, k) => o.pipeline.id === s.pipeline.id && o.pipeline.index < s.pipeline.index && fetches(k),
        );
      const substitutedFetch = analysis.segments.some((o, k) => facts[k]!.fetcher && isWithin(analysis, o, i));
      if (pipedFetch || substitutedFetch) lineRefusals.set(i, 'it runs code downloaded from the network (curl | sh)');
    });
    for (let i = 0; i < analysis.segments.length; i++) {
      const segment = analysis.segments[i]!;
      const f = facts[i]!;
      const inFunction = segment.context === 'function-body';
      const decision = await this.segment(
        segment,
        f,
        analysis,
        state,
        lineRefusals.get(i),
        inFunction && anyStateChange,
      );
      out.push(decision);
      for (const nested of f.nested) {
        if (depth >= MAX_NESTING) {
          globalNever.push(`code nested more than ${MAX_NESTING} levels deep (${nested.via})`);
          continue;
        }
        const sub = analyzeShell(nested.text);
        if (!sub.ok) globalNever.push(`the code given to ${nested.via} does not parse`);
        await this.walk(sub, { ...state, cwds: [...state.cwds] }, out, globalNever, depth + 1, counter);
      }
      // State after this segment, for the ones that follow.
      if (f.changesState) state.stateChanged = true;
      if (f.changesState === 'cwd') {
        const target = f.cdTarget;
        if (!target || target.literal === undefined) state.cwdUnknown = true;
        else {
          const next: string[] = [];
          for (const base of state.cwds) {
            const r = await this.guard.resolve(target.literal, target.home ? { home: true } : { cwd: base });
            next.push(r.real);
          }
          state.cwds = unique([...state.cwds, ...next]).slice(0, 8);
        }
      }
    }
  }

  private async segment(
    segment: ShellSegment,
    facts: CommandFacts,
    analysis: ShellAnalysis,
    state: WalkState,
    lineRefusal: string | undefined,
    functionAfterStateChange: boolean,
  ): Promise<SegmentDecision> {
    const text = segment.text || segment.argv.map((w) => w.text).join(' ');
    const deny = (reason: string, source: DecisionSource, rule?: Rule): SegmentDecision => {
      const d: SegmentDecision = { text, decision: 'deny', source, reason };
      if (rule) d.rule = rule;
      return d;
    };
    // 1. The floor.
    if (lineRefusal) return deny(lineRefusal, 'protected');
    if (facts.refuse.length > 0) return deny(facts.refuse[0]!, 'protected');
    const never: string[] = [...facts.neverAuto];
    for (const finding of analysis.findings) {
      if (finding.segment !== segment.index) continue;
      const reason = FINDING_REASONS[finding.kind];
      if (reason) never.push(reason);
    }
    if (facts.recursiveDelete) {
      const catastrophic = await this.catastrophicDelete(facts, state);
      if (catastrophic) return deny(catastrophic, 'protected');
    }
    const checked = await this.checkPaths(facts, state);
    if (checked.refuse) return deny(checked.refuse, 'protected');
    never.push(...checked.never);

    // 2. Deny rules (the command in every form it takes, and the paths it touches).
    const bash = rulesFor(this.rules, ['Bash']);
    for (const rule of bash.deny) {
      if (facts.views.some((v) => matchesView(rule, v)))
        return deny(`denied by ${describeRule(rule)}`, 'deny-rule', rule);
    }
    const ctx = await this.matchContext();
    for (const { p, role } of checked.resolved) {
      for (const rule of this.pathRules(role).deny) {
        if (matchPathRule(rule, p, ctx))
          return deny(`denied by ${describeRule(rule)} ("${p.requested}")`, 'deny-rule', rule);
      }
    }

    // 3. Never auto-allowed.
    if (never.length > 0)
      return { text, decision: 'ask', source: 'never-auto', reason: unique(never).join('; '), neverAuto: true };

    // 4. Ask rules.
    for (const rule of bash.ask) {
      if (facts.views.some((v) => matchesView(rule, v))) {
        return { text, decision: 'ask', source: 'ask-rule', reason: `${describeRule(rule)} asks first`, rule };
      }
    }
    for (const { p, role } of checked.resolved) {
      for (const rule of this.pathRules(role).ask) {
        if (matchPathRule(rule, p, ctx)) {
          return {
            text,
            decision: 'ask',
            source: 'ask-rule',
            reason: `${describeRule(rule)} asks first ("${p.requested}")`,
            rule,
          };
        }
      }
    }

    // 5. Allow rules, on the command that really runs.
    if (facts.effective.argv.length > 0) {
      for (const rule of bash.allow) {
        if (matchesView(rule, facts.effective))
          return { text, decision: 'allow', source: 'allow-rule', reason: `allowed by ${describeRule(rule)}`, rule };
      }
    }

    // 6. Defaults.
    const defaultBlocked =
      state.stateChanged || state.cwdUnknown || functionAfterStateChange || facts.effective.assignments.length > 0;
    if (facts.neutral && !defaultBlocked && checked.allInsideReadable) {
      return { text, decision: 'allow', source: 'default', reason: 'has no effect beyond its exit status' };
    }
    if (facts.readOnly?.ok && !defaultBlocked && checked.allInsideReadable) {
      return { text, decision: 'allow', source: 'default', reason: 'read-only command inside the project' };
    }
    const why =
      facts.readOnly && !facts.readOnly.ok
        ? facts.readOnly.why
        : facts.readOnly?.ok || facts.neutral
          ? (checked.whyNotDefault ??
            (facts.effective.assignments.length > 0
              ? 'it sets environment variables for the command'
              : 'an earlier command changes the directory or the environment'))
          : 'not in the allow list';
    return { text, decision: 'ask', source: 'unknown', reason: why };
  }

  private pathRules(role: 'read' | 'write'): { deny: Rule[]; ask: Rule[]; allow: Rule[] } {
    const tools: RuleTool[] = role === 'read' ? ['Read'] : ['Edit', 'Write'];
    return rulesFor(this.rules, tools);
  }

  /** Resolves every path operand of a command against every directory it may run in. */
  private async checkPaths(
    facts: CommandFacts,
    state: WalkState,
  ): Promise<{
    refuse?: string;
    never: string[];
    resolved: { p: ResolvedPath; role: 'read' | 'write' }[];
    allInsideReadable: boolean;
    whyNotDefault?: string;
  }> {
    const never: string[] = [];
    const resolved: { p: ResolvedPath; role: 'read' | 'write' }[] = [];
    let allInsideReadable = true;
    let whyNotDefault: string | undefined;
    const notDefault = (why: string) => {
      allInsideReadable = false;
      whyNotDefault ??= why;
    };
    for (const op of facts.paths) {
      const w = op.word;
      if (w.literal === undefined) {
        if (op.role === 'write') never.push(`it ${op.what} "${w.text}", a path computed at run time`);
        else if (op.role === 'read') {
          never.push(`it ${op.what} "${w.text}", a path computed at run time that cannot be checked`);
        }
        notDefault(`"${w.text}" is computed at run time`);
        continue;
      }
      const relative = !w.home && !path.isAbsolute(w.literal);
      if (relative && state.cwdUnknown) {
        if (op.role !== 'mention')
          never.push(`it ${op.what} "${w.text}" after a directory change that cannot be followed`);
        notDefault('the directory it runs in is not known');
        continue;
      }
      const bases = w.home || !relative ? [undefined] : state.cwds;
      for (const base of bases) {
        const p = await this.guard.resolve(w.literal, w.home ? { home: true } : base ? { cwd: base } : {});
        p.requested = w.text;
        if (op.role === 'write') {
          const why = await this.guard.protectedWrite(p);
          if (why) return { refuse: `writing ${why}`, never, resolved, allInsideReadable: false };
          resolved.push({ p, role: 'write' });
          if (op.what === 'redirects output into') never.push(`it redirects output into a file ("${w.text}")`);
          notDefault(`it writes "${w.text}"`);
          continue;
        }
        const sensitive = await this.guard.sensitiveRead(p);
        if (op.role === 'mention') {
          const named = await this.guard.protectedName(p);
          if (named) never.push(`it passes a protected path to a command that is not understood: ${named}`);
          if (sensitive && !(await this.explicitlyAllowed(p))) {
            never.push(`it passes a sensitive file to a command that is not understood: ${sensitive}`);
          }
          continue;
        }
        if (sensitive && !(await this.explicitlyAllowed(p))) {
          return {
            refuse: `reading ${sensitive}; allow that exact file with a rule like Read(${ruleFor(p, this.config)}) if you mean it`,
            never,
            resolved,
            allInsideReadable: false,
          };
        }
        resolved.push({ p, role: 'read' });
        if (p.unresolvable) notDefault(`"${w.text}" ${p.unresolvable}`);
        else if (!p.inside) notDefault(`"${w.text}" is outside the project`);
      }
    }
    const out: Awaited<ReturnType<PermissionPolicy['checkPaths']>> = { never, resolved, allInsideReadable };
    if (whyNotDefault) out.whyNotDefault = whyNotDefault;
    return out;
  }

  /** `rm -r` of `/`, `~`, the project root or one of its ancestors (also through `*`, `$HOME`). */
  private async catastrophicDelete(facts: CommandFacts, state: WalkState): Promise<string | undefined> {
    for (const op of facts.paths) {
      if (op.role !== 'write') continue;
      const w = op.word;
      let target: string | undefined;
      let home = false;
      if (w.literal !== undefined) {
        target = w.literal;
        home = w.home === true;
      } else {
        const m = /^(?:"?\$\{?HOME\}?"?|~)(\/.*)?$/.exec(w.text);
        if (m) {
          target = (m[1] ?? '').replace(/^\/+/, '').replace(/\*+$/, '');
          home = true;
        } else if (w.glob) {
          // The directory a leading glob expands in: `/*`, `*`, `./*`, `../*`.
          const prefix = w.text.slice(0, w.text.search(/[*?[{]/));
          if (prefix === '' || prefix.endsWith('/')) target = prefix === '' ? '.' : prefix;
          if (target?.startsWith('~/')) {
            target = target.slice(2);
            home = true;
          }
        }
      }
      if (target === undefined) continue;
      for (const base of home ? [undefined] : state.cwds) {
        const p = await this.guard.resolve(target, home ? { home: true } : base ? { cwd: base } : {});
        if (await this.guard.isCatastrophicTarget(p)) {
          return `"${facts.effective.argv.map((x) => x.text).join(' ')}" would delete ${w.text === '.' || w.text === '*' ? 'the whole project' : `"${w.text}"`} (${p.real})`;
        }
      }
    }
    return undefined;
  }

  /** A sensitive file may be read only when an allow rule names exactly that file (no wildcard). */
  private async explicitlyAllowed(p: ResolvedPath): Promise<boolean> {
    const ctx = await this.matchContext();
    return rulesFor(this.rules, ['Read']).allow.some((r) => r.path?.exact === true && matchPathRule(r, p, ctx));
  }

  // ─── tool calls ────────────────────────────────────────────────────────────

  /**
   * Decides a tool call of the agent. Only the fields that say what the tool does are read (`path`, `command`,
   * `cwd`, `pattern`); anything the model adds about safety (`requires_approval`, descriptions) is ignored.
   */
  async checkToolCall(call: ToolCall): Promise<PolicyDecision> {
    const input = (typeof call.input === 'object' && call.input !== null ? call.input : {}) as Record<string, unknown>;
    const str = (key: string): string | undefined =>
      typeof input[key] === 'string' ? (input[key] as string) : undefined;
    const invalid = (reason: string, subject = ''): PolicyDecision => ({
      decision: 'deny',
      source: 'invalid-input',
      reason,
      subject,
    });
    switch (call.tool) {
      case 'run_command': {
        const command = str('command');
        if (command === undefined) return invalid('run_command needs a "command" string');
        const cwd = str('cwd');
        return this.checkCommand(command, cwd === undefined ? {} : { cwd });
      }
      case 'read_file':
      case 'list_dir':
      case 'grep': {
        const p = str('path') ?? (call.tool === 'read_file' ? undefined : '.');
        if (p === undefined) return invalid(`${call.tool} needs a "path" string`);
        return this.checkRead(p, call.tool);
      }
      case 'glob': {
        const pattern = str('pattern');
        if (pattern === undefined) return invalid('glob needs a "pattern" string');
        const base = str('path') ?? '.';
        const parts = pattern.split(/[\\/]+/);
        if (path.isAbsolute(pattern) || /^[a-zA-Z]:/.test(pattern) || parts.includes('..') || pattern.startsWith('~')) {
          const d = await this.checkRead(path.join(base, pattern.replace(/[*?[{].*$/, '') || '.'), 'glob');
          if (d.decision === 'allow')
            return {
              ...d,
              decision: 'ask',
              source: 'unknown',
              reason: `the pattern "${pattern}" reaches outside the project`,
            };
          return d;
        }
        return this.checkRead(base, 'glob');
      }
      case 'write_file':
      case 'edit_file': {
        const p = str('path');
        if (p === undefined) return invalid(`${call.tool} needs a "path" string`);
        return this.checkWrite(p, call.tool);
      }
      default:
        return invalid(`unknown tool "${call.tool}"`, call.tool);
    }
  }

  /** Read access to a file or directory by a tool. */
  async checkRead(requested: string, tool = 'read_file'): Promise<PolicyDecision> {
    const subject = makeVisible(requested);
    const invisible = describeInvisible(requested);
    if (invisible)
      return { decision: 'deny', source: 'invisible-characters', reason: `the path contains ${invisible}`, subject };
    const p = await this.guard.resolve(requested);
    const ctx = await this.matchContext();
    const sensitive = await this.guard.sensitiveRead(p);
    if (sensitive && !(await this.explicitlyAllowed(p))) {
      return {
        decision: 'deny',
        source: 'protected',
        reason: `reading ${sensitive}; allow that exact file with a rule like Read(${ruleFor(p, this.config)}) if you mean it`,
        subject,
      };
    }
    const rules = rulesFor(this.rules, ['Read']);
    const hit = (list: Rule[]) => list.find((r) => matchPathRule(r, p, ctx));
    const denied = hit(rules.deny);
    if (denied) return ruleDecision('deny', denied, subject);
    if (p.unresolvable)
      return {
        decision: 'ask',
        source: 'unknown',
        reason: `"${requested}" ${p.unresolvable}`,
        subject,
        neverAuto: true,
      };
    const asked = hit(rules.ask);
    if (asked) return ruleDecision('ask', asked, subject);
    const allowed = hit(rules.allow);
    if (allowed) return ruleDecision('allow', allowed, subject);
    if (!p.inside) {
      return {
        decision: 'ask',
        source: 'unknown',
        reason: `${tool} of "${requested}" is outside the project (${p.real})`,
        suggestion: `Read(${ruleFor(p, this.config)})`,
        subject,
      };
    }
    return { decision: 'allow', source: 'default', reason: 'reading inside the project', subject };
  }

  /** Write access to a file by a tool (`write_file`, `edit_file`). */
  async checkWrite(requested: string, tool: 'write_file' | 'edit_file' = 'write_file'): Promise<PolicyDecision> {
    const subject = makeVisible(requested);
    const invisible = describeInvisible(requested);
    if (invisible)
      return { decision: 'deny', source: 'invisible-characters', reason: `the path contains ${invisible}`, subject };
    const p = await this.guard.resolve(requested);
    const why = await this.guard.protectedWrite(p);
    if (why) return { decision: 'deny', source: 'protected', reason: `writing ${why}`, subject };
    const ctx = await this.matchContext();
    const rules = rulesFor(this.rules, tool === 'write_file' ? ['Edit', 'Write'] : ['Edit']);
    const hit = (list: Rule[]) => list.find((r) => matchPathRule(r, p, ctx));
    const denied = hit(rules.deny);
    if (denied) return ruleDecision('deny', denied, subject);
    const asked = hit(rules.ask);
    if (asked) return ruleDecision('ask', asked, subject);
    const allowed = hit(rules.allow);
    if (allowed) return ruleDecision('allow', allowed, subject);
    if (this.fileWrites === 'allow')
      return { decision: 'allow', source: 'default', reason: 'writing a project file', subject };
    return {
      decision: 'ask',
      source: 'unknown',
      reason: `file writes ask first (permissions.fileWrites is "ask")`,
      suggestion: `Edit(${ruleFor(p, this.config)})`,
      subject,
    };
  }

  /**
   * Whether a tool may show a file found while listing or searching (glob/grep results) without asking:
   * inside the project and not sensitive. Tools filter their results with it.
   */
  async canShow(file: string): Promise<boolean> {
    const d = await this.checkRead(file);
    return d.decision === 'allow';
  }
}

/** The decision a matching deny, ask or allow rule of a path check makes. */
function ruleDecision(kind: 'deny' | 'ask' | 'allow', rule: Rule, subject: string): PolicyDecision {
  switch (kind) {
    case 'deny':
      return { decision: 'deny', source: 'deny-rule', reason: `denied by ${describeRule(rule)}`, rule, subject };
    case 'ask':
      return { decision: 'ask', source: 'ask-rule', reason: `${describeRule(rule)} asks first`, rule, subject };
    case 'allow':
      return { decision: 'allow', source: 'allow-rule', reason: `allowed by ${describeRule(rule)}`, rule, subject };
  }
}

function matchesView(rule: Rule, view: CommandView): boolean {
  const words = [
    ...view.assignments.map((a) => (a.literal === undefined ? undefined : `${a.name}=${a.literal}`)),
    ...view.argv.map((w) => (w.home ? undefined : w.literal)),
  ];
  if (matchBashRule(rule, words, { openEnd: view.dynamicTail })) return true;
  if (rule.list === 'allow') return false;
  // Deny/ask also see the command without its environment prefix and by its plain name (`/bin/rm` → `rm`).
  const bare = view.argv.map((w) => (w.home ? undefined : w.literal));
  if (bare.length > 0 && bare[0] !== undefined) bare[0] = path.posix.basename(bare[0]);
  return matchBashRule(rule, bare, { openEnd: view.dynamicTail });
}

/** Whether segment `inner` sits (at any depth) inside a substitution in a word of segment `outer`. */
function isWithin(analysis: ShellAnalysis, inner: ShellSegment, outer: number): boolean {
  let p = inner.parent;
  for (let guard = 0; p !== undefined && guard < 64; guard++) {
    if (p === outer) return true;
    p = analysis.segments[p]?.parent;
  }
  return false;
}

function ruleFor(p: ResolvedPath, config: PolicyConfig): string {
  const rel = path.relative(path.resolve(config.root), p.lexical);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return `./${rel.split(path.sep).join('/')}`;
  const home = path.relative(path.resolve(config.home), p.lexical);
  if (home && !home.startsWith('..') && !path.isAbsolute(home)) return `~/${home.split(path.sep).join('/')}`;
  return `/${p.real}`;
}

function suggest(segments: SegmentDecision[]): string | undefined {
  const asked = segments.filter((s) => s.decision === 'ask');
  if (asked.length === 0) return undefined;
  return asked.map((s) => `Bash(${s.text})`).join(' ');
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
