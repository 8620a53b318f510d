/** The rules `lint` checks a PRP against: stable ids (used in output, SARIF and suppressions) and descriptions. */

import type { Severity } from '../problems';
import { RULE_CONDITIONAL_EXPRESSION, RULE_CONDITIONAL_UNBALANCED } from '../prp/conditionals';
import { RULE_MARKDOWN_TOO_COMPLEX } from '../prp/markdown';
import { RULE_FILE_NOT_FOUND, RULE_HIDDEN_UNICODE, RULE_PATH_OUTSIDE_PROJECT } from '../prp/read-prp';

export const LintRule = {
  MissingSection: 'prp-missing-section',
  EmptySection: 'prp-empty-section',
  NoValidationCommands: 'prp-no-validation-commands',
  LevelWithoutCommands: 'prp-level-without-commands',
  GateProgramNotFound: 'gate-program-not-found',
  GateProgramNotExecutable: 'gate-program-not-executable',
  GateProgramOutsideProject: 'gate-program-outside-project',
  GateScriptMissing: 'gate-script-missing',
  GateNpxDownload: 'gate-npx-download',
  GateMakeTarget: 'gate-make-target-missing',
  ContextFileMissing: 'context-file-missing',
  ContextFileOutsideProject: 'context-file-outside-project',
  TaskPathOutsideProject: 'task-path-outside-project',
  TaskTargetMissing: 'task-target-missing',
  Placeholder: 'placeholder-unresolved',
  HiddenUnicode: RULE_HIDDEN_UNICODE,
  ConditionalUnbalanced: RULE_CONDITIONAL_UNBALANCED,
  ConditionalExpression: RULE_CONDITIONAL_EXPRESSION,
  ConfidenceOutOfRange: 'confidence-out-of-range',
} as const;

export interface RuleDescriptor {
  id: string;
  /** PascalCase name, as SARIF viewers show it. */
  name: string;
  /** One line. */
  summary: string;
  /** What the rule checks and how to fix a finding. */
  help: string;
  defaultSeverity: Severity;
}

