/**
 * Permission rules from settings files and CLI flags, with positioned errors.
 *
 * Sources and where each is honoured (the policy never lets a source widen past the built-in floor):
 * - **User-level** `<config dir>/settings.json` (`$CCF_CONFIG_DIR`, else `$XDG_CONFIG_HOME/codex-context-forge`,
 *   else `~/.config/codex-context-forge`): `permissions.allow/ask/deny` all honoured, and `permissions.fileWrites`.
 * - **CLI flags** `--allow/--ask/--deny 'Rule'`: honoured for that invocation.
 * - **Project-level** `.claude/settings.json` and `.claude/settings.local.json` (shared with Claude Code):
 *   `deny` and `ask` are always honoured (they only narrow). `allow` rules widen what the agent may do, so a
 *   cloned repository could grant itself anything (Claude Code CVE-2026-33068 is that bug): they are honoured
 *   only after the user approved that exact list, through the same hash-bound approval store as the project's
 *   commands. `fileWrites: "ask"` is honoured from the project (narrowing); `"allow"` is not.
 *   Rules for Claude Code tools we do not have (`WebFetch`, `mcp__…`) are ignored with a warning.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Scalar, type YAMLMap } from 'yaml';
import { jsonErrorOffset } from '../json-syntax';
import { type Problem, problem } from '../problems';
import { positionAt } from '../text';
import { parseRule, type Rule, type RuleList, type RuleOrigin, type RuleSet } from './rules';

export type FileWrites = 'allow' | 'ask';

export interface PermissionSettings {
  rules: RuleSet;
  fileWrites?: FileWrites;
}

const LISTS: readonly RuleList[] = ['allow', 'ask', 'deny'];

/**
 * Reads the `permissions` block of a settings file (JSON). Invalid rules are errors with the file, line and
 * column of the offending character; unsupported (Claude-only) tools are warnings. Other keys are ignored.
 */