export const LINT_RULES: readonly RuleDescriptor[] = [
  {
    id: LintRule.MissingSection,
    name: 'MissingSection',
    summary: 'A section every PRP of its kind needs is missing.',
    help: 'Base PRPs (v2 and v3) need Goal, Why, What (or Success Criteria), All Needed Context, Implementation Blueprint and Validation Loop; story PRPs need context references, implementation tasks and a Validation Loop. Add the section as a ## heading.',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.EmptySection,
    name: 'EmptySection',
    summary: 'A required section has a heading but no content.',
    help: 'Write the section, or remove it if the PRP deliberately leaves it out.',
    defaultSeverity: 'warning',
  },
  {
    id: LintRule.NoValidationCommands,
    name: 'NoValidationCommands',
    summary: 'The Validation Loop has no level with a command.',
    help: 'Add "### Level N: Name" headings under "## Validation Loop", each with a ```bash fence of real commands: the harness runs them to decide whether the implementation passed.',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.LevelWithoutCommands,
    name: 'LevelWithoutCommands',
    summary: 'A validation level has no commands.',
    help: 'Only ```bash, ```sh and ```shell fences count as commands. A level without any is skipped by the harness.',
    defaultSeverity: 'warning',
  },
  {
    id: LintRule.GateProgramNotFound,
    name: 'GateProgramNotFound',
    summary: 'A gate command runs a program that cannot be found.',
    help: 'Each program must be a shell builtin, on PATH, an npm/pnpm/yarn script, or an executable file in the project. Install the tool, add the script, or fix the command.',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.GateProgramNotExecutable,
    name: 'GateProgramNotExecutable',
    summary: 'A gate command runs a file that is not executable.',
    help: 'Make the file executable (chmod +x) or call it through its interpreter (sh script.sh).',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.GateProgramOutsideProject,
    name: 'GateProgramOutsideProject',
    summary: 'A gate command runs a file outside the project.',
    help: 'Gates run the project’s own scripts or installed programs; a relative path escaping the project (.., a symlink out) is refused.',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.GateScriptMissing,
    name: 'GateScriptMissing',
    summary: 'A gate runs a package.json script that does not exist.',
    help: '"npm run x", "npm test", "pnpm x", "yarn x" and "bun run x" need the script in the package.json of the directory the command runs in.',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.GateNpxDownload,
    name: 'GateNpxDownload',
    summary: 'npx would download the program when the gate runs.',
    help: 'Add the package to devDependencies so the gate runs a pinned, installed version.',
    defaultSeverity: 'warning',
  },
  {
    id: LintRule.GateMakeTarget,
    name: 'GateMakeTargetMissing',
    summary: 'A gate runs a make target the Makefile does not declare.',
    help: 'Add the target, or fix its name. Targets from includes or pattern rules cannot be seen by lint.',
    defaultSeverity: 'warning',
  },
  {
    id: LintRule.ContextFileMissing,
    name: 'ContextFileMissing',
    summary: 'A file: or docfile: reference does not exist.',
    help: 'The agent is told to read this file. Fix the path, add the document to PRPs/ai_docs/, or remove the reference.',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.ContextFileOutsideProject,
    name: 'ContextFileOutsideProject',
    summary: 'A file: or docfile: reference points outside the project.',
    help: 'References are read from inside the project only (after resolving symlinks).',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.TaskPathOutsideProject,
    name: 'TaskPathOutsideProject',
    summary: 'An implementation task targets a path outside the project.',
    help: 'Tasks may only create or change files inside the project.',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.TaskTargetMissing,
    name: 'TaskTargetMissing',
    summary: 'A task modifies a file that does not exist.',
    help: 'MODIFY/UPDATE/DELETE/READ tasks act on existing files: fix the path, or make it a CREATE task.',
    defaultSeverity: 'warning',
  },
  {
    id: LintRule.Placeholder,
    name: 'UnresolvedPlaceholder',
    summary: 'A template placeholder was left unfilled.',
    help: 'Replace [bracketed template text], {placeholders} in commands and paths, {{…}}, TODO:/[TODO]/TBD and NEEDS CLARIFICATION markers with the real content.',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.HiddenUnicode,
    name: 'HiddenUnicode',
    summary: 'Invisible or bidirectional-control characters.',
    help: 'Bidi controls and tag characters can make text read differently from what runs or what the agent is told (Trojan Source, ASCII smuggling); in gate commands every invisible character is an error. Delete them.',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.ConditionalUnbalanced,
    name: 'ConditionalUnbalanced',
    summary: '## IF / ## ELSE IF / ## ELSE / ## ENDIF do not match up.',
    help: 'Every IF needs an ENDIF; ELSE IF and ELSE belong between them, ELSE last.',
    defaultSeverity: 'error',
  },
  {
    id: LintRule.ConditionalExpression,
    name: 'ConditionalExpression',
    summary: 'A conditional block’s expression is invalid.',
    help: "Conditions use facts such as techStack.database, strings, numbers, true/false/null, === !== == != && || !, parentheses and `in` (e.g. ## IF 'postgresql' in techStack.databases).",
    defaultSeverity: 'error',
  },
  {
    id: LintRule.ConfidenceOutOfRange,
    name: 'ConfidenceOutOfRange',
    summary: 'The confidence score is not a number from 1 to 10 out of 10.',
    help: 'Write the one-pass confidence as "Confidence Score: N/10" with N from 1 to 10.',
    defaultSeverity: 'warning',
  },
  {
    id: RULE_MARKDOWN_TOO_COMPLEX,
    name: 'MarkdownTooComplex',
    summary: 'Markdown nested too deeply or too dense to parse safely.',
    help: 'The file is refused before parsing (exit code 2): flatten deep nesting and split very long runs of markdown punctuation.',
    defaultSeverity: 'error',
  },
  {
    id: RULE_FILE_NOT_FOUND,
    name: 'FileNotFound',
    summary: 'The PRP file does not exist or cannot be read.',
    help: 'Pass a path inside the project or a PRP name (PRPs/<name>.md).',
    defaultSeverity: 'error',
  },
  {
    id: RULE_PATH_OUTSIDE_PROJECT,
    name: 'PathOutsideProject',
    summary: 'A path points outside the project.',
    help: 'Only files inside the project (after resolving symlinks) are read.',
    defaultSeverity: 'error',
  },
];