export function parsePermissionSettings(
  text: string,
  file: string,
  origin: RuleOrigin,
): { settings: PermissionSettings; problems: Problem[] } {
  const settings: PermissionSettings = { rules: { allow: [], ask: [], deny: [] } };
  const problems: Problem[] = [];
  // Strict JSON first (the yaml parser below, used for positions, would accept YAML too).
  const bad = jsonErrorOffset(text);
  if (bad !== undefined) {
    const pos = positionAt(text, bad);
    const what = bad >= text.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(text[bad])}`;
    problems.push(problem(file, pos.line, pos.column, 'settings-syntax', `invalid JSON: ${what}`));
    return { settings, problems };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lines.linePos(offset);
  for (const e of doc.errors) {
    const pos = at(e.pos[0]);
    problems.push(problem(file, pos.line, pos.col, 'settings-syntax', `invalid JSON: ${e.message.split('\n')[0]}`));
  }
  if (problems.length > 0) return { settings, problems };
  const root = doc.contents;
  if (root === null || root === undefined) return { settings, problems };
  if (!isMap(root)) {
    const pos = at(root.range?.[0] ?? 0);
    problems.push(problem(file, pos.line, pos.col, 'settings-shape', 'settings must be a JSON object'));
    return { settings, problems };
  }
  const permissions = root.get('permissions', true);
  if (permissions === undefined) return { settings, problems };
  if (!isMap(permissions)) {
    const pos = at((permissions as { range?: number[] }).range?.[0] ?? 0);
    problems.push(problem(file, pos.line, pos.col, 'settings-shape', '"permissions" must be an object'));
    return { settings, problems };
  }
  for (const list of LISTS) {
    const node = (permissions as YAMLMap).get(list, true);
    if (node === undefined) continue;
    if (!isSeq(node)) {
      const pos = at((node as { range?: number[] }).range?.[0] ?? 0);
      problems.push(
        problem(file, pos.line, pos.col, 'settings-shape', `"permissions.${list}" must be an array of rule strings`),
      );
      continue;
    }
    for (const item of node.items) {
      const start = (item as { range?: number[] }).range?.[0] ?? 0;
      if (!isScalar(item) || typeof item.value !== 'string') {
        const pos = at(start);
        problems.push(
          problem(file, pos.line, pos.col, 'settings-shape', `each entry of "permissions.${list}" must be a string`),
        );
        continue;
      }
      const quoted = (item as Scalar).type === 'QUOTE_DOUBLE' || (item as Scalar).type === 'QUOTE_SINGLE' ? 1 : 0;
      const parsed = parseRule(item.value, list, origin);
      if (parsed.ok) {
        const pos = at(start);
        parsed.rule.location = { file, line: pos.line, column: pos.col };
        settings.rules[list].push(parsed.rule);
        continue;
      }
      const pos = at(start + quoted + parsed.column - 1);
      if (parsed.unsupported) {
        problems.push(problem(file, pos.line, pos.col, 'policy-rule-unsupported', parsed.message, 'warning'));
      } else {
        problems.push(
          problem(file, pos.line, pos.col, 'policy-rule', `invalid ${list} rule "${item.value}": ${parsed.message}`),
        );
      }
    }
  }
  const fw = (permissions as YAMLMap).get('fileWrites', true);
  if (fw !== undefined) {
    const value = isScalar(fw) ? fw.value : undefined;
    if (value === 'allow' || value === 'ask') settings.fileWrites = value;
    else {
      const pos = at((fw as { range?: number[] }).range?.[0] ?? 0);
      problems.push(
        problem(file, pos.line, pos.col, 'settings-shape', '"permissions.fileWrites" must be "allow" or "ask"'),
      );
    }
  }
  return { settings, problems };
}

/** Rules given on the command line (`--allow 'Bash(npm install)'`). Errors name the flag and the column. */
export function parseRuleFlags(flags: Partial<Record<RuleList, readonly string[]>>): {
  rules: RuleSet;
  problems: Problem[];
} {
  const rules: RuleSet = { allow: [], ask: [], deny: [] };
  const problems: Problem[] = [];
  for (const list of LISTS) {
    for (const text of flags[list] ?? []) {
      const parsed = parseRule(text, list, 'cli');
      if (parsed.ok) rules[list].push(parsed.rule);
      else
        problems.push(
          problem(`--${list}`, 1, parsed.column, 'policy-rule', `invalid rule "${text}": ${parsed.message}`),
        );
    }
  }
  return { rules, problems };
}

export interface RuleSources {
  user?: PermissionSettings;
  /** All project-level files, merged. */
  project?: PermissionSettings;
  /** The user approved the project's allow rules (hash-bound, see `ensureApproved`). */
  projectAllowApproved?: boolean;
  cli?: RuleSet;
  session?: RuleSet;
}

/** Merges the sources into the rule set the policy evaluates, and says which project rules were left out. */
export function combineRules(sources: RuleSources): { rules: RuleSet; fileWrites: FileWrites; ignored: Rule[] } {
  const rules: RuleSet = { allow: [], ask: [], deny: [] };
  const ignored: Rule[] = [];
  for (const set of [sources.user?.rules, sources.cli, sources.session]) {
    if (!set) continue;
    for (const list of LISTS) rules[list].push(...set[list]);
  }
  const project = sources.project?.rules;
  if (project) {
    rules.deny.push(...project.deny);
    rules.ask.push(...project.ask);
    if (sources.projectAllowApproved) rules.allow.push(...project.allow);
    else ignored.push(...project.allow);
  }
  let fileWrites: FileWrites = sources.user?.fileWrites ?? 'allow';
  if (sources.project?.fileWrites === 'ask') fileWrites = 'ask';
  return { rules, fileWrites, ignored };
}

/** The text the approval store keys a project's allow-rule list by (one entry per rule). */
export function projectAllowApprovalTexts(project: PermissionSettings | undefined): string[] {
  return (project?.rules.allow ?? []).map((r) => `permissions.allow ${r.text}`);
}
